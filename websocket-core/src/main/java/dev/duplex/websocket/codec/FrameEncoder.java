package dev.duplex.websocket.codec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes frames for one side of a connection (RFC 6455 §5.2). A {@link Role#CLIENT client} encoder
 * masks every frame with a fresh, unpredictable key drawn from {@link java.security.SecureRandom}
 * (RFC 6455 §5.3), copying and masking the payload in one pass; a {@link Role#SERVER server}
 * encoder never masks, and {@link #writeHeader} lets it send the header and the caller's payload
 * with a gathering write, without copying the payload.
 *
 * <p>Headers use the shortest length form: 7 bits up to 125 bytes, 16 bits up to 65535, 64 bits
 * beyond. Every method that writes checks the destination's room first and writes nothing when it
 * is short ({@link BufferOverflowException}). Payload buffers are read between their position and
 * limit and never moved or changed. Not thread-safe: one encoder per connection, used by one
 * thread at a time.
 */
public final class FrameEncoder {

    /** The longest header: 2 bytes, a 64-bit length and a masking key (RFC 6455 §5.2). */
    public static final int MAX_HEADER_LENGTH = 14;

    /** The largest control frame payload (RFC 6455 §5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private final Role role;
    /** Null for a server, which never masks. */
    private final @Nullable IntSupplier maskKeys;

    /** An encoder for {@code role}: a client masks every frame, a server none. */
    public FrameEncoder(Role role) {
        this(role, role == Role.CLIENT ? new MaskKeys() : null);
    }

    /** For tests: a client draws its keys from {@code maskKeys}. */
    FrameEncoder(Role role, @Nullable IntSupplier maskKeys) {
        this.role = Objects.requireNonNull(role, "role");
        this.maskKeys = role == Role.CLIENT ? Objects.requireNonNull(maskKeys, "maskKeys") : null;
    }

    /** The side this encoder writes for. */
    public Role role() {
        return role;
    }

    /** Whether this encoder masks its frames (a client's). */
    public boolean masks() {
        return maskKeys != null;
    }

    /**
     * The header length of a frame with {@code payloadLength} bytes: 2, 4 or 10, plus 4 when masked.
     *
     * @throws IllegalArgumentException if {@code payloadLength} is negative
     */
    public static int headerLength(long payloadLength, boolean masked) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("'payloadLength' must not be negative, was " + payloadLength);
        }
        int length = payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /** The header length of a frame with {@code payloadLength} bytes from this encoder. */
    public int headerLength(long payloadLength) {
        return headerLength(payloadLength, masks());
    }

    /** Header plus payload of a frame with {@code payloadLength} bytes from this encoder. */
    public long frameLength(long payloadLength) {
        return headerLength(payloadLength) + payloadLength;
    }

    /**
     * Writes the header of a frame at {@code dst}'s position and advances it. A server then sends
     * its payload as it is (a gathering write of header and payload needs no copy); a client must
     * send the payload masked with the returned key, for example through
     * {@link Masking#maskCopy(ByteBuffer, int, ByteBuffer, int, int, int, int)}.
     *
     * @return the masking key written, or 0 when this encoder does not mask (masking with 0 is a
     *     no-op, so callers may mask unconditionally)
     * @throws IllegalArgumentException if {@code rsv} is not in [0, 7], {@code payloadLength} is
     *     negative, or a control frame is not final or over 125 bytes
     * @throws BufferOverflowException if {@code dst} has no room for the header
     */
    public int writeHeader(ByteBuffer dst, boolean fin, int rsv, Opcode opcode, long payloadLength) {
        checkFrame(fin, rsv, opcode, payloadLength);
        if (dst.remaining() < headerLength(payloadLength)) {
            throw new BufferOverflowException();
        }
        return putHeader(dst, fin, rsv, opcode, payloadLength);
    }

    /**
     * Writes a whole frame (header and payload, masked when a client) at {@code dst}'s position
     * and advances it past the frame.
     *
     * @throws IllegalArgumentException as {@link #writeHeader} does
     * @throws BufferOverflowException if {@code dst} has no room for the whole frame
     */
    public void encode(ByteBuffer dst, boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        int length = payload.remaining();
        checkFrame(fin, rsv, opcode, length);
        if (dst.remaining() < frameLength(length)) {
            throw new BufferOverflowException();
        }
        putFrame(dst, fin, rsv, opcode, payload, payload.position(), length);
    }

    /**
     * Writes {@code frame} at {@code dst}'s position and advances it past the frame.
     *
     * @throws BufferOverflowException if {@code dst} has no room for the whole frame
     */
    public void encode(ByteBuffer dst, Frame frame) {
        encode(dst, frame.fin(), frame.rsv(), frame.opcode(), ByteBuffer.wrap(frame.payloadArray()));
    }

    /**
     * How many frames a message of {@code payloadLength} bytes takes when split into fragments of
     * {@code fragmentSize} bytes: at least one, since an empty message is one empty frame.
     *
     * @throws IllegalArgumentException if {@code payloadLength} is negative or {@code fragmentSize} not positive
     */
    public static long fragmentCount(long payloadLength, int fragmentSize) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("'payloadLength' must not be negative, was " + payloadLength);
        }
        if (fragmentSize <= 0) {
            throw new IllegalArgumentException("'fragmentSize' must be positive, was " + fragmentSize);
        }
        return payloadLength == 0 ? 1 : (payloadLength - 1) / fragmentSize + 1;
    }

    /** The bytes {@link #encodeMessage} writes for a message of {@code payloadLength} bytes. */
    public long messageLength(long payloadLength, int fragmentSize) {
        long frames = fragmentCount(payloadLength, fragmentSize);
        long full = frames - 1;
        long last = payloadLength - full * fragmentSize;
        return full * frameLength(fragmentSize) + frameLength(last);
    }

    /**
     * Writes a message as frames of at most {@code fragmentSize} payload bytes: the first frame
     * carries {@code type} and {@code rsv}, the others are continuations, and the last has FIN set.
     * An empty message is one empty final frame.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param rsv RSV bits for the first frame, as an {@link Extension} asks
     * @throws IllegalArgumentException if {@code type} is not a data opcode, {@code rsv} not in
     *     [0, 7] or {@code fragmentSize} not positive
     * @throws BufferOverflowException if {@code dst} has no room for {@link #messageLength}
     */
    public void encodeMessage(ByteBuffer dst, Opcode type, int rsv, ByteBuffer payload, int fragmentSize) {
        if (type != Opcode.TEXT && type != Opcode.BINARY) {
            throw new IllegalArgumentException("'type' must be TEXT or BINARY, was " + type);
        }
        checkFrame(false, rsv, type, 0);
        int length = payload.remaining();
        if (dst.remaining() < messageLength(length, fragmentSize)) {
            throw new BufferOverflowException();
        }
        int offset = payload.position();
        int end = offset + length;
        Opcode opcode = type;
        int bits = rsv;
        do {
            int size = Math.min(fragmentSize, end - offset);
            putFrame(dst, offset + size == end, bits, opcode, payload, offset, size);
            offset += size;
            opcode = Opcode.CONTINUATION;
            bits = 0;
        } while (offset < end);
    }

    /**
     * Writes a ping.
     *
     * @throws IllegalArgumentException if the payload is over 125 bytes
     * @throws BufferOverflowException if {@code dst} has no room for the frame
     */
    public void encodePing(ByteBuffer dst, ByteBuffer payload) {
        encode(dst, true, 0, Opcode.PING, payload);
    }

    /**
     * Writes a pong.
     *
     * @throws IllegalArgumentException if the payload is over 125 bytes
     * @throws BufferOverflowException if {@code dst} has no room for the frame
     */
    public void encodePong(ByteBuffer dst, ByteBuffer payload) {
        encode(dst, true, 0, Opcode.PONG, payload);
    }

    /**
     * Writes a close frame; {@link CloseFrame#NO_STATUS} gives an empty payload.
     *
     * @throws BufferOverflowException if {@code dst} has no room for the frame
     */
    public void encodeClose(ByteBuffer dst, CloseFrame close) {
        encode(dst, true, 0, Opcode.CLOSE, ByteBuffer.wrap(close.payload()));
    }

    /** The caller-side rules of RFC 6455 §5.2 and §5.5, shared with {@link Frame}. */
    static void checkFrame(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        Objects.requireNonNull(opcode, "opcode");
        if ((rsv & ~7) != 0) {
            throw new IllegalArgumentException("'rsv' must be in [0, 7], was " + rsv);
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("'payloadLength' must not be negative, was " + payloadLength);
        }
        if (opcode.isControl()) {
            if (!fin) {
                throw new IllegalArgumentException("A " + opcode + " frame must be final");
            }
            if (payloadLength > MAX_CONTROL_PAYLOAD) {
                throw new IllegalArgumentException(
                        "A " + opcode + " payload must be at most 125 bytes, was " + payloadLength);
            }
        }
    }

    private void putFrame(ByteBuffer dst, boolean fin, int rsv, Opcode opcode, ByteBuffer src, int from, int length) {
        int key = putHeader(dst, fin, rsv, opcode, length);
        int at = dst.position();
        if (maskKeys != null) {
            Masking.maskCopy(src, from, dst, at, length, key, 0);
        } else {
            dst.put(at, src, from, length);
        }
        dst.position(at + length);
    }

    private int putHeader(ByteBuffer dst, boolean fin, int rsv, Opcode opcode, long payloadLength) {
        dst.put((byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode.code()));
        int maskBit = maskKeys != null ? 0x80 : 0;
        boolean bigEndian = dst.order() == ByteOrder.BIG_ENDIAN;
        if (payloadLength <= 125) {
            dst.put((byte) (maskBit | (int) payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            dst.put((byte) (maskBit | 126));
            dst.put((byte) (payloadLength >>> 8));
            dst.put((byte) payloadLength);
        } else {
            dst.put((byte) (maskBit | 127));
            dst.putLong(bigEndian ? payloadLength : Long.reverseBytes(payloadLength));
        }
        if (maskKeys == null) {
            return 0;
        }
        int key = maskKeys.getAsInt();
        dst.putInt(bigEndian ? key : Integer.reverseBytes(key));
        return key;
    }
}
