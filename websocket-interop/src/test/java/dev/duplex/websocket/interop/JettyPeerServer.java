package dev.duplex.websocket.interop;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;

/**
 * Jetty 12.1 on its own WebSocket API (no servlets). permessage-deflate is on by default. Jetty's
 * partial-text API takes strings, so {@code #fragments} cuts whole characters; and Jetty checks
 * every frame and close code it sends, so it cannot be made to break the protocol.
 */
final class JettyPeerServer extends PeerServer {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    JettyPeerServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            // Jetty's default frame limit (64 KiB) would refuse a large message sent as one frame.
            container.setMaxFrameSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/echo", (request, response, callback) -> {
                String chosen = choose(request.getSubProtocols());
                if (chosen != null) {
                    response.setAcceptedSubProtocol(chosen);
                }
                return new Script(this);
            });
        }));
        server.start();
    }

    @Override
    URI uri() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/echo");
    }

    @Override
    boolean fragmentsBytes() {
        return false;
    }

    @Override
    boolean misbehaves() {
        return false;
    }

    @Override
    boolean deflates() {
        return true;
    }

    /**
     * Jetty accepts the offer but leaves out the window parameter, which RFC 7692 §7.1.2.1 says a
     * server accepting it must return; it is harmless, since the client's inflater takes any window.
     */
    @Override
    @Nullable
    String agreedToServerWindowOf10() {
        return "permessage-deflate";
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }

    /** One connection's script. Public: Jetty calls listeners through method handles. */
    public static final class Script extends Session.Listener.AbstractAutoDemanding {
        private final JettyPeerServer owner;

        Script(JettyPeerServer owner) {
            this.owner = owner;
        }

        @Override
        public void onWebSocketText(String message) {
            Command command = Command.parse(message);
            if (command == null) {
                await(callback -> getSession().sendText(message, callback));
                return;
            }
            switch (command.verb()) {
                case "close" -> getSession().close(command.number(), command.text(), Callback.NOOP);
                case "fragments" -> {
                    List<String> pieces = Payloads.charFragments(command.text(), command.number());
                    for (int i = 0; i < pieces.size(); i++) {
                        String piece = pieces.get(i);
                        boolean last = i == pieces.size() - 1;
                        await(callback -> getSession().sendPartialText(piece, last, callback));
                    }
                }
                case "ping" ->
                    await(callback -> getSession()
                            .sendPing(ByteBuffer.wrap(command.text().getBytes(StandardCharsets.UTF_8)), callback));
                default -> throw new IllegalArgumentException("unknown command " + message);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            getSession().sendBinary(payload, callback);
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            String text = StandardCharsets.UTF_8.decode(payload).toString();
            await(callback -> getSession().sendText("pong " + text, callback));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            owner.closed(statusCode, reason == null ? "" : reason);
            callback.succeed();
        }

        private static void await(java.util.function.Consumer<Callback> send) {
            Callback.Completable done = new Callback.Completable();
            send.accept(done);
            try {
                done.get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("send failed", e);
            }
        }
    }
}
