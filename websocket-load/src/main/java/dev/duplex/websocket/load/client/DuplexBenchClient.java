package dev.duplex.websocket.load.client;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Duplex's {@link WebSocketClient} with its defaults: listener events handed to the shared
 * dispatch pool ({@code duplex}), or, with {@code direct}, run on the I/O thread ({@code
 * duplex-direct}, the documented opt-in for listeners that never block, as these do not).
 */
final class DuplexBenchClient implements BenchClient {

    private final WebSocketClient client;

    DuplexBenchClient(boolean direct) {
        client = WebSocketClient.builder().directDispatch(direct).build();
    }

    @Override
    public CompletableFuture<Session> connect(URI uri, Receiver receiver) {
        DuplexSession session = new DuplexSession(receiver);
        return client.connect(uri, session).thenApply(ws -> {
            session.ws = ws;
            return session;
        });
    }

    @Override
    public void close() {
        client.close();
    }

    private static final class DuplexSession implements Session, WebSocketListener {
        private final Receiver receiver;
        volatile WebSocket ws;

        DuplexSession(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            receiver.onMessage(this, data.remaining());
        }

        @Override
        public void send(byte[] payload) {
            ws.sendBinary(ByteBuffer.wrap(payload));
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}
