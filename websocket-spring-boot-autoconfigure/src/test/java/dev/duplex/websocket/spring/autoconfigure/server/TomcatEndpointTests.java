package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Import;

/** Endpoints served by a real Tomcat, reached by the core client and by the JDK's own client. */
@SpringBootTest(classes = TomcatEndpointTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TomcatEndpointTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({TestEndpoints.Echo.class, TestEndpoints.Rooms.class, TestEndpoints.Notifications.class})
    static class App {}

    @LocalServerPort
    int port;

    @Autowired
    TestEndpoints.Echo echo;

    @Autowired
    ServletWebServerApplicationContext context;

    private final WebSocketClient client =
            WebSocketClient.builder().maxMessageSize(4 * 1024 * 1024).build();

    @AfterEach
    void closeClient() {
        client.close();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    private WebSocket connect(String path, Events events) throws Exception {
        return client.connect(uri(path), events).get(10, TimeUnit.SECONDS);
    }

    @Test
    void servesOnTomcat() {
        assertThat(context.getWebServer().getClass().getSimpleName()).startsWith("Tomcat");
    }

    @Test
    void echoesTextAndBinaryThroughTheCoreClient() throws Exception {
        Events events = new Events();
        WebSocket ws = connect("/echo", events);
        assertThat(events.next()).isEqualTo("open");
        ws.sendText("hello").get(10, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("text:hello");
        ws.sendBinary(new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("binary:3");
        ws.close().get(10, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("close:1000");
    }

    @Test
    void runsTheHooksInTheCoreOrder() throws Exception {
        echo.hooks.clear();
        Events events = new Events();
        WebSocket ws = connect("/echo", events);
        ws.sendText("one");
        ws.sendBinary(new byte[] {1});
        assertThat(events.nextStartingWith("binary")).isEqualTo("binary:1");
        ws.close().get(10, TimeUnit.SECONDS);
        events.nextStartingWith("close");
        awaitHooks(5);
        assertThat(echo.hooks).containsExactly("open", "text", "binary", "close:1000", "afterClose");
    }

    private void awaitHooks(int count) throws InterruptedException {
        for (int i = 0; i < 200 && echo.hooks.size() < count; i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void echoesThroughTheJdkClient() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        java.net.http.WebSocket ws;
        {
            HttpClient http = HttpClient.newHttpClient();
            ws = http.newWebSocketBuilder()
                    .buildAsync(uri("/echo"), new java.net.http.WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                received.add(text.toString());
                                text.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                            received.add("close:" + code);
                            return null;
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            ws.sendText("from the JDK", true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("from the JDK");
            ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("close:1000");
        }
    }

    @Test
    void givesPathVariablesAndSubprotocolAndAttributesFromTheHandshake() throws Exception {
        Events events = new Events();
        WebSocketClient v2 =
                WebSocketClient.builder().subprotocols("v1.chat", "v2.chat").build();
        try (v2) {
            WebSocket ws =
                    v2.connect(uri("/rooms/blue%20room/users/ann"), events).get(10, TimeUnit.SECONDS);
            assertThat(ws.subprotocol()).isEqualTo("v2.chat");
            events.next();
            assertThat(events.next()).startsWith("text:hello ann in blue room via v2.chat #");
        }
    }

    @Test
    void letsOnHandshakeChooseTheSubprotocol() throws Exception {
        Events events = new Events();
        WebSocketClient both =
                WebSocketClient.builder().subprotocols("v2.chat", "v1.chat").build();
        try (both) {
            WebSocket ws =
                    both.connect(uri("/rooms/r/users/bob?client=old"), events).get(10, TimeUnit.SECONDS);
            assertThat(ws.subprotocol()).isEqualTo("v1.chat");
        }
    }

    @Test
    void createsAPrototypeEndpointPerConnection() throws Exception {
        Events a = new Events();
        Events b = new Events();
        connect("/rooms/r/users/a", a);
        connect("/rooms/r/users/b", b);
        a.next();
        b.next();
        String idA = a.next().replaceAll(".*#", "");
        String idB = b.next().replaceAll(".*#", "");
        assertThat(idA).isNotEqualTo(idB);
    }

    @Test
    void rejectsWithTheStatusOnHandshakeChose() {
        assertThatThrownBy(() -> connect("/rooms/locked/users/ann", new Events()))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        HandshakeException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void refusesAForeignOriginWith403() {
        WebSocketClient foreign =
                WebSocketClient.builder().origin("http://evil.example").build();
        try (foreign) {
            assertThatThrownBy(() -> foreign.connect(uri("/echo"), new Events()).get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(
                            HandshakeException.class,
                            e -> assertThat(e.status()).isEqualTo(403));
        }
    }

    @Test
    void acceptsItsOwnOrigin() throws Exception {
        WebSocketClient same =
                WebSocketClient.builder().origin("http://127.0.0.1:" + port).build();
        try (same) {
            Events events = new Events();
            same.connect(uri("/echo"), events).get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("open");
        }
    }

    @Test
    void sendsThroughTheRegistryFromAController() throws Exception {
        Events events = new Events();
        WebSocket ws = connect("/echo", events);
        events.next();
        ws.sendText("whoami");
        String id = events.next().substring("text:".length());
        {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> sent = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notify/" + id))
                            .POST(HttpRequest.BodyPublishers.ofString("pushed"))
                            .header("Content-Type", "text/plain")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(200);
            assertThat(events.next()).isEqualTo("text:pushed");
            HttpResponse<String> broadcast = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/broadcast"))
                            .POST(HttpRequest.BodyPublishers.ofString("to all"))
                            .header("Content-Type", "text/plain")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Integer.parseInt(broadcast.body())).isGreaterThanOrEqualTo(1);
            assertThat(events.next()).isEqualTo("text:to all");
        }
    }

    @Test
    void accepts100KiBWithA1MiBLimit() throws Exception {
        Events events = new Events();
        WebSocket ws = connect("/echo", events);
        events.next();
        String big = "x".repeat(100 * 1024);
        ws.sendText(big);
        assertThat(events.next()).isEqualTo("text:" + big);
        ws.sendBinary(ByteBuffer.allocate(1024 * 1024));
        assertThat(events.next()).isEqualTo("binary:" + 1024 * 1024);
    }

    @Test
    void closesWith1009PastTheLimit() throws Exception {
        echo.hooks.clear();
        Events events = new Events();
        WebSocket ws = connect("/echo", events);
        events.next();
        ws.sendText("y".repeat(1024 * 1024 + 1));
        assertThat(events.nextStartingWith("close")).isEqualTo("close:1009");
        awaitHooks(4);
        assertThat(echo.hooks)
                .containsExactly("open", "error:Text message larger than 1048576 bytes", "close:1009", "afterClose");
    }

    @Test
    void pingsWithARoundTrip() throws Exception {
        Events events = new Events();
        WebSocket ws = connect("/echo", events);
        events.next();
        ws.sendText("whoami");
        String id = events.next().substring("text:".length());
        WebSocket server = context.getBean(dev.duplex.websocket.server.ConnectionRegistry.class)
                .find(id)
                .orElseThrow();
        Duration rtt = server.ping(ByteBuffer.wrap(new byte[] {7}), Duration.ofSeconds(10))
                .get(10, TimeUnit.SECONDS);
        assertThat(rtt).isPositive();
    }
}
