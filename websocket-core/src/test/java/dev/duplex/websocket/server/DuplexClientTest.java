package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.SendOverflowException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.transport.ProtocolOptions;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Duplex's client against Duplex's standalone server: every feature of endpoints and server, end to end. */
class DuplexClientTest {

    private WebSocketClient client;
    private WebSocketServer server;

    @BeforeEach
    void client() {
        client = WebSocketClient.builder().ioThreads(1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.stop();
        }
    }

    private URI start(WebSocketServer.Builder builder, String path) throws Exception {
        server = builder.host("127.0.0.1").port(0).ioThreads(1).build().start();
        return URI.create((path.startsWith("wss:") ? "" : "ws://127.0.0.1:" + server.port()) + path);
    }

    private WebSocket connect(URI uri, ClientEvents events) throws Exception {
        WebSocket ws = client.connect(uri, events).get(10, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("open");
        return ws;
    }

    @Test
    void hooksRunInOrderAndTheClientSeesTheClose() throws Exception {
        Endpoints.Recording rec = new Endpoints.Recording();
        URI uri = start(WebSocketServer.builder().endpoint("/rec/{id}", rec), "/rec/7");
        ClientEvents events = new ClientEvents();
        WebSocket ws = connect(uri, events);

        ws.sendText("a");
        ws.sendBinary(new byte[3]);
        // A ping takes the priority lane and may pass queued messages: let those arrive first.
        await().atMost(Duration.ofSeconds(10)).until(() -> rec.events.contains("binary 3"));
        assertThat(ws.ping(ByteBuffer.wrap(new byte[] {'p'}), Duration.ofSeconds(5))
                        .get(10, TimeUnit.SECONDS))
                .isPositive();
        ws.pong(ByteBuffer.allocate(2));
        assertThat(ws.close(4000, "done").get(10, TimeUnit.SECONDS)).isEqualTo(new CloseReason(4000, ""));

        assertThat(events.next()).isEqualTo("pong p");
        assertThat(events.next()).isEqualTo("close 4000  true");
        await().atMost(Duration.ofSeconds(10)).until(() -> rec.events.contains("after"));
        assertThat(rec.events)
                .containsExactly(
                        "handshake /rec/7 {id=7}",
                        "open",
                        "text a",
                        "binary 3",
                        "ping 1",
                        "pong 2",
                        "close 4000 true",
                        "after");
        assertThat(server.registry().size()).isZero();
    }

    @Test
    void givesPathVariablesAttributesAndCaseInsensitiveHeadersBothSides() throws Exception {
        URI uri = start(
                WebSocketServer.builder().endpoint("/rooms/{room}/users/{user}", new DuplexEndpoint() {
                    @Override
                    public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
                        response.attributes()
                                .put("user", request.pathVariables().get("user"));
                        response.header("X-Room", request.pathVariables().get("room"));
                    }

                    @Override
                    public void onOpen(WebSocket ws) {
                        ws.sendText(pathVariables(ws).get("room") + " "
                                + ws.attributes().get("user") + " "
                                + ws.handshakeHeaders().get("x-token"));
                    }
                }),
                "/rooms/blue%20room/users/ann?x=1");
        WebSocketClient withHeader =
                WebSocketClient.builder().ioThreads(1).header("X-Token", "t1").build();
        try {
            ClientEvents events = new ClientEvents();
            WebSocket ws = withHeader.connect(uri, events).get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("open");
            assertThat(events.next()).isEqualTo("text blue room ann [t1]");
            assertThat(ws.handshakeHeaders().get("x-room")).containsExactly("blue room");
            assertThat(ws.handshakeHeaders().get("SEC-WEBSOCKET-ACCEPT")).hasSize(1);
        } finally {
            withHeader.close();
        }
    }

