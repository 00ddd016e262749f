package dev.duplex.websocket.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test helpers: HTTP text to bytes and back, byte for char (ISO-8859-1). */
final class Bytes {

    private Bytes() {}

    static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return text(bytes);
    }
}
