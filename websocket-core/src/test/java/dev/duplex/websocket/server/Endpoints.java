package dev.duplex.websocket.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Endpoints the server tests share. */
final class Endpoints {

    private Endpoints() {}

    /** Echoes text and binary messages. */
    static final class Echo extends DuplexEndpoint {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            ws.sendBinary(copy);
        }
    }

    /** Records every hook call as a line, in order. */
    static class Recording extends DuplexEndpoint {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
            events.add("handshake " + request.path() + " " + request.pathVariables());
        }

        @Override
        public void onOpen(WebSocket ws) {
            events.add("open");
        }

        @Override
        public void onText(WebSocket ws, String text) {
            events.add("text " + text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            events.add("binary " + data.remaining());
        }

        @Override
        public void onPing(WebSocket ws, ByteBuffer payload) {
            events.add("ping " + payload.remaining());
        }

        @Override
        public void onPong(WebSocket ws, ByteBuffer payload) {
            events.add("pong " + payload.remaining());
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add("error " + error.getMessage());
        }

        @Override
        public void onClose(WebSocket ws, CloseReason reason, boolean wasClean) {
            events.add("close " + reason.code() + " " + wasClean);
        }

        @Override
        public void onAfterClose(WebSocket ws) {
            events.add("after");
        }
    }
}
