package dev.duplex.websocket.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** Endpoints the server tests share. */
final class Endpoints {

    private Endpoints() {}

    /** Echoes text and binary messages. */
    static class Echo extends DuplexEndpoint {
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

    /**
     * Echoes every message with its type, except text commands: {@code !close CODE REASON}, {@code
     * !fragments N TEXT} (TEXT as one message in N frames), {@code !ping P} (answers {@code pong P}
     * once the client's pong came back), {@code !header NAME} (the request header's values, joined
     * by commas), {@code !protocol}, {@code !unicode}. Records each close as {@code "CODE REASON
     * wasClean"}.
     */
    static final class Scripted extends DuplexEndpoint {
        static final String UNICODE = "h\u00e9llo w\u00f6rld \u2713 \ud83d\ude80";

        final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

        @Override
        public void onText(WebSocket ws, String text) {
            if (!text.startsWith("!")) {
                ws.sendText(text);
                return;
            }
            String[] parts = text.split(" ", 3);
            switch (parts[0]) {
                case "!close" -> ws.close(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
                case "!fragments" -> {
                    int n = Integer.parseInt(parts[1]);
                    ws.sendText(parts[2], (parts[2].length() + n - 1) / n);
                }
                case "!ping" ->
                    ws.ping(ByteBuffer.wrap(parts[1].getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5))
                            .thenRun(() -> ws.sendText("pong " + parts[1]));
                case "!header" ->
                    ws.sendText(String.join(",", ws.handshakeHeaders().getOrDefault(parts[1], List.of())));
                case "!protocol" -> ws.sendText(String.valueOf(ws.subprotocol()));
                case "!unicode" -> ws.sendText(UNICODE);
                default -> ws.sendText("unknown command " + parts[0]);
            }
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            ws.sendBinary(copy);
        }

        @Override
        public void onClose(WebSocket ws, CloseReason reason, boolean wasClean) {
            closes.add(reason.code() + " " + reason.reason() + " " + wasClean);
        }
    }
}
