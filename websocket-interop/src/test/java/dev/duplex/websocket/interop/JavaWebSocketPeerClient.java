package dev.duplex.websocket.interop;

import dev.duplex.websocket.interop.Recorder.Binary;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.interop.Recorder.Pong;
import dev.duplex.websocket.interop.Recorder.Text;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.ContinuousFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/**
 * Java-WebSocket 1.6.0's client, without permessage-deflate (see {@link JavaWebSocketPeerServer}).
 * It misbehaves by sending a continuation frame with no message to continue.
 */
final class JavaWebSocketPeerClient extends PeerClient {

    JavaWebSocketPeerClient() {
        super(new Abilities(true, true, false, true));
    }

    @Override
    PeerConnection connect(URI uri, List<String> subprotocols, boolean deflate) throws Exception {
        List<IProtocol> protocols = new ArrayList<>();
        subprotocols.forEach(p -> protocols.add(new Protocol(p)));
        if (protocols.isEmpty()) {
            protocols.add(new Protocol(""));
        }
        Connection connection = new Connection(uri, new Draft_6455(List.of(), protocols));
        connection.client.setConnectionLostTimeout(0);
        if (!connection.client.connectBlocking(Recorder.WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Java-WebSocket did not connect");
        }
        return connection;
    }

    @Override
    void stop() {}

    private static final class Connection extends PeerConnection {
        final WebSocketClient client;
        private volatile ServerHandshake handshake;

        Connection(URI uri, Draft_6455 draft) {
            client = new WebSocketClient(uri, draft) {
                @Override
                public void onOpen(ServerHandshake response) {
                    handshake = response;
                }

                @Override
                public void onMessage(String message) {
                    events.record(new Text(message));
                }

                @Override
                public void onMessage(ByteBuffer bytes) {
                    events.record(new Binary(Recorder.bytes(bytes)));
                }

                @Override
                public void onWebsocketPong(WebSocket conn, Framedata frame) {
                    events.record(new Pong(StandardCharsets.UTF_8
                            .decode(frame.getPayloadData())
                            .toString()));
                }

                @Override
                public void onClosing(int code, String reason, boolean remote) {
                    events.record(new Close(code, reason, true));
                }

                @Override
                public void onClose(int code, String reason, boolean remote) {}

                @Override
                public void onError(Exception ex) {
                    events.record(new Recorder.Error(ex));
                }
            };
        }

        @Override
        String subprotocol() {
            return handshake.hasFieldValue("Sec-WebSocket-Protocol")
                    ? handshake.getFieldValue("Sec-WebSocket-Protocol")
                    : "";
        }

        @Override
        String extensions() {
            return handshake.hasFieldValue("Sec-WebSocket-Extensions")
                    ? handshake.getFieldValue("Sec-WebSocket-Extensions")
                    : "";
        }

        @Override
        void sendText(String text) {
            client.send(text);
        }

        @Override
        void sendBinary(byte[] bytes) {
            client.send(bytes);
        }

        @Override
        void sendFragments(String text, int size) {
            List<byte[]> pieces = Payloads.byteFragments(text, size);
            for (int i = 0; i < pieces.size(); i++) {
                client.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(pieces.get(i)), i == pieces.size() - 1);
            }
        }

        @Override
        void ping(String payload) {
            PingFrame ping = new PingFrame();
            ping.setPayload(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
            client.sendFrame(ping);
        }

        @Override
        void close(int code, String reason) {
            client.close(code, reason);
        }

        @Override
        void misbehave() {
            ContinuousFrame orphan = new ContinuousFrame();
            orphan.setFin(true);
            orphan.setPayload(ByteBuffer.wrap("orphan".getBytes(StandardCharsets.UTF_8)));
            client.sendFrame(orphan);
        }
    }
}
