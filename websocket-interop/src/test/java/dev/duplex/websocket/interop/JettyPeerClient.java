package dev.duplex.websocket.interop;

import dev.duplex.websocket.interop.Recorder.Binary;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.interop.Recorder.Pong;
import dev.duplex.websocket.interop.Recorder.Text;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Jetty 12.1's client on its own WebSocket API. It offers permessage-deflate only when asked, sends
 * fragments through its partial-text API (which takes strings, so pieces are whole characters) and
 * pings with a payload. Jetty checks every frame and close code it sends, so it cannot be made to
 * break the protocol.
 */
final class JettyPeerClient extends PeerClient {

    /** Above the largest test message: Jetty's defaults (64 KiB text, frame) would refuse it. */
    private static final int MAX_MESSAGE = PeerServer.MAX_MESSAGE;

    private final WebSocketClient client = new WebSocketClient();

    JettyPeerClient() throws Exception {
        super(new Abilities(true, true, true, false));
        client.setMaxTextMessageSize(MAX_MESSAGE);
        client.setMaxBinaryMessageSize(MAX_MESSAGE);
        client.setMaxFrameSize(MAX_MESSAGE);
        client.setIdleTimeout(Duration.ofMinutes(2));
        client.setConnectTimeout(TimeUnit.SECONDS.toMillis(Recorder.WAIT_SECONDS));
        client.start();
    }

    @Override
    PeerConnection connect(URI uri, List<String> subprotocols, boolean deflate) throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (!subprotocols.isEmpty()) {
            request.setSubProtocols(subprotocols);
        }
        if (deflate) {
            request.addExtensions("permessage-deflate");
        }
        Connection connection = new Connection();
        connection.session =
                client.connect(connection.listener, uri, request).get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        return connection;
    }

    @Override
    void stop() throws Exception {
        client.stop();
    }

    private static final class Connection extends PeerConnection {
        final Listener listener = new Listener(this);
        private volatile Session session;

        @Override
        String subprotocol() {
            String chosen = session.getUpgradeResponse().getAcceptedSubProtocol();
            return chosen == null ? "" : chosen;
        }

        @Override
        String extensions() {
            String header = session.getUpgradeResponse().getHeader("Sec-WebSocket-Extensions");
            return header == null ? "" : header;
        }

        @Override
        void sendText(String text) {
            await(callback -> session.sendText(text, callback));
        }

        @Override
        void sendBinary(byte[] bytes) {
            await(callback -> session.sendBinary(ByteBuffer.wrap(bytes), callback));
        }

        @Override
        void sendFragments(String text, int size) {
            List<String> pieces = Payloads.charFragments(text, size);
            for (int i = 0; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                boolean last = i == pieces.size() - 1;
                await(callback -> session.sendPartialText(piece, last, callback));
            }
        }

        @Override
        void ping(String payload) {
            await(callback -> session.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), callback));
        }

        /**
         * Not awaited: with permessage-deflate, Jetty now and then fails the close frame's callback
         * ("Closed", from its deflate flusher) when the server's answering close frame shuts the
         * session first, though the frame went out and the handshake completed. The script checks
         * the close on both sides instead.
         */
        @Override
        void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }

        /** Waits, bounded, for Jetty to have written a frame, so a failed send fails the test. */
        private static void await(Consumer<Callback> send) {
            Callback.Completable done = new Callback.Completable();
            send.accept(done);
            try {
                done.get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Jetty's send failed", e);
            }
        }
    }

    /** A connection's events into its recorder. Public: Jetty calls listeners through method handles. */
    public static final class Listener extends Session.Listener.AbstractAutoDemanding {
        private final PeerConnection connection;

        Listener(PeerConnection connection) {
            this.connection = connection;
        }

        @Override
        public void onWebSocketText(String message) {
            connection.events.record(new Text(message));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            connection.events.record(new Binary(Recorder.bytes(payload)));
            callback.succeed();
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            connection.events.record(
                    new Pong(StandardCharsets.UTF_8.decode(payload).toString()));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            connection.events.record(new Close(statusCode, reason == null ? "" : reason, true));
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            connection.events.record(new Recorder.Error(cause));
        }
    }
}
