package dev.duplex.websocket.spring.autoconfigure.server;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Sends through the Jakarta WebSocket API's asynchronous remote ({@link RemoteEndpoint.Async}), as
 * Tomcat and Jetty expose it under spring-websocket's standard upgrade strategy. Data messages go
 * out with a {@link SendHandler}; control frames, at most 125 bytes, are written by the container's
 * own call, which returns once the frame is handed to the socket.
 */
final class JakartaTransmitter implements Transmitter {

    private final Session session;
    private final RemoteEndpoint.Async remote;

    JakartaTransmitter(Session session) {
        this.session = session;
        this.remote = session.getAsyncRemote();
    }

    @Override
    public void text(String text, Consumer<@Nullable Throwable> done) {
        try {
            remote.sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void binary(ByteBuffer data, Consumer<@Nullable Throwable> done) {
        try {
            remote.sendBinary(data, result -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void textNow(String text, Consumer<@Nullable Throwable> done) {
        try {
            session.getBasicRemote().sendText(text);
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void binaryNow(ByteBuffer data, Consumer<@Nullable Throwable> done) {
        try {
            session.getBasicRemote().sendBinary(data);
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    /**
     * Jakarta has no asynchronous partial send: the parts go through the blocking remote on a thread
     * of their own, so that the caller is not held.
     */
    @Override
    public void textParts(List<String> parts, Consumer<@Nullable Throwable> done) {
        sendParts(parts.size(), (remote, i, last) -> remote.sendText(parts.get(i), last), done);
    }

    @Override
    public void binaryParts(List<ByteBuffer> parts, Consumer<@Nullable Throwable> done) {
        sendParts(parts.size(), (remote, i, last) -> remote.sendBinary(parts.get(i), last), done);
    }

    @Override
    public void textPart(String part, boolean last, Consumer<@Nullable Throwable> done) {
        sendParts(1, (remote, i, ignored) -> remote.sendText(part, last), done);
    }

    @Override
    public void binaryPart(ByteBuffer part, boolean last, Consumer<@Nullable Throwable> done) {
        sendParts(1, (remote, i, ignored) -> remote.sendBinary(part, last), done);
    }

    private interface PartSender {
        void send(RemoteEndpoint.Basic remote, int index, boolean last) throws IOException;
    }

    private void sendParts(int count, PartSender sender, Consumer<@Nullable Throwable> done) {
        try {
            BlockingThreads.EXECUTOR.execute(() -> {
                try {
                    RemoteEndpoint.Basic remote = session.getBasicRemote();
                    for (int i = 0; i < count; i++) {
                        sender.send(remote, i, i == count - 1);
                    }
                    done.accept(null);
                } catch (IOException | RuntimeException e) {
                    done.accept(e);
                }
            });
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void ping(ByteBuffer payload, Consumer<@Nullable Throwable> done) {
        try {
            remote.sendPing(payload);
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void pong(ByteBuffer payload, Consumer<@Nullable Throwable> done) {
        try {
            remote.sendPong(payload);
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void close(int code, String reason, Consumer<@Nullable Throwable> done) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            done.accept(null);
        } catch (IOException | RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void abort() {
        try {
            // The Jakarta API has no abort; a going-away close that nothing waits for is the nearest.
            session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
