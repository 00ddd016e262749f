package dev.duplex.websocket.benchmarks;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Test data shared by every benchmark, so that all implementations see the same bytes.
 *
 * <p>Frames are written here by hand rather than by any of the codecs under test, so that no
 * implementation decodes input that it produced itself. Not thread-safe state is kept: every
 * method returns fresh arrays.
 */
final class Payloads {

    /** The masking key of every pre-built client frame; the one from RFC 6455 §5.7's examples. */
    static final int MASK_KEY = 0x37fa213d;

    /** Opcode of a binary frame (RFC 6455 §5.2): no UTF-8 validation in any decoder. */
    private static final int OPCODE_BINARY = 0x2;

    private static final long SEED = 0x5eed_d00d_cafe_f00dL;

    private Payloads() {}

    /**
     * Returns {@code size} pseudo-random bytes, the same for every call with the same size.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    static byte[] payload(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("'size' must not be negative, was " + size);
        }
        byte[] bytes = new byte[size];
        new SplittableRandom(SEED).nextBytes(bytes);
        return bytes;
    }

    /**
     * Returns one final, masked binary frame carrying {@code payload}, as a client sends it:
     * header with the shortest length form (RFC 6455 §5.2), {@link #MASK_KEY}, masked payload.
     */
    static byte[] maskedClientFrame(byte[] payload) {
        int length = payload.length;
        int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + 4 + length);
        frame.put((byte) (0x80 | OPCODE_BINARY));
        if (lengthBytes == 0) {
            frame.put((byte) (0x80 | length));
        } else if (lengthBytes == 2) {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(length);
        }
        frame.putInt(MASK_KEY);
        frame.put(masked(payload, MASK_KEY));
        return frame.array();
    }

    /** Returns a copy of {@code bytes} masked with {@code key} (RFC 6455 §5.3), one byte at a time. */
    static byte[] masked(byte[] bytes, int key) {
        byte[] result = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            result[i] = (byte) (bytes[i] ^ (key >>> (24 - 8 * (i & 3))));
        }
        return result;
    }

    /** Returns the number of bytes a masked frame with a payload of {@code size} bytes takes. */
    static int maskedFrameLength(int size) {
        int lengthBytes = size < 126 ? 0 : size <= 0xFFFF ? 2 : 8;
        return 2 + lengthBytes + 4 + size;
    }

    /**
     * Reads one final, masked binary frame from {@code frame} and returns its unmasked payload:
     * the harness's own check of an encoder's output, independent of every implementation.
     *
     * @throws IllegalStateException if the bytes are not exactly one such frame
     */
    static byte[] unmaskClientFrame(ByteBuffer frame) {
        ByteBuffer in = frame.duplicate();
        int first = in.get() & 0xFF;
        int second = in.get() & 0xFF;
        if (first != (0x80 | OPCODE_BINARY) || (second & 0x80) == 0) {
            throw new IllegalStateException("not a final, masked binary frame: " + Integer.toHexString(first) + " "
                    + Integer.toHexString(second));
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = in.getShort() & 0xFFFF;
        } else if (length == 127) {
            length = in.getLong();
        }
        int key = in.getInt();
        if (length != in.remaining()) {
            throw new IllegalStateException("header says " + length + " payload bytes, " + in.remaining() + " follow");
        }
        byte[] payload = new byte[(int) length];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (in.get() ^ (key >>> (24 - 8 * (i & 3))));
        }
        return payload;
    }
}
