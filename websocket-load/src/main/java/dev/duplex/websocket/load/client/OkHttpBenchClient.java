package dev.duplex.websocket.load.client;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * OkHttp 5's WebSocket with a default {@link OkHttpClient}, except the dispatcher's limits on
 * concurrent calls (64 in all, 5 per host by default), which would cap concurrent connects.
 */
final class OkHttpBenchClient implements BenchClient {

    private final OkHttpClient client;

    OkHttpBenchClient() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(100_000);
        dispatcher.setMaxRequestsPerHost(100_000);
        client = new OkHttpClient.Builder().dispatcher(dispatcher).build();
    }

    @Override
    public CompletableFuture<Session> connect(URI uri, Receiver receiver) {
        OkSession session = new OkSession(receiver);
        client.newWebSocket(new Request.Builder().url(uri.toString()).build(), session);
        return session.opened;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static final class OkSession extends WebSocketListener implements Session {
        private final Receiver receiver;
        final CompletableFuture<Session> opened = new CompletableFuture<>();
        private volatile WebSocket ws;
        /** The last payload sent and its ByteString, so a payload sent again is not copied again. */
        private volatile Sent last;

        private record Sent(byte[] payload, ByteString bytes) {}

        OkSession(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            ws = webSocket;
            opened.complete(this);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            receiver.onMessage(this, bytes.size());
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            opened.completeExceptionally(t);
        }

        @Override
        public void send(byte[] payload) {
            Sent s = last;
            if (s == null || s.payload != payload) {
                s = new Sent(payload, ByteString.of(payload));
                last = s;
            }
            ws.send(s.bytes);
        }

        @Override
        public void close() {
            ws.close(1000, null);
        }
    }
}
