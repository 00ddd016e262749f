package dev.duplex.websocket.interop;

import dev.duplex.websocket.interop.Recorder.Binary;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.interop.Recorder.Text;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * OkHttp 5.5.1. OkHttp offers permessage-deflate on every connection (it cannot be turned off),
 * sends no fragments and no pings with a payload of the caller's, and checks every close code it
 * sends: it cannot be made to break the protocol. Its outgoing queue holds at most 16 MiB.
 */
final class OkHttpPeerClient extends PeerClient {

    private final OkHttpClient client = new OkHttpClient.Builder().build();

    OkHttpPeerClient() {
        super(new Abilities(false, false, true, false));
    }

    @Override
    PeerConnection connect(URI uri, List<String> subprotocols, boolean deflate) throws Exception {
        Request.Builder request = new Request.Builder().url(uri.toString().replaceFirst("^ws", "http"));
        if (!subprotocols.isEmpty()) {
            request.header("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        Connection connection = new Connection();
        client.newWebSocket(request.build(), connection.listener());
        connection.opened.get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        return connection;
    }

    @Override
    void stop() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static final class Connection extends PeerConnection {
        final CompletableFuture<Response> opened = new CompletableFuture<>();
        private volatile WebSocket ws;

        @Override
        String subprotocol() {
            return header("Sec-WebSocket-Protocol");
        }

        @Override
        String extensions() {
            return header("Sec-WebSocket-Extensions");
        }

        private String header(String name) {
            String value = opened.join().header(name);
            return value == null ? "" : value;
        }

        @Override
        void sendText(String text) {
            ws.send(text);
        }

        @Override
        void sendBinary(byte[] bytes) {
            ws.send(ByteString.of(bytes));
        }

        @Override
        void close(int code, String reason) {
            ws.close(code, reason);
        }

        WebSocketListener listener() {
            return new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response response) {
                    ws = webSocket;
                    opened.complete(response);
                }

                @Override
                public void onMessage(WebSocket webSocket, String text) {
                    events.record(new Text(text));
                }

                @Override
                public void onMessage(WebSocket webSocket, ByteString bytes) {
                    events.record(new Binary(bytes.toByteArray()));
                }

                @Override
                public void onClosing(WebSocket webSocket, int code, String reason) {
                    events.record(new Close(code, reason, true));
                    webSocket.close(code, null);
                }

                @Override
                public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                    opened.completeExceptionally(t);
                    events.record(new Recorder.Error(t));
                }
            };
        }
    }
}
