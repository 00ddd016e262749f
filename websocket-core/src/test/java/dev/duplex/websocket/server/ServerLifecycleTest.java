package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.WebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start, stop, the registry over real connections, and many connections at once. */
class ServerLifecycleTest {

    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private WebSocketServer.Builder builder() {
        return WebSocketServer.builder().host("127.0.0.1").port(0).ioThreads(2);
    }

    private static String goingAway() {
        byte[] reason = "Server stopping".getBytes(StandardCharsets.UTF_8);
        return String.format("88%02x03e9", reason.length + 2) + HexFormat.of().formatHex(reason);
    }

    @Test
    void gracefulStopSendsOneGoingAwayToEachAndReleasesThePort() throws Exception {
        server = builder().endpoint("/echo", new Endpoints.Echo()).build().start();
        int port = server.port();
        try (RawClient a = RawClient.connect(port).open("/echo");
                RawClient b = RawClient.connect(port).open("/echo")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);

            for (RawClient c : List.of(a, b)) {
                assertThat(c.readFrame()).isEqualTo(goingAway()); // close 1001 "Server stopping"
                c.send("8882 00000000 03e9"); // close 1001 in answer
                assertThat(c.isClosedByServer()).isTrue();
            }
            stopped.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        assertThat(server.isRunning()).isFalse();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void stopAbortsPeersThatNeverAnswerAfterTheDrainTimeout() throws Exception {
        server = builder()
                .drainTimeout(Duration.ofMillis(300))
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start();
        try (RawClient silent = RawClient.connect(server.port()).open("/echo")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);

            server.stop();

            assertThat(silent.readFrame()).isEqualTo(goingAway());
            assertThat(silent.isClosedByServer()).isTrue();
        }
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void startingTwiceFailsAndPortNeedsAStart() throws IOException {
        server = builder().endpoint("/echo", new Endpoints.Echo()).build();

        assertThatThrownBy(server::port)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The server is not started");
        server.start();
        assertThatThrownBy(server::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The server was already started");
    }

    @Test
    void builderRejectsBadArguments() {
        assertThatThrownBy(() -> WebSocketServer.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'port' must be in [0, 65535], was 70000");
        assertThatThrownBy(() -> WebSocketServer.builder().endpoint("chat", new Endpoints.Echo()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'template' must start with '/', was \"chat\"");
        assertThatThrownBy(() -> WebSocketServer.builder()
                        .endpoint("/a", new Endpoints.Echo())
                        .endpoint("/a", new Endpoints.Echo()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'pathTemplate' /a is already registered");
        assertThatThrownBy(() -> WebSocketServer.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("A server needs at least one endpoint");
        assertThatThrownBy(() -> WebSocketServer.builder().maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxConnections' must be at least 1, was 0");
    }

    /** Joins the group named by its path variable. */
    static final class Room extends DuplexEndpoint {
        volatile ConnectionRegistry registry;

        @Override
        public void onOpen(WebSocket ws) {
            registry.join(pathVariables(ws).get("room"), ws);
            ws.sendText("joined");
        }
    }

    @Test
    void registryReachesOpenConnectionsAndForgetsClosedOnes() throws Exception {
        Room room = new Room();
        server = builder().endpoint("/room/{room}", room).build();
        room.registry = server.registry();
        server.start();
        ConnectionRegistry registry = server.registry();

        try (RawClient a = RawClient.connect(server.port()).open("/room/red");
                RawClient b = RawClient.connect(server.port()).open("/room/red");
                RawClient c = RawClient.connect(server.port()).open("/room/blue")) {
            for (RawClient client : List.of(a, b, c)) {
                assertThat(client.readFrame()).isEqualTo(EndpointTest.text("joined"));
            }
            assertThat(registry.groupSize("red")).isEqualTo(2);
            assertThat(registry.size("/room/{room}")).isEqualTo(3);

            registry.broadcastTextToGroup("red", "to red").get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(a.readFrame()).isEqualTo(EndpointTest.text("to red"));
            assertThat(b.readFrame()).isEqualTo(EndpointTest.text("to red"));

            String blueId = registry.group("blue").iterator().next().id();
            registry.sendText(blueId, "just you").get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.readFrame()).isEqualTo(EndpointTest.text("just you"));

            c.send("8882 00000000 03e8"); // close 1000
            assertThat(c.readFrame()).isEqualTo("880203e8");
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.size() == 2);
            assertThat(registry.groupSize("blue")).isZero();
            assertThatThrownBy(() -> registry.sendText(blueId, "gone").join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(UnknownConnectionException.class);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.size() == 0);
        assertThat(registry.groupCount()).isZero();
    }

    @Test
    void registryStaysCleanOverManyRealOpenCloseCycles() throws IOException {
        Room room = new Room();
        server = builder().endpoint("/room/{room}", room).build();
        room.registry = server.registry();
        server.start();

        for (int i = 0; i < 300; i++) {
            try (RawClient c = RawClient.connect(server.port()).open("/room/r" + (i % 5))) {
                assertThat(c.readFrame()).isEqualTo(EndpointTest.text("joined"));
                if (i % 2 == 0) {
                    c.send("8880 00000000"); // close, no code
                    assertThat(c.readFrame()).isEqualTo("8800");
                }
                // Odd rounds drop the TCP connection without a closing handshake.
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> server.registry().size() == 0);
        assertThat(server.registry().groupCount()).isZero();
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void servesTwoThousandConnectionsOpenedAtOnce() throws IOException {
        server = builder().endpoint("/echo", new Endpoints.Echo()).build().start();
        int count = 2000;
        List<RawClient> clients = new ArrayList<>(count);
        try {
            String request = RawClient.upgradeRequest("/echo");
            for (int i = 0; i < count; i++) {
                RawClient c = RawClient.connect(server.port());
                c.write(request);
                clients.add(c);
            }
            for (RawClient c : clients) {
                assertThat(c.readHead()).startsWith("HTTP/1.1 101 ");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == count);
            RawClient last = clients.get(count - 1);
            last.send("8185 00000000 68656c6c6f"); // masked text "hello"
            assertThat(last.readFrame()).isEqualTo("810568656c6c6f");
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        assertThat(server.registry().size()).isZero();
    }
}
