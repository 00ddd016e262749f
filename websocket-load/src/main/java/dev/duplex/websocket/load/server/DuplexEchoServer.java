package dev.duplex.websocket.load.server;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.WebSocketServer;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Duplex's standalone {@link WebSocketServer} with an echo endpoint. The endpoint never blocks, so
 * it runs on the I/O threads ({@code directDispatch}), as Netty's handlers do; the other options are
 * the defaults.
 */
final class DuplexEchoServer {

    private DuplexEchoServer() {}

    static EchoServerMain.Running start(int port) throws IOException {
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(port)
                .backlog(4096)
                .protocolOptions(ProtocolOptions.builder()
                        .directDispatch(!Boolean.getBoolean("duplex.dispatch"))
                        .maxMessageSize(EchoServerMain.MAX_MESSAGE)
                        .build())
                .endpoint(EchoServerMain.PATH, new Echo())
                .build()
                .start();
        return new EchoServerMain.Running() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    /** Sends back every message with its type. */
    static final class Echo extends DuplexEndpoint {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            ws.sendBinary(copy);
        }
    }
}
