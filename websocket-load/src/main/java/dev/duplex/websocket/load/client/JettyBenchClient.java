package dev.duplex.websocket.load.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Jetty 12.1's WebSocket client with its defaults, except an idle timeout long enough for the
 * memory probe's idle connections (30 s by default). Public, as is its listener: Jetty calls the
 * listener through method handles it looks up.
 */
public final class JettyBenchClient implements BenchClient {

    private final WebSocketClient client = new WebSocketClient();

    JettyBenchClient() throws Exception {
        client.setIdleTimeout(Duration.ofMinutes(10));
        client.start();
    }

    @Override
    public CompletableFuture<Session> connect(URI uri, Receiver receiver) {
        JettySession session = new JettySession(receiver);
        try {
            return client.connect(session, uri).thenApply(s -> {
                session.session = s;
                return session;
            });
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    public static final class JettySession
            implements BenchClient.Session, org.eclipse.jetty.websocket.api.Session.Listener.AutoDemanding {
        private final BenchClient.Receiver receiver;
        volatile org.eclipse.jetty.websocket.api.Session session;

        JettySession(BenchClient.Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session s) {
            session = s;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            int bytes = payload.remaining();
            callback.succeed();
            receiver.onMessage(this, bytes);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // A connection the benchmark drops at the end of a cell; nothing to report.
        }

        @Override
        public void send(byte[] payload) {
            session.sendBinary(ByteBuffer.wrap(payload), Callback.NOOP);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
