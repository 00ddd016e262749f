package dev.duplex.websocket.codec;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the frames of one connection from bytes in any chunking (RFC 6455 §5.2): one byte at a
 * time, or many frames in one buffer. Each whole frame goes to a {@link FrameSink} with its payload
 * unmasked in place. When a frame lies whole in the input buffer the sink gets a view of that
 * buffer (no copy); otherwise only that frame is gathered in an internal buffer. No object is
 * allocated per frame once the internal buffers have grown to the traffic's size.
 *
 * <p>Rules enforced, each with a {@link ProtocolException}: reserved opcodes (1002); RSV bits not
 * {@linkplain #setAllowedRsv allowed} by a negotiated extension (1002); frames from a client
 * unmasked, or from a server masked (1002); a 64-bit length with its most significant bit set
 * (1002); control frames not final or over 125 bytes (1002); a payload longer than the configured
 * maximum (1009, raised as soon as the length is read, before any of the payload is buffered).
 * Lengths in a longer form than needed are accepted.
 *
 * <p>After any exception (from the decoder or from the sink) the decoder is dead: every later
 * call throws {@link IllegalStateException}. Not thread-safe: one decoder per connection, fed by
 * one thread at a time.
 */
public final class FrameDecoder {

    private static final int MAX_HEADER_LENGTH = FrameEncoder.MAX_HEADER_LENGTH;
    /** Larger gathering buffers are dropped after their frame, so idle connections stay small. */
    private static final int KEPT_BUFFER_SIZE = 64 * 1024;

    /** The largest array the JVM reliably allocates. */
    public static final int MAX_PAYLOAD_LIMIT = Integer.MAX_VALUE - 8;

    private final boolean expectMasked;
    private static final byte[] NO_BYTES = new byte[0];

    private final int maxPayload;
    /** The limit applied to data frames: {@link #maxPayload}, or more once an extension may grow payloads. */
    private int maxDataPayload;

    private int allowedRsv;

    /** Header bytes gathered while a header arrives in pieces; headerFill of them are valid. */
    private final byte[] header = new byte[MAX_HEADER_LENGTH];

    /** A view of {@link #header}, made when a header first arrives in pieces (an idle connection holds none). */
    private @Nullable ByteBuffer headerView;

    private int headerFill;

    // The frame being decoded; valid while inPayload.
    private boolean inPayload;
    private boolean fin;
    private int rsv;
    private Opcode opcode = Opcode.CONTINUATION;
    private boolean masked;
    private int maskKey;
    private int payloadLength;
    /** Payload bytes gathered in {@link #gathered} so far. */
    private int payloadFill;

    /** Gathers a payload that spans inputs; grows on demand up to the maximum. */
    private byte[] gathered = NO_BYTES;

    /** A view of {@link #gathered}, made when a payload is first gathered; null while none is kept. */
    private @Nullable ByteBuffer gatheredView;
    /** A reusable view of the last input buffer, so handing out a slice allocates nothing. */
    private @Nullable ByteBuffer inputView;

    private @Nullable ByteBuffer inputViewOf;
    private @Nullable RuntimeException failure;

    /**
     * A decoder for the endpoint playing {@code role}: a {@link Role#SERVER server} decodes a
     * client's frames, which must be masked; a {@link Role#CLIENT client} decodes a server's,
     * which must not be.
     *
     * @param maxFramePayload the largest payload accepted, in [125, {@value #MAX_PAYLOAD_LIMIT}]
     * @throws IllegalArgumentException if {@code maxFramePayload} is out of range
     */
    public FrameDecoder(Role role, int maxFramePayload) {
        Objects.requireNonNull(role, "role");
        if (maxFramePayload < FrameEncoder.MAX_CONTROL_PAYLOAD || maxFramePayload > MAX_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException(
                    "'maxFramePayload' must be in [125, " + MAX_PAYLOAD_LIMIT + "], was " + maxFramePayload);
        }
        this.expectMasked = role == Role.SERVER;
        this.maxPayload = maxFramePayload;
        this.maxDataPayload = maxFramePayload;
    }

    /**
     * Accepts the RSV bits {@code negotiated} claims, as {@link #setAllowedRsv}, and data frames
     * as large as its encoding of a {@link #maxFramePayload()}-byte payload ({@link
     * Extension#maxEncodedSize}), so that a frame at the limit still fits once compressed.
     */
    public void setExtension(Extension negotiated) {
        setAllowedRsv(negotiated.rsvBits());
        this.maxDataPayload =
                (int) Math.min(MAX_PAYLOAD_LIMIT, Math.max(maxPayload, negotiated.maxEncodedSize(maxPayload)));
    }

    /**
     * Sets the RSV bits that negotiated extensions claim ({@link Extension#rsvBits()}); frames
     * with any other RSV bit fail with 1002. None are allowed until this is called.
     *
     * @param rsvBits a combination of {@link Frame#RSV1}, {@link Frame#RSV2} and {@link Frame#RSV3}
     * @throws IllegalArgumentException if {@code rsvBits} is not in [0, 7]
     */
    public void setAllowedRsv(int rsvBits) {
        if ((rsvBits & ~7) != 0) {
            throw new IllegalArgumentException("'rsvBits' must be in [0, 7], was " + rsvBits);
        }
        this.allowedRsv = rsvBits;
    }

    /** The largest frame payload this decoder accepts. */
    public int maxFramePayload() {
        return maxPayload;
    }

    /**
     * Consumes every byte between {@code in}'s position and limit, calling {@code sink} once per
     * frame completed, and leaves the position at the limit. A frame that is not complete yet is
     * kept for the next call.
     *
     * <p>Masked payloads are unmasked in place inside {@code in}, which must therefore be writable
     * when frames are masked.
     *
     * @throws ProtocolException if the input breaks a rule of RFC 6455 §5 (see the class comment)
     *     or the sink throws one; the decoder is dead afterwards
     * @throws IllegalStateException if the decoder failed before
     */
    public void decode(ByteBuffer in, FrameSink sink) {
        if (failure != null) {
            throw new IllegalStateException("The decoder failed earlier: " + failure.getMessage(), failure);
        }
        try {
            while (inPayload || in.hasRemaining()) {
                if (!inPayload && !readHeader(in)) {
                    return;
                }
                if (!readPayload(in, sink)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /** Reads a header from {@code in}, gathering it if it spans inputs; true when one is complete. */
    private boolean readHeader(ByteBuffer in) {
        if (headerFill == 0) {
            int pos = in.position();
            int available = in.remaining();
            if (available >= 2) {
                int needed = checkFirstBytes(in.get(pos), in.get(pos + 1));
                if (available >= needed) {
                    parseRest(in, pos);
                    in.position(pos + needed);
                    return true;
                }
            }
        }
        // The slow path: a header split across inputs.
        while (headerFill < 2) {
            if (!in.hasRemaining()) {
                return false;
            }
            header[headerFill++] = in.get();
            if (headerFill == 2) {
                checkFirstBytes(header[0], header[1]);
            }
        }
        int needed = headerLength(header[1]);
        int take = Math.min(needed - headerFill, in.remaining());
        in.get(header, headerFill, take);
        headerFill += take;
        if (headerFill < needed) {
            return false;
        }
        ByteBuffer hv = headerView;
        if (hv == null) {
            hv = ByteBuffer.wrap(header);
            headerView = hv;
        }
        parseRest(hv, 0);
        headerFill = 0;
        return true;
    }

    /** Checks the first two header bytes and returns the header's length. */
    private int checkFirstBytes(byte b0, byte b1) {
        Opcode op = Opcode.of(b0 & 0xF);
        int bits = (b0 >> 4) & 7;
        if ((bits & ~allowedRsv) != 0) {
            throw new ProtocolException(
                    ProtocolException.PROTOCOL_ERROR, "RSV bits not negotiated: " + Frame.rsvNames(bits & ~allowedRsv));
        }
        boolean isMasked = b1 < 0;
        if (isMasked != expectMasked) {
            throw new ProtocolException(
                    ProtocolException.PROTOCOL_ERROR,
                    isMasked ? "Masked frame from server" : "Unmasked frame from client");
        }
        boolean isFin = b0 < 0;
        if (op.isControl()) {
            if (!isFin) {
                throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "Fragmented control frame");
            }
            if ((b1 & 0x7F) > FrameEncoder.MAX_CONTROL_PAYLOAD) {
                throw new ProtocolException(
                        ProtocolException.PROTOCOL_ERROR, "Control frame payload longer than 125 bytes");
            }
        }
        fin = isFin;
        rsv = bits;
        opcode = op;
        masked = isMasked;
        return headerLength(b1);
    }

    private static int headerLength(byte b1) {
        int length7 = b1 & 0x7F;
        int length = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        return b1 < 0 ? length + 4 : length;
    }

    /** Reads the extended length and the masking key of a header starting at {@code pos}. */
    private void parseRest(ByteBuffer buf, int pos) {
        int length7 = buf.get(pos + 1) & 0x7F;
        long length;
        int at;
        if (length7 < 126) {
            length = length7;
            at = pos + 2;
        } else if (length7 == 126) {
            length = ((buf.get(pos + 2) & 0xFF) << 8) | (buf.get(pos + 3) & 0xFF);
            at = pos + 4;
        } else {
            length = readLong(buf, pos + 2);
            if (length < 0) {
                throw new ProtocolException(
                        ProtocolException.PROTOCOL_ERROR, "Frame length with the most significant bit set");
            }
            at = pos + 10;
        }
        // Control frames are held to 125 bytes before this point.
        if (length > maxDataPayload) {
            throw new ProtocolException(
                    ProtocolException.MESSAGE_TOO_BIG,
                    "Frame payload of " + length + " bytes exceeds the limit of " + maxPayload);
        }
        payloadLength = (int) length;
        maskKey = masked ? readInt(buf, at) : 0;
        payloadFill = 0;
        inPayload = true;
    }

    /** Delivers the payload when it is complete; true if a frame was delivered. */
    private boolean readPayload(ByteBuffer in, FrameSink sink) {
        int length = payloadLength;
        if (payloadFill == 0 && in.remaining() >= length) {
            int start = in.position();
            if (masked) {
                Masking.mask(in, start, length, maskKey, 0);
            }
            in.position(start + length);
            inPayload = false;
            ByteBuffer view = viewOf(in);
            view.limit(start + length).position(start);
            sink.onFrame(fin, rsv, opcode, view);
            return true;
        }
        ByteBuffer gv = gatheredView;
        if (payloadFill == 0) {
            if (gathered.length < length || gv == null) {
                if (gathered.length < length) {
                    gathered = new byte[length];
                }
                gv = ByteBuffer.wrap(gathered);
                gatheredView = gv;
            } else {
                gv.clear(); // the last frame's delivery narrowed it
            }
        }
        if (gv == null) {
            throw new IllegalStateException("no gathering buffer mid-payload");
        }
        int take = Math.min(length - payloadFill, in.remaining());
        int start = in.position();
        if (masked) {
            Masking.maskCopy(in, start, gv, payloadFill, take, maskKey, payloadFill & 3);
        } else {
            in.get(start, gathered, payloadFill, take);
        }
        in.position(start + take);
        payloadFill += take;
        if (payloadFill < length) {
            if (!opcode.isControl() && take > 0) {
                ByteBuffer chunk = gv.duplicate();
                chunk.limit(payloadFill).position(payloadFill - take);
                sink.onPayloadChunk(rsv, opcode, chunk);
            }
            return false;
        }
        inPayload = false;
        ByteBuffer view = gv;
        view.limit(length).position(0);
        // A whole uncompressed binary message is what a sink keeps as it is: hand the array over
        // rather than have it copied (the next gathered payload gets a fresh one).
        boolean detach = fin && rsv == 0 && opcode == Opcode.BINARY;
        if (detach || gathered.length > KEPT_BUFFER_SIZE) {
            gathered = NO_BYTES;
            gatheredView = null;
        }
        if (detach) {
            sink.onDetachedFrame(fin, rsv, opcode, view);
        } else {
            sink.onFrame(fin, rsv, opcode, view);
        }
        return true;
    }

    private ByteBuffer viewOf(ByteBuffer in) {
        ByteBuffer view = inputView;
        if (view == null || inputViewOf != in) {
            view = in.duplicate();
            inputView = view;
            inputViewOf = in;
        } else {
            view.clear();
        }
        return view;
    }

    private static long readLong(ByteBuffer buf, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buf.get(at + i) & 0xFF);
        }
        return value;
    }

    private static int readInt(ByteBuffer buf, int at) {
        return ((buf.get(at) & 0xFF) << 24)
                | ((buf.get(at + 1) & 0xFF) << 16)
                | ((buf.get(at + 2) & 0xFF) << 8)
                | (buf.get(at + 3) & 0xFF);
    }
}
