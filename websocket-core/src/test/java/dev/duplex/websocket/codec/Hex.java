package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex strings to bytes and back, for frames written in tests. */
final class Hex {

    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The bytes between position and limit, without moving the position. */
    static String of(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(buffer.position(), bytes);
        return of(bytes);
    }

    /** {@code count} bytes counting 0, 1, 2, … modulo 256. */
    static byte[] counting(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
