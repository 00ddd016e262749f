package dev.duplex.websocket.sample;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.nio.ByteBuffer;

/**
 * {@code /echo}: sends every message back as it came, text as text and binary as binary. The page's
 * echo card and the outbound client (by default) talk to it.
 */
@WebSocketEndpoint(path = "/echo", maxTextMessageSize = "64KB", maxBinaryMessageSize = "64KB")
public class EchoEndpoint extends DuplexEndpoint {

    @Override
    public void onText(WebSocket webSocket, String text) {
        webSocket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        // The buffer is valid during this call only: the send takes a copy.
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        webSocket.sendBinary(copy);
    }
}