    @Test
    void agreesOnSubprotocolsInServerOrderOrAsTheEndpointChooses() throws Exception {
        URI uri = start(
                WebSocketServer.builder()
                        .subprotocols("v2", "v1")
                        .endpoint("/server-choice", new Endpoints.Echo())
                        .endpoint("/endpoint-choice", new DuplexEndpoint() {
                            @Override
                            public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
                                response.subprotocol(request.offeredSubprotocols()
                                        .get(request.offeredSubprotocols().size() - 1));
                            }
                        }),
                "/server-choice");
        WebSocketClient offering = WebSocketClient.builder()
                .ioThreads(1)
                .subprotocols("v1", "v2", "v3")
                .build();
        try {
            ClientEvents events = new ClientEvents();
            assertThat(offering.connect(uri, events).get(10, TimeUnit.SECONDS).subprotocol())
                    .isEqualTo("v2");
            URI other = uri.resolve("/endpoint-choice");
            assertThat(offering.connect(other, events).get(10, TimeUnit.SECONDS).subprotocol())
                    .isEqualTo("v3");
        } finally {
            offering.close();
        }
    }

    @Test
    void aJsonEndpointTalksInObjects() throws Exception {
        URI uri = start(
                WebSocketServer.builder()
                        .protocolOptions(ProtocolOptions.builder()
                                .jsonCodec(new EndpointTest.PointCodec())
                                .build())
                        .endpoint("/points", new JsonEndpoint<>(EndpointTest.Point.class) {
                            @Override
                            public void onMessage(WebSocket ws, EndpointTest.Point p) {
                                ws.sendObject(new EndpointTest.Point(p.y(), p.x()));
                            }
                        }),
                "/points");
        ClientEvents events = new ClientEvents();
        WebSocket ws = connect(uri, events);

        ws.sendText("{\"x\":1,\"y\":2}");
        assertThat(events.next()).isEqualTo("text {\"x\":2,\"y\":1}");
        ws.sendText("not json");
        assertThat(events.next()).isEqualTo("close 1007 Message is not JSON for Point true");
    }

    @Test
    void aBlockingEndpointServesWithALoopAndEndsByReturning() throws Exception {
        List<String> parts = new CopyOnWriteArrayList<>();
        URI uri = start(
                WebSocketServer.builder()
                        .protocolOptions(ProtocolOptions.builder()
                                .maxPendingReceive(64 * 1024)
                                .build())
                        .endpoint("/loop", new DuplexEndpoint() {
                            @Override
                            public void serve(WebSocket ws) throws Exception {
                                int messages = 0;
                                while (messages < 2) {
                                    Message m = ws.receive(Duration.ofSeconds(10));
                                    parts.add(m.toString());
                                    if (m.last()) {
                                        messages++;
                                    }
                                }
                                ws.sendText("served " + messages).get();
                            }
                        }),
                "/loop");
        ClientEvents events = new ClientEvents();
        WebSocket ws = connect(uri, events);

        ws.sendText("one");
        ws.sendBinary(new byte[200_000]);
        assertThat(events.next()).isEqualTo("text served 2");
        assertThat(events.next()).isEqualTo("close 1000  true");
        assertThat(parts).first().isEqualTo(new Message.Text("one", true).toString());
        assertThat(parts).last().asString().endsWith("last=true]");
    }

    @Test
    void theRegistryFindsSendsBroadcastsAndForgets() throws Exception {
        URI uri = start(
                WebSocketServer.builder().endpoint("/chat/{room}", new DuplexEndpoint() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        server.registry().join(pathVariables(ws).get("room"), ws);
                        ws.sendText(ws.id());
                    }
                }),
                "/chat/red");
        List<ClientEvents> red = List.of(new ClientEvents(), new ClientEvents());
        List<WebSocket> sockets = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (ClientEvents e : red) {
            sockets.add(connect(uri, e));
            ids.add(e.next().substring("text ".length()));
        }
        ClientEvents blue = new ClientEvents();
        WebSocket blueSocket = connect(uri.resolve("/chat/blue"), blue);
        String blueId = blue.next().substring("text ".length());

        ConnectionRegistry registry = server.registry();
        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.size("/chat/{room}")).isEqualTo(3);
        assertThat(registry.groupSize("red")).isEqualTo(2);
        assertThat(registry.find(blueId)).isPresent();

        registry.sendText(ids.get(1), "to one").get(10, TimeUnit.SECONDS);
        assertThat(red.get(1).next()).isEqualTo("text to one");
        registry.broadcastTextToGroup("red", "to red").get(10, TimeUnit.SECONDS);
        assertThat(red.get(0).next()).isEqualTo("text to red");
        assertThat(red.get(1).next()).isEqualTo("text to red");
        registry.broadcastBinary("/chat/{room}", ByteBuffer.allocate(5)).get(10, TimeUnit.SECONDS);
        for (ClientEvents e : List.of(red.get(0), red.get(1), blue)) {
            assertThat(e.next()).isEqualTo("binary 5");
        }
        assertThat(blue.isEmpty()).isTrue();

        blueSocket.close().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 2);
        assertThatThrownBy(() -> registry.sendText(blueId, "gone").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownConnectionException.class);
        for (WebSocket s : sockets) {
            s.close().get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0 && registry.groupCount() == 0);
    }

    @Test
    void aGracefulStopClosesEveryClientWith1001() throws Exception {
        URI uri = start(WebSocketServer.builder().endpoint("/echo", new Endpoints.Echo()), "/echo");
        List<ClientEvents> all = List.of(new ClientEvents(), new ClientEvents(), new ClientEvents());
        for (ClientEvents e : all) {
            connect(uri, e);
        }

        server.stop();

        for (ClientEvents e : all) {
            assertThat(e.next()).isEqualTo("close 1001 Server stopping true");
        }
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> client.connect(uri, new ClientEvents()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void servesWssToTheDuplexClient() throws Exception {
        ServerCertificate cert = ServerCertificate.get();
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(cert.serverContext())
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start();
        WebSocketClient tls = WebSocketClient.builder()
                .ioThreads(1)
                .sslContext(cert.clientContext())
                .build();
        try {
            ClientEvents events = new ClientEvents();
            WebSocket ws = tls.connect(URI.create("wss://127.0.0.1:" + server.port() + "/echo"), events)
                    .get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("open");
            ws.sendText("secret");
            ws.sendBinary(new byte[100_000]);
            assertThat(events.next()).isEqualTo("text secret");
            assertThat(events.next()).isEqualTo("binary 100000");
            ws.close().get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("close 1000  true");
        } finally {
            tls.close();
        }
    }

    @Test
    void theServersBufferedAmountStaysBoundedWhenTheClientStopsReading() throws Exception {
        long max = 256 * 1024;
        AtomicReference<WebSocket> serverSide = new AtomicReference<>();
        AtomicLong highest = new AtomicLong();
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        URI uri = start(
                WebSocketServer.builder()
                        .protocolOptions(ProtocolOptions.builder()
                                .maxBufferedAmount(max)
                                .overflowPolicy(OverflowPolicy.FAIL)
                                .build())
                        .endpoint("/flood", new DuplexEndpoint() {
                            @Override
                            public void onOpen(WebSocket ws) {
                                serverSide.set(ws);
                            }

                            @Override
                            public void onText(WebSocket ws, String text) {
                                byte[] chunk = new byte[16 * 1024];
                                for (int i = 0; i < 10_000 && !refused.isDone(); i++) {
                                    ws.sendBinary(chunk).whenComplete((ok, e) -> {
                                        if (e != null) {
                                            refused.complete(e instanceof CompletionException ? e.getCause() : e);
                                        }
                                    });
                                    highest.accumulateAndGet(ws.bufferedAmount(), Math::max);
                                }
                            }
                        }),
                "/flood");
        ClientEvents events = new ClientEvents();
        WebSocket ws = connect(uri, events);
        ((WebSocketConnection) ws).transport().suspendReads();

        ws.sendText("go");

        assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(SendOverflowException.class);
        assertThat(highest.get()).isLessThanOrEqualTo(max).isGreaterThan(max / 2);
        assertThat(serverSide.get().isOpen()).isTrue();
        ((WebSocketConnection) ws).transport().resumeReads();
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.get().bufferedAmount() == 0);
        assertThat(events.next()).isEqualTo("binary 16384");
    }

    @Test
    void theCloseOverflowPolicyCutsOffAClientThatStopsReadingWith1008() throws Exception {
        AtomicReference<CloseReason> closed = new AtomicReference<>();
        URI uri = start(
                WebSocketServer.builder()
                        .protocolOptions(ProtocolOptions.builder()
                                .maxBufferedAmount(128 * 1024)
                                .overflowPolicy(OverflowPolicy.CLOSE)
                                .build())
                        .endpoint("/flood", new DuplexEndpoint() {
                            @Override
                            public void onText(WebSocket ws, String text) {
                                byte[] chunk = new byte[16 * 1024];
                                for (int i = 0; i < 10_000 && ws.isOpen(); i++) {
                                    ws.sendBinary(chunk);
                                }
                            }

                            @Override
                            public void onClose(WebSocket ws, CloseReason reason, boolean wasClean) {
                                closed.set(reason);
                            }
                        }),
                "/flood");
        ClientEvents events = new ClientEvents();
        WebSocket ws = connect(uri, events);
        ((WebSocketConnection) ws).transport().suspendReads();

        ws.sendText("go");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> closed.get() != null || server.registry().size() == 0);
        ((WebSocketConnection) ws).transport().resumeReads();
        String last;
        do {
            last = events.next();
        } while (last.startsWith("binary"));
        assertThat(last).startsWith("close 1008");
    }

    static String utf8(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b).toString();
    }
}
