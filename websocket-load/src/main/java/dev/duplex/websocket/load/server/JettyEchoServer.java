package dev.duplex.websocket.load.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A Jetty 12.1 echo server on Jetty's own WebSocket API (no servlets): a {@code
 * WebSocketUpgradeHandler} mapping the path to an auto-demanding listener that sends each message
 * back, completing the read callback when the write completes.
 */
final class JettyEchoServer {

    private JettyEchoServer() {}

    static EchoServerMain.Running start(int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(EchoServerMain.MAX_MESSAGE);
            container.setMaxTextMessageSize(EchoServerMain.MAX_MESSAGE);
            container.setIdleTimeout(java.time.Duration.ofMinutes(10));
            container.addMapping(EchoServerMain.PATH, (request, response, callback) -> new Echo());
        }));
        server.start();
        return new EchoServerMain.Running() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }

    /** Sends back every message with its type. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            getSession().sendBinary(payload, callback);
        }
    }
}
