package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint hooks, driven by a raw client so that every byte and every event is known. */
class EndpointTest {

    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(WebSocketServer.Builder builder) throws IOException {
        server = builder.host("127.0.0.1").port(0).ioThreads(1).build().start();
        return server.port();
    }

    /** The hex of an unmasked server text frame (payload under 126 bytes). */
    static String text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return String.format("81%02x", b.length) + HexFormat.of().formatHex(b);
    }

    /** The hex of a client text frame masked with the zero key (payload under 126 bytes). */
    static String maskedText(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return String.format("81%02x00000000", 0x80 | b.length) + HexFormat.of().formatHex(b);
    }

    @Test
    void hooksRunInTheOrderOfAConnectionsLife() throws IOException {
        Endpoints.Recording rec = new Endpoints.Recording();
        int port = start(WebSocketServer.builder().endpoint("/rec/{id}", rec));

        try (RawClient c = RawClient.connect(port).open("/rec/42")) {
            c.send("8181 00000000 61"); // text "a"
            c.send("8980 00000000"); // empty ping
            assertThat(c.readFrame()).isEqualTo("8a00"); // empty pong
            c.send("8a80 00000000"); // unsolicited empty pong
            c.send("8282 00000000 0102"); // binary 01 02
            c.send("8882 00000000 03e8"); // close 1000
            assertThat(c.readFrame()).isEqualTo("880203e8"); // close 1000 echoed
            assertThat(c.isClosedByServer()).isTrue();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.events.contains("after"));
        assertThat(rec.events)
                .containsExactly(
                        "handshake /rec/42 {id=42}",
                        "open",
                        "text a",
                        "ping 0",
                        "pong 0",
                        "binary 2",
                        "close 1000 true",
                        "after");
    }

    @Test
    void aProtocolErrorReachesOnErrorThenOnClose() throws IOException {
        Endpoints.Recording rec = new Endpoints.Recording();
        int port = start(WebSocketServer.builder().endpoint("/rec", rec));

        try (RawClient c = RawClient.connect(port).open("/rec")) {
            c.send("810161"); // unmasked text "a"
            c.expectCloseAndEnd(1002);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> rec.events.contains("after"));
        assertThat(rec.events)
                .containsExactly(
                        "handshake /rec {}", "open", "error Unmasked frame from client", "close 1002 false", "after");
    }

    @Test
    void seesPathVariablesQueryCookiesAndAttributes() throws IOException {
        int port = start(WebSocketServer.builder().endpoint("/chat/{room}", new DuplexEndpoint() {
            @Override
            public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
                response.attributes().put("user", request.queryParameter("user"));
                response.attributes().put("session", request.cookies().get("sid"));
                response.attributes().put("agent", request.header("user-agent"));
                response.attributes()
                        .put("remote", request.remoteAddress().getAddress().getHostAddress());
            }

            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText(pathVariables(ws).get("room") + "|"
                        + ws.attributes().get("user") + "|"
                        + ws.attributes().get("session") + "|" + ws.attributes().get("agent") + "|"
                        + ws.attributes().get("remote") + "|" + ws.uri());
            }
        }));

        try (RawClient c =
                RawClient.connect(port).open("/chat/r%201?user=bob", "Cookie: sid=s1; x=y", "User-Agent: raw")) {
            assertThat(c.readFrame()).isEqualTo(text("r 1|bob|s1|raw|127.0.0.1|ws://127.0.0.1/chat/r%201?user=bob"));
        }
    }

    @Test
    void mostSpecificTemplateWins() throws IOException {
        DuplexEndpoint literal = new DuplexEndpoint() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText("literal");
            }
        };
        DuplexEndpoint template = new DuplexEndpoint() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText("template " + pathVariables(ws));
            }
        };
        int port = start(
                WebSocketServer.builder().endpoint("/chat/{room}", template).endpoint("/chat/lobby", literal));

        try (RawClient c = RawClient.connect(port).open("/chat/lobby")) {
            assertThat(c.readFrame()).isEqualTo(text("literal"));
        }
        try (RawClient c = RawClient.connect(port).open("/chat/other")) {
            assertThat(c.readFrame()).isEqualTo(text("template {room=other}"));
        }
    }

    @Test
    void choosesSubprotocolsInServerOrderUnlessTheEndpointChooses() throws IOException {
        int port = start(WebSocketServer.builder().subprotocols("v2", "v1").endpoint("/p", new DuplexEndpoint() {
            @Override
            public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
                if ("v1".equals(request.queryParameter("pick"))) {
                    response.subprotocol("v1");
                }
            }

            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText(String.valueOf(ws.subprotocol()));
            }
        }));

        try (RawClient c = RawClient.connect(port)) {
            c.write(RawClient.upgradeRequest("/p", "Sec-WebSocket-Protocol: v1, v2"));
            assertThat(c.readHead()).contains("\r\nSec-WebSocket-Protocol: v2\r\n");
            assertThat(c.readFrame()).isEqualTo(text("v2"));
        }
        try (RawClient c = RawClient.connect(port)) {
            c.write(RawClient.upgradeRequest("/p?pick=v1", "Sec-WebSocket-Protocol: v1, v2"));
            assertThat(c.readHead()).contains("\r\nSec-WebSocket-Protocol: v1\r\n");
            assertThat(c.readFrame()).isEqualTo(text("v1"));
        }
        try (RawClient c = RawClient.connect(port)) {
            c.write(RawClient.upgradeRequest("/p", "Sec-WebSocket-Protocol: v3"));
            assertThat(c.readHead()).startsWith("HTTP/1.1 101 ").doesNotContain("Sec-WebSocket-Protocol");
            assertThat(c.readFrame()).isEqualTo(text("null"));
        }
    }

    @Test
    void anEndpointThatThrowsInOnHandshakeGets500() throws IOException {
        int port = start(WebSocketServer.builder().endpoint("/boom", new DuplexEndpoint() {
            @Override
            public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
                throw new IllegalStateException("boom");
            }
        }));

        try (RawClient c = RawClient.connect(port)) {
            c.write(RawClient.upgradeRequest("/boom"));
            assertThat(c.readToEnd())
                    .startsWith("HTTP/1.1 500 Internal Server Error\r\n")
                    .endsWith("The endpoint failed to decide the handshake");
        }
    }

    record Point(int x, int y) {}

    /** Just enough JSON for {@link Point}. */
    static final class PointCodec implements JsonCodec {
        private static final Pattern POINT = Pattern.compile("\\{\"x\":(-?\\d+),\"y\":(-?\\d+)}");

        @Override
        public String encode(Object value) {
            Point p = (Point) value;
            return "{\"x\":" + p.x() + ",\"y\":" + p.y() + "}";
        }

        @Override
        public <T> T decode(String text, Class<T> type) {
            Matcher m = POINT.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a point: " + text);
            }
            return type.cast(new Point(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
    }

    @Test
    void jsonEndpointDecodesWithTheServersCodec() throws IOException {
        int port = start(WebSocketServer.builder()
                .protocolOptions(
                        ProtocolOptions.builder().jsonCodec(new PointCodec()).build())
                .endpoint("/points", new JsonEndpoint<>(Point.class) {
                    @Override
                    public void onMessage(WebSocket ws, Point p) {
                        ws.sendObject(new Point(p.x() + 1, p.y() + 1));
                    }
                }));

        try (RawClient c = RawClient.connect(port).open("/points")) {
            c.send(maskedText("{\"x\":1,\"y\":2}"));
            assertThat(c.readFrame()).isEqualTo(text("{\"x\":2,\"y\":3}"));
            c.send(maskedText("[1,2]"));
            String close = c.expectCloseAndEnd(1007);
            assertThat(close)
                    .endsWith(
                            HexFormat.of().formatHex("Message is not JSON for Point".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void jsonEndpointWithoutACodecClosesWithInternalError() throws IOException {
        int port = start(WebSocketServer.builder().endpoint("/points", new JsonEndpoint<>(Point.class) {
            @Override
            public void onMessage(WebSocket ws, Point p) {}
        }));

        try (RawClient c = RawClient.connect(port).open("/points")) {
            c.send(maskedText("{\"x\":1,\"y\":2}"));
            c.expectCloseAndEnd(1011); // not the client's fault: no 1007
        }
    }

    @Test
    void blockingServeReadsPartsAndEndsTheConnectionWhenItReturns() throws IOException {
        List<String> events = new CopyOnWriteArrayList<>();
        int port = start(WebSocketServer.builder().endpoint("/serve", new DuplexEndpoint() {
            @Override
            public void onOpen(WebSocket ws) {
                events.add("open");
            }

            @Override
            public void serve(WebSocket ws) throws Exception {
                StringBuilder message = new StringBuilder();
                int parts = 0;
                while (true) {
                    Message m = ws.receive(Duration.ofSeconds(5));
                    if (m instanceof Message.Text t) {
                        message.append(t.text());
                        parts++;
                        if (t.last()) {
                            break;
                        }
                    } else {
                        events.add("unexpected " + m);
                        return;
                    }
                }
                ws.sendText(parts + " parts: " + message).get(5, TimeUnit.SECONDS);
                events.add("serve returns");
            }

            @Override
            public void onClose(WebSocket ws, CloseReason reason, boolean wasClean) {
                events.add("close " + reason.code() + " " + wasClean);
            }

            @Override
            public void onAfterClose(WebSocket ws) {
                events.add("after");
            }
        }));

        try (RawClient c = RawClient.connect(port).open("/serve")) {
            c.send("0182 00000000 6162"); // text "ab", not final
            c.send("8082 00000000 6364"); // final continuation "cd"
            assertThat(c.readFrame()).isEqualTo(text("2 parts: abcd"));
            assertThat(c.readFrame()).isEqualTo("880203e8"); // serve returned: close 1000
            c.send("8882 00000000 03e8"); // close 1000 in answer
            assertThat(c.isClosedByServer()).isTrue();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("after"));
        assertThat(events).containsExactly("open", "serve returns", "close 1000 true", "after");
    }

    @Test
    void blockingServeThatThrowsClosesWith1011() throws IOException {
        int port = start(WebSocketServer.builder().endpoint("/serve", new DuplexEndpoint() {
            @Override
            public void serve(WebSocket ws) {
                throw new IllegalStateException("serve failed");
            }
        }));

        try (RawClient c = RawClient.connect(port).open("/serve")) {
            assertThat(c.readFrame()).isEqualTo("880203f3"); // close 1011
        }
    }

    static final class Counted extends DuplexEndpoint {
        static final AtomicInteger CREATED = new AtomicInteger();
        final int number = CREATED.incrementAndGet();
        String seenInHandshake = "";

        @Override
        public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
            seenInHandshake = request.path();
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.sendText("instance " + number + " " + seenInHandshake);
        }
    }

    @Test
    void aSupplierGivesEachConnectionItsOwnInstance() throws IOException {
        int port = start(WebSocketServer.builder().endpoint("/own", Counted::new));
        int before = Counted.CREATED.get();

        try (RawClient a = RawClient.connect(port).open("/own");
                RawClient b = RawClient.connect(port).open("/own")) {
            String first = a.readFrame();
            String second = b.readFrame();
            assertThat(List.of(first, second))
                    .containsExactlyInAnyOrder(
                            text("instance " + (before + 1) + " /own"), text("instance " + (before + 2) + " /own"));
        }
    }

    @Test
    void aSharedInstanceServesEveryConnection() throws IOException {
        Counted shared = new Counted();
        int port = start(WebSocketServer.builder().endpoint("/shared", shared));

        try (RawClient a = RawClient.connect(port).open("/shared");
                RawClient b = RawClient.connect(port).open("/shared")) {
            assertThat(a.readFrame()).isEqualTo(text("instance " + shared.number + " /shared"));
            assertThat(b.readFrame()).isEqualTo(text("instance " + shared.number + " /shared"));
        }
    }
}
