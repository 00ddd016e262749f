package dev.duplex.websocket.cli;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code connect URL}: every line of standard input becomes a text message; every message
 * received is printed ({@code < text}, or {@code < binary N bytes: hex…}). At the end of input
 * the connection is closed normally. Exit status 0 when the connection ended with a clean 1000 or
 * 1001, 1 otherwise.
 */
final class ConnectCommand implements Command {

    private static final int HEX_PREVIEW = 32;

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        ClientArguments arguments = ClientArguments.parse(args);
        CompletableFuture<Boolean> clean = new CompletableFuture<>();
        try (WebSocketClient client = arguments.client()) {
            WebSocket ws;
            try {
                ws = client.connectBlocking(arguments.request(), new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        out.println("< " + text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        byte[] bytes = new byte[Math.min(data.remaining(), HEX_PREVIEW)];
                        int total = data.remaining();
                        data.get(bytes);
                        out.println("< binary " + total + " bytes: "
                                + HexFormat.of().formatHex(bytes) + (total > HEX_PREVIEW ? "…" : ""));
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        err.println("error: " + error.getMessage());
                    }

                    @Override
                    public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
                        out.println("closed " + code + (reason.isEmpty() ? "" : " " + reason)
                                + (wasClean ? "" : " (not clean)"));
                        clean.complete(
                                wasClean && (code == CloseReason.NORMAL_CLOSURE || code == CloseReason.GOING_AWAY));
                    }
                });
            } catch (Exception e) {
                err.println("error: could not connect: " + e.getMessage());
                return 1;
            }
            out.println("connected to " + ws.uri()
                    + (ws.subprotocol() == null ? "" : " (subprotocol " + ws.subprotocol() + ")"));
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader lines =
                                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = lines.readLine()) != null && ws.isOpen()) {
                                ws.sendText(line).join();
                            }
                            if (ws.isOpen()) {
                                ws.close();
                            }
                        } catch (Exception e) {
                            ws.abort();
                        }
                    },
                    "stdin");
            reader.setDaemon(true); // blocked on a terminal read when the server closes first
            reader.start();
            return clean.get() ? 0 : 1;
        }
    }
}
