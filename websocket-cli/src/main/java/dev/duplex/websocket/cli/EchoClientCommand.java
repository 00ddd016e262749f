package dev.duplex.websocket.cli;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code echo-client URL}: connects and sends back every message it receives with the same type
 * (text as text, binary as binary). Exit status 0 when the server closes normally (a clean 1000 or
 * 1001), 1 on a failed handshake or an abnormal close.
 */
final class EchoClientCommand implements Command {

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        ClientArguments arguments = ClientArguments.parse(args);
        CompletableFuture<Boolean> normal = new CompletableFuture<>();
        try (WebSocketClient client = arguments.client()) {
            try {
                client.connectBlocking(arguments.request(), new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                        copy.put(data).flip();
                        webSocket.sendBinary(copy);
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        err.println("error: " + error.getMessage());
                    }

                    @Override
                    public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
                        out.println("closed " + code + (reason.isEmpty() ? "" : " " + reason)
                                + (wasClean ? "" : " (not clean)"));
                        normal.complete(
                                wasClean && (code == CloseReason.NORMAL_CLOSURE || code == CloseReason.GOING_AWAY));
                    }
                });
            } catch (Exception e) {
                err.println("error: could not connect: " + e.getMessage());
                return 1;
            }
            return normal.get() ? 0 : 1;
        }
    }
}
