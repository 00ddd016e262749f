package dev.duplex.websocket.interop;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.ContinuousFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket 1.6.0's server (no permessage-deflate here: the library's extension is not among
 * the peers the issue names). Fragments cut bytes; {@code #bad} sends a continuation frame with no
 * message to continue (RFC 6455 §5.4), which the library's frame API lets through.
 */
final class JavaWebSocketPeerServer extends PeerServer {

    private final Server server;

    JavaWebSocketPeerServer() throws InterruptedException {
        // The empty protocol accepts clients that offer no subprotocol.
        List<IProtocol> protocols = List.of(new Protocol("chat.v1"), new Protocol("chat.v2"), new Protocol(""));
        server = new Server(this, List.of(new Draft_6455(List.of(), protocols)));
        server.setConnectionLostTimeout(0);
        server.setReuseAddr(true);
        server.start();
        if (!server.started.await(Recorder.WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Java-WebSocket server did not start");
        }
    }

    @Override
    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getPort() + "/echo");
    }

    @Override
    boolean fragmentsBytes() {
        return true;
    }

    @Override
    boolean misbehaves() {
        return true;
    }

    @Override
    boolean deflates() {
        return false;
    }

    @Override
    void stop() throws InterruptedException {
        server.stop(5000);
    }

    private static final class Server extends WebSocketServer {
        private final JavaWebSocketPeerServer owner;
        final CountDownLatch started = new CountDownLatch(1);

        Server(JavaWebSocketPeerServer owner, List<Draft> drafts) {
            super(new InetSocketAddress("127.0.0.1", 0), drafts);
            this.owner = owner;
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {}

        @Override
        public void onMessage(WebSocket conn, String message) {
            Command command = Command.parse(message);
            if (command == null) {
                conn.send(message);
                return;
            }
            switch (command.verb()) {
                case "close" -> conn.close(command.number(), command.text());
                case "fragments" -> {
                    List<byte[]> pieces = Payloads.byteFragments(command.text(), command.number());
                    for (int i = 0; i < pieces.size(); i++) {
                        conn.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(pieces.get(i)), i == pieces.size() - 1);
                    }
                }
                case "ping" -> {
                    PingFrame ping = new PingFrame();
                    ping.setPayload(ByteBuffer.wrap(command.text().getBytes(StandardCharsets.UTF_8)));
                    conn.sendFrame(ping);
                }
                case "bad" -> {
                    ContinuousFrame orphan = new ContinuousFrame();
                    orphan.setFin(true);
                    orphan.setPayload(ByteBuffer.wrap("orphan".getBytes(StandardCharsets.UTF_8)));
                    conn.sendFrame(orphan);
                }
                default -> throw new IllegalArgumentException("unknown command " + message);
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            conn.send(message);
        }

        @Override
        public void onWebsocketPong(WebSocket conn, Framedata frame) {
            conn.send("pong " + StandardCharsets.UTF_8.decode(frame.getPayloadData()));
        }

        @Override
        public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
            owner.closed(code, reason);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

        @Override
        public void onError(WebSocket conn, Exception ex) {}
    }
}
