package dev.duplex.websocket.spring.autoconfigure.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Sends through spring-websocket's own {@link WebSocketSession#sendMessage}, which blocks: the
 * fallback for sessions that expose no Jakarta session. The queue still bounds what is buffered.
 */
final class SessionTransmitter implements Transmitter {

    private final WebSocketSession session;

    SessionTransmitter(WebSocketSession session) {
        this.session = session;
    }

    @Override
    public void text(String text, Consumer<@Nullable Throwable> done) {
        send(new TextMessage(text), done);
    }

    @Override
    public void binary(ByteBuffer data, Consumer<@Nullable Throwable> done) {
        send(new BinaryMessage(data), done);
    }

    @Override
    public void textNow(String text, Consumer<@Nullable Throwable> done) {
        text(text, done);
    }

    @Override
    public void binaryNow(ByteBuffer data, Consumer<@Nullable Throwable> done) {
        binary(data, done);
    }

    @Override
    public void textParts(List<String> parts, Consumer<@Nullable Throwable> done) {
        try {
            for (int i = 0; i < parts.size(); i++) {
                session.sendMessage(new TextMessage(parts.get(i), i == parts.size() - 1));
            }
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void binaryParts(List<ByteBuffer> parts, Consumer<@Nullable Throwable> done) {
        try {
            for (int i = 0; i < parts.size(); i++) {
                session.sendMessage(new BinaryMessage(parts.get(i), i == parts.size() - 1));
            }
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void textPart(String part, boolean last, Consumer<@Nullable Throwable> done) {
        send(new TextMessage(part, last), done);
    }

    @Override
    public void binaryPart(ByteBuffer part, boolean last, Consumer<@Nullable Throwable> done) {
        send(new BinaryMessage(part, last), done);
    }

    @Override
    public void ping(ByteBuffer payload, Consumer<@Nullable Throwable> done) {
        send(new PingMessage(payload), done);
    }

    @Override
    public void pong(ByteBuffer payload, Consumer<@Nullable Throwable> done) {
        send(new PongMessage(payload), done);
    }

    private void send(WebSocketMessage<?> message, Consumer<@Nullable Throwable> done) {
        try {
            session.sendMessage(message);
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void close(int code, String reason, Consumer<@Nullable Throwable> done) {
        try {
            session.close(new CloseStatus(code, reason));
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void abort() {
        try {
            session.close(CloseStatus.GOING_AWAY);
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
