package dev.duplex.websocket.codec;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns the frames of one connection into messages (RFC 6455 §5.4) for a {@link MessageSink}.
 *
 * <p>Control frames are delivered at once, also between the fragments of a message. Text is
 * validated as it arrives, so bad UTF-8 fails with 1007 when the fragment holding the first bad
 * byte arrives, not at the end of the message. A message's running size is checked against its
 * type's maximum before a fragment is buffered, so an oversized message fails with 1009 without
 * its excess ever being held. A continuation with no message open, a new text or binary frame
 * inside a fragmented message, RSV bits on a continuation or control frame, and any frame after
 * a close frame fail with 1002.
 *
 * <p>In {@link Mode#WHOLE} mode whole messages are delivered; a single-frame message is copied
 * once, straight from the frame's payload, or, binary, lent to the sink as a view of the decoder's
 * input ({@link MessageSink#onBinaryView}) for the sink to copy only if it must. In {@link Mode#PARTS} mode each data fragment is
 * delivered as it arrives, text cut at code point boundaries (an incomplete trailing sequence is
 * carried into the next part). A message an {@link Extension} must transform is gathered whole in
 * either mode and delivered once (as one last part in {@link Mode#PARTS} mode).
 *
 * <p>Not thread-safe: one assembler per connection, fed by the connection's decoder. After it
 * throws, the connection is to be failed and the assembler not used again.
 */
public final class MessageAssembler implements FrameSink {

    /** How data messages are handed to the sink. */
    public enum Mode {
        /** Whole messages, through {@link MessageSink#onText} and {@link MessageSink#onBinary}. */
        WHOLE,
        /** Fragments as they come, through {@link MessageSink#onTextPart} and {@link MessageSink#onBinaryPart}. */
        PARTS
    }

    /** Larger message buffers are dropped after their message, so idle connections stay small. */
    private static final int KEPT_BUFFER_SIZE = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final MessageSink sink;
    private final int maxTextSize;
    private final int maxBinarySize;
    private final Mode mode;
    private final Utf8Validator utf8 = new Utf8Validator();
    private @Nullable Extension extension;

    /** The type of the open message, or null between messages. */
    private @Nullable Opcode type;
    /** Payload bytes of the open message so far (as received, before any extension). */
    private int size;
    /** Whether the open message goes through the extension. */
    private boolean transformed;
    /** Whether the frame being handled has a payload this assembler may keep (onDetachedFrame). */
    private boolean detached;

    /** Bytes of the text frame now arriving already validated by {@link #onPayloadChunk}. */
    private int chunkValidated;

    private int firstRsv;
    /** Holds the open message in WHOLE mode, or a transformed one; {@code size} bytes are valid. */
    private byte[] buffer = EMPTY;
    /** PARTS mode: the start of a code point cut off at the end of the last text part. */
    private final byte[] carry = new byte[3];

    private int carryLength;
    private boolean closed;

    /**
     * An assembler delivering to {@code sink}.
     *
     * @param maxTextSize the largest text message in bytes of UTF-8, in [0, {@value FrameDecoder#MAX_PAYLOAD_LIMIT}]
     * @param maxBinarySize the largest binary message in bytes, in the same range
     * @throws IllegalArgumentException if a maximum is out of range
     */
    public MessageAssembler(MessageSink sink, int maxTextSize, int maxBinarySize, Mode mode) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxTextSize = checkMax("maxTextSize", maxTextSize);
        this.maxBinarySize = checkMax("maxBinarySize", maxBinarySize);
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * Sets the negotiated extension (null for none): messages whose first frame carries its RSV
     * bits are passed through {@link Extension#decode}. The decoder must allow the same bits
     * ({@link FrameDecoder#setAllowedRsv}).
     */
    public void setExtension(@Nullable Extension extension) {
        this.extension = extension;
    }

    /** Whether a fragmented message has started and not yet ended. */
    public boolean isMessageOpen() {
        return type != null;
    }

    /** Whether a close frame has been received. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Handles one frame whose payload is this assembler's to keep: a whole binary message in it is
     * delivered without a copy. Otherwise as {@link #onFrame}.
     */
    @Override
    public void onDetachedFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        detached = true;
        try {
            onFrame(fin, rsv, opcode, payload);
        } finally {
            detached = false;
        }
    }

    /**
     * Validates the UTF-8 of a text frame's bytes as they arrive, so that a frame that spans many
     * reads fails with 1007 at its first bad byte, not at its end. Compressed messages are
     * validated once inflated; a frame that breaks another rule is left for {@link #onFrame}.
     */
    @Override
    public void onPayloadChunk(int rsv, Opcode opcode, ByteBuffer chunk) {
        if (closed || rsv != 0) {
            return;
        }
        if (opcode == Opcode.TEXT) {
            if (type != null) {
                return; // a new message inside a fragmented one: onFrame rejects it
            }
            if (chunkValidated == 0) {
                utf8.reset();
            }
        } else if (opcode != Opcode.CONTINUATION || type != Opcode.TEXT || transformed) {
            return;
        }
        int bad = utf8.validate(chunk);
        if (bad >= 0) {
            throw new ProtocolException(
                    ProtocolException.INVALID_PAYLOAD,
                    "Invalid UTF-8 at byte " + (size + chunkValidated + bad - chunk.position()) + " of a text message");
        }
        chunkValidated += chunk.remaining();
    }

    /**
     * Handles one frame; see the class comment for what is delivered and what is rejected.
     *
     * @throws ProtocolException 1002, 1007 or 1009 as the class comment says
     */
    @Override
    public void onFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        if (closed) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "Frame after a close frame");
        }
        switch (opcode) {
            case PING, PONG, CLOSE -> onControl(rsv, opcode, payload);
            case CONTINUATION -> {
                if (type == null) {
                    throw new ProtocolException(
                            ProtocolException.PROTOCOL_ERROR, "Continuation frame without a message to continue");
                }
                if (rsv != 0) {
                    throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "RSV bits on a continuation frame");
                }
                onData(fin, payload);
            }
            case TEXT, BINARY -> {
                if (type != null) {
                    throw new ProtocolException(
                            ProtocolException.PROTOCOL_ERROR,
                            (opcode == Opcode.TEXT ? "Text" : "Binary") + " frame inside a fragmented message");
                }
                begin(opcode, rsv);
                onData(fin, payload);
            }
        }
    }

    private void onControl(int rsv, Opcode opcode, ByteBuffer payload) {
        if (rsv != 0) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "RSV bits on a control frame");
        }
        if (opcode == Opcode.CLOSE) {
            CloseFrame close = CloseFrame.parse(payload);
            closed = true;
            sink.onClose(close.code(), close.reason());
        } else if (opcode == Opcode.PING) {
            sink.onPing(copy(payload));
        } else {
            sink.onPong(copy(payload));
        }
    }

    private void begin(Opcode opcode, int rsv) {
        if (rsv != 0) {
            Extension ext = extension;
            int unclaimed = ext == null ? rsv : rsv & ~ext.rsvBits();
            if (unclaimed != 0) {
                throw new ProtocolException(
                        ProtocolException.PROTOCOL_ERROR, "RSV bits not negotiated: " + Frame.rsvNames(unclaimed));
            }
        }
        type = opcode;
        size = 0;
        transformed = rsv != 0;
        firstRsv = rsv;
        carryLength = 0;
        if (chunkValidated == 0) {
            utf8.reset(); // else onPayloadChunk started it on this frame's first bytes
        }
    }

    private void onData(boolean fin, ByteBuffer payload) {
        Opcode messageType = Objects.requireNonNull(type);
        boolean text = messageType == Opcode.TEXT;
        int length = payload.remaining();
        int max = text ? maxTextSize : maxBinarySize;
        // A transformed message is held to its encoded bound here and to max once decoded.
        int wireMax = transformed ? encodedLimit(max) : max;
        if (length > wireMax - size) {
            throw new ProtocolException(
                    ProtocolException.MESSAGE_TOO_BIG,
                    (text ? "Text" : "Binary") + " message exceeds the limit of " + max + " bytes");
        }
        if (transformed) {
            append(payload, wireMax);
            if (fin) {
                finishTransformed(messageType, max);
            }
            return;
        }
        if (text) {
            validate(payload, fin);
        }
        if (mode == Mode.PARTS) {
            size += length;
            if (text) {
                deliverTextPart(payload, fin);
            } else if (fin || length > 0) {
                sink.onBinaryPart(detached ? payload.slice() : copy(payload), fin);
            }
        } else if (fin && size == 0) {
            // A single-frame message: one copy, straight from the frame.
            if (text) {
                sink.onText(string(payload));
            } else if (detached) {
                sink.onBinary(payload.slice());
            } else {
                sink.onBinaryView(payload.slice());
            }
        } else {
            append(payload, max);
            if (fin) {
                if (text) {
                    sink.onText(new String(buffer, 0, size, StandardCharsets.UTF_8));
                } else {
                    sink.onBinary(ByteBuffer.wrap(Arrays.copyOf(buffer, size)));
                }
            }
        }
        if (fin) {
            end();
        }
    }

    private int encodedLimit(int max) {
        Extension ext = Objects.requireNonNull(extension);
        return (int) Math.min(FrameDecoder.MAX_PAYLOAD_LIMIT, Math.max(max, ext.maxEncodedSize(max)));
    }

    private void validate(ByteBuffer payload, boolean fin) {
        // Bytes onPayloadChunk validated as they arrived are not validated twice.
        int done = chunkValidated;
        chunkValidated = 0;
        int bad = utf8.validate(payload, payload.position() + done, payload.remaining() - done);
        if (bad >= 0) {
            throw new ProtocolException(
                    ProtocolException.INVALID_PAYLOAD,
                    "Invalid UTF-8 at byte " + (size + bad - payload.position()) + " of a text message");
        }
        if (fin && !utf8.isComplete()) {
            throw new ProtocolException(
                    ProtocolException.INVALID_PAYLOAD, "Truncated UTF-8 at the end of a text message");
        }
    }

    private void deliverTextPart(ByteBuffer payload, boolean fin) {
        int length = payload.remaining();
        int pending = utf8.pendingBytes();
        String part;
        if (carryLength == 0) {
            part = string(payload.slice(payload.position(), length - pending));
            payload.get(payload.position() + length - pending, carry, 0, pending);
        } else {
            byte[] joined = new byte[carryLength + length];
            System.arraycopy(carry, 0, joined, 0, carryLength);
            payload.get(payload.position(), joined, carryLength, length);
            part = new String(joined, 0, joined.length - pending, StandardCharsets.UTF_8);
            System.arraycopy(joined, joined.length - pending, carry, 0, pending);
        }
        carryLength = pending;
        if (fin || !part.isEmpty()) {
            sink.onTextPart(part, fin);
        }
    }

    private void finishTransformed(Opcode messageType, int max) {
        Extension ext = Objects.requireNonNull(extension);
        ByteBuffer result = ext.decode(messageType, firstRsv, ByteBuffer.wrap(buffer, 0, size), max);
        if (result.remaining() > max) {
            throw new ProtocolException(
                    ProtocolException.MESSAGE_TOO_BIG,
                    (messageType == Opcode.TEXT ? "Text" : "Binary") + " message exceeds the limit of " + max
                            + " bytes");
        }
        boolean text = messageType == Opcode.TEXT;
        if (text) {
            utf8.reset();
            size = 0;
            validate(result, true);
        }
        if (mode == Mode.PARTS) {
            if (text) {
                sink.onTextPart(string(result), true);
            } else {
                sink.onBinaryPart(result, true);
            }
        } else if (text) {
            sink.onText(string(result));
        } else {
            sink.onBinary(result);
        }
        end();
    }

    private void append(ByteBuffer payload, int max) {
        int length = payload.remaining();
        int needed = size + length;
        if (needed > buffer.length) {
            int grown = (int) Math.min(Math.max(needed, 2L * buffer.length), max);
            buffer = Arrays.copyOf(buffer, Math.max(grown, needed));
        }
        payload.get(payload.position(), buffer, size, length);
        size = needed;
    }

    private void end() {
        type = null;
        size = 0;
        carryLength = 0;
        if (buffer.length > KEPT_BUFFER_SIZE) {
            buffer = EMPTY;
        }
    }

    private static ByteBuffer copy(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** Decodes already validated UTF-8. */
    private static String string(ByteBuffer utf8) {
        if (utf8.hasArray()) {
            return new String(
                    utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining(), StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(utf8.position(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int checkMax(String name, int value) {
        if (value < 0 || value > FrameDecoder.MAX_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException(
                    "'" + name + "' must be in [0, " + FrameDecoder.MAX_PAYLOAD_LIMIT + "], was " + value);
        }
        return value;
    }
}
