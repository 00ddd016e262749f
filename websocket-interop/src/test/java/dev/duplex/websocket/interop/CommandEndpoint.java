package dev.duplex.websocket.interop;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Duplex's server side of the {@link Command} script: echoes data, runs commands, and records how
 * each connection closed (its events go to {@link #closes}, errors to {@link #errors}).
 */
final class CommandEndpoint extends DuplexEndpoint {

    final BlockingQueue<Recorder.Close> closes = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final BlockingQueue<String> pings = new LinkedBlockingQueue<>();

    @Override
    public void onText(WebSocket webSocket, String text) {
        Command command = Command.parse(text);
        if (command == null) {
            webSocket.sendText(text);
            return;
        }
        switch (command.verb()) {
            case "close" -> webSocket.close(command.number(), command.text());
            case "fragments" -> webSocket.sendText(command.text(), command.number());
            case "ping" ->
                webSocket
                        .ping(ByteBuffer.wrap(command.text().getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10))
                        .thenRun(() -> webSocket.sendText("pong " + command.text()));
            default -> throw new IllegalArgumentException("unknown command " + text);
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        webSocket.sendBinary(ByteBuffer.wrap(Recorder.bytes(data)));
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        pings.add(StandardCharsets.UTF_8.decode(payload).toString());
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        errors.add(error);
    }

    @Override
    public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
        closes.add(new Recorder.Close(reason.code(), reason.reason(), wasClean));
    }
}
