package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records what an assembler delivers as short strings, such as {@code "text Hello"}. */
class RecordingMessageSink implements MessageSink {

    final List<String> events = new ArrayList<>();
    /** The binary messages and parts as handed over. */
    final List<ByteBuffer> binaries = new ArrayList<>();

    @Override
    public void onText(String text) {
        events.add("text " + text);
    }

    @Override
    public void onBinary(ByteBuffer data) {
        binaries.add(data);
        events.add("binary " + Hex.of(data));
    }

    @Override
    public void onTextPart(String part, boolean last) {
        events.add("text part " + part + (last ? " (last)" : ""));
    }

    @Override
    public void onBinaryPart(ByteBuffer part, boolean last) {
        binaries.add(part);
        events.add("binary part " + Hex.of(part) + (last ? " (last)" : ""));
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("ping " + Hex.of(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("pong " + Hex.of(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("close " + code + " " + reason);
    }
}
