package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable WebSocket frame (RFC 6455 §5.2) without its masking, which the encoder adds: FIN,
 * the RSV bits, the opcode and the payload. Meant for the encoder's input and for tests; the
 * decoder's hot path never builds one. Thread-safe.
 */
public final class Frame {

    /** RSV1 as an {@code rsv} value (bit 6 of the first header byte, RFC 6455 §5.2). */
    public static final int RSV1 = 0b100;
    /** RSV2 as an {@code rsv} value. */
    public static final int RSV2 = 0b010;
    /** RSV3 as an {@code rsv} value. */
    public static final int RSV3 = 0b001;

    private final boolean fin;
    private final int rsv;
    private final Opcode opcode;
    private final byte[] payload;

    /**
     * A frame with a copy of {@code payload}.
     *
     * @param rsv RSV bits in [0, 7], RSV1 being 4
     * @throws IllegalArgumentException if {@code rsv} is out of range, or a control frame is not
     *     final or its payload is over 125 bytes (RFC 6455 §5.5)
     */
    public Frame(boolean fin, int rsv, Opcode opcode, byte[] payload) {
        this(fin, rsv, opcode, payload.clone(), true);
    }

    /** Takes {@code payload} without copying; {@code owned} only tells this constructor apart. */
    private Frame(boolean fin, int rsv, Opcode opcode, byte[] payload, boolean owned) {
        FrameEncoder.checkFrame(fin, rsv, opcode, payload.length);
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = Objects.requireNonNull(opcode, "opcode");
        this.payload = payload;
    }

    /** A single-frame text message. */
    public static Frame text(String text) {
        return new Frame(true, 0, Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A single-frame binary message with a copy of {@code data}. */
    public static Frame binary(byte[] data) {
        return new Frame(true, 0, Opcode.BINARY, data);
    }

    /**
     * A ping with a copy of {@code payload}.
     *
     * @throws IllegalArgumentException if the payload is over 125 bytes
     */
    public static Frame ping(byte[] payload) {
        return new Frame(true, 0, Opcode.PING, payload);
    }

    /**
     * A pong with a copy of {@code payload}.
     *
     * @throws IllegalArgumentException if the payload is over 125 bytes
     */
    public static Frame pong(byte[] payload) {
        return new Frame(true, 0, Opcode.PONG, payload);
    }

    /** A close frame carrying {@code close}'s code and reason (nothing for {@link CloseFrame#NO_STATUS}). */
    public static Frame close(CloseFrame close) {
        return new Frame(true, 0, Opcode.CLOSE, close.payload(), true);
    }

    /** Whether this is the final frame of its message. */
    public boolean fin() {
        return fin;
    }

    /** The RSV bits, RSV1 being {@link #RSV1}. */
    public int rsv() {
        return rsv;
    }

    /** The opcode. */
    public Opcode opcode() {
        return opcode;
    }

    /** A read-only view of the payload. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** A copy of the payload. */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return payload.length;
    }

    /** Names the RSV bits set in {@code bits}, as in "RSV1, RSV3". */
    static String rsvNames(int bits) {
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            if ((bits & (8 >> i)) != 0) {
                names.append(names.length() == 0 ? "" : ", ").append("RSV").append(i);
            }
        }
        return names.toString();
    }

    /** The payload array itself, for the encoder, which only reads it. */
    byte[] payloadArray() {
        return payload;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Frame other
                && fin == other.fin
                && rsv == other.rsv
                && opcode == other.opcode
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fin, rsv, opcode) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String bytes = payload.length <= 32
                ? HexFormat.of().formatHex(payload)
                : HexFormat.of().formatHex(payload, 0, 32) + "…";
        return "Frame[" + opcode + (fin ? " fin" : "") + (rsv != 0 ? " rsv=" + rsv : "") + ", " + payload.length
                + " bytes " + bytes + "]";
    }
}
