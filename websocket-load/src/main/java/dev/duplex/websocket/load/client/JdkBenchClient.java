package dev.duplex.websocket.load.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK's {@code java.net.http} WebSocket with a default {@link HttpClient}. It allows one
 * outstanding send per connection, so sends queue here and go out one after the other, as any
 * user of that API must arrange; demand is one message at a time, as its documentation shows.
 */
final class JdkBenchClient implements BenchClient {

    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public CompletableFuture<Session> connect(URI uri, Receiver receiver) {
        JdkSession session = new JdkSession(receiver);
        return client.newWebSocketBuilder().buildAsync(uri, session).thenApply(ws -> {
            session.ws = ws;
            return session;
        });
    }

    @Override
    public void close() {
        // HttpClient has no close() on Java 17: its threads end once it is unreachable.
    }

    private static final class JdkSession implements Session, WebSocket.Listener {
        private final Receiver receiver;
        private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        volatile WebSocket ws;
        private int partial; // bytes of a message delivered in parts; the listener's calls are serial

        JdkSession(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            partial += data.remaining();
            if (last) {
                int bytes = partial;
                partial = 0;
                receiver.onMessage(this, bytes);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void send(byte[] payload) {
            queue.add(payload);
            drain();
        }

        private void drain() {
            while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
                byte[] next = queue.poll();
                if (next == null) {
                    sending.set(false);
                    continue;
                }
                ws.sendBinary(ByteBuffer.wrap(next), true).whenComplete((w, e) -> {
                    sending.set(false);
                    if (e == null) {
                        drain();
                    }
                });
            }
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }
}
