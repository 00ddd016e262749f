package dev.duplex.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.WebSocketServer;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The observer sees every open, message, ping and close on both sides, with bounded labels. */
class WebSocketObserverTest {

    private final RecordingObserver serverSide = new RecordingObserver();
    private final RecordingObserver clientSide = new RecordingObserver();
    private WebSocketServer server;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void recordsTheLifeOfAConnectionOnBothSides() throws Exception {
        startEchoServer();
        client = WebSocketClient.builder()
                .protocolOptions(ProtocolOptions.builder().observer(clientSide).build())
                .build();
        WebSocket ws = client.connect(
                        URI.create("ws://127.0.0.1:" + server.port() + "/echo/room-1"), new WebSocketListener() {})
                .get(10, TimeUnit.SECONDS);

        ws.sendText("héllo").get(5, TimeUnit.SECONDS); // 6 bytes of UTF-8
        ws.sendBinary(new byte[] {1, 2, 3}).get(5, TimeUnit.SECONDS);
        Duration rtt = ws.ping(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> clientSide.events.size() >= 6);
        ws.close(1000, "done").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> serverSide.events.contains("closed SERVER /echo/{room} 1000"));

        assertThat(rtt).isPositive();
        // Receives are seen on the I/O thread and sends on the listener's, so only opened-first and
        // closed-last are ordered across the two.
        assertThat(serverSide.events).first().isEqualTo("opened SERVER /echo/{room}");
        assertThat(serverSide.events).last().isEqualTo("closed SERVER /echo/{room} 1000");
        assertThat(serverSide.events)
                .containsExactlyInAnyOrder(
                        "opened SERVER /echo/{room}",
                        "received SERVER /echo/{room} TEXT 6",
                        "sent SERVER /echo/{room} TEXT 6",
                        "received SERVER /echo/{room} BINARY 3",
                        "sent SERVER /echo/{room} BINARY 3",
                        "closed SERVER /echo/{room} 1000");
        assertThat(clientSide.events).first().isEqualTo("opened CLIENT client");
        assertThat(clientSide.events).last().isEqualTo("closed CLIENT client 1000");
        assertThat(clientSide.events)
                .containsExactlyInAnyOrder(
                        "opened CLIENT client",
                        "sent CLIENT client TEXT 6",
                        "sent CLIENT client BINARY 3",
                        "received CLIENT client TEXT 6",
                        "received CLIENT client BINARY 3",
                        "ping CLIENT client",
                        "closed CLIENT client 1000");
    }

    @Test
    void recordsFailedHandshakesWithTheirStatus() throws Exception {
        startEchoServer();
        client = WebSocketClient.builder()
                .protocolOptions(ProtocolOptions.builder().observer(clientSide).build())
                .build();

        assertThatThrownBy(() -> client.connect(
                                URI.create("ws://127.0.0.1:" + server.port() + "/nowhere"), new WebSocketListener() {})
                        .get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(HandshakeException.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> !serverSide.events.isEmpty());
        assertThat(serverSide.events).containsExactly("handshakeFailed SERVER unmatched 404");
        assertThat(clientSide.events).containsExactly("handshakeFailed CLIENT client 404");
    }

    private void startEchoServer() throws Exception {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .protocolOptions(ProtocolOptions.builder().observer(serverSide).build())
                .endpoint("/echo/{room}", new DuplexEndpoint() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        webSocket.sendBinary(data);
                    }
                })
                .build()
                .start();
    }

    /** Keeps one line per call, in call order. */
    static final class RecordingObserver implements WebSocketObserver {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void opened(WebSocket webSocket, Side side, String endpoint) {
            events.add("opened " + side + " " + endpoint);
        }

        @Override
        public void closed(WebSocket webSocket, Side side, String endpoint, int code) {
            events.add("closed " + side + " " + endpoint + " " + code);
        }

        @Override
        public void messageReceived(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {
            events.add("received " + side + " " + endpoint + " " + kind + " " + bytes);
        }

        @Override
        public void messageSent(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {
            events.add("sent " + side + " " + endpoint + " " + kind + " " + bytes);
        }

        @Override
        public void handshakeFailed(Side side, String endpoint, String reason) {
            events.add("handshakeFailed " + side + " " + endpoint + " " + reason);
        }

        @Override
        public void pingRoundTrip(WebSocket webSocket, Side side, String endpoint, Duration roundTrip) {
            events.add("ping " + side + " " + endpoint);
        }
    }
}
