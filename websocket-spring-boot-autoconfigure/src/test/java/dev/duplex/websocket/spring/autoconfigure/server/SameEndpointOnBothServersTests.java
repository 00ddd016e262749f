package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.HandshakeRequest;
import dev.duplex.websocket.server.HandshakeResponse;
import dev.duplex.websocket.server.WebSocketServer;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * One endpoint class, served by the core's standalone server and by Spring on Tomcat, driven by the
 * same client script: both record the same hooks, in the same order, with the same arguments.
 */
@SpringBootTest(
        classes = SameEndpointOnBothServersTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SameEndpointOnBothServersTests {

    private static final String TEMPLATE = "/rooms/{room}/users/{user}";
    private static final String PATH = "/rooms/blue%20room/users/ann?lang=en";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Recorder.class)
    static class App {}

    /**
     * Records every hook with what it was given. Chooses the server's second subprotocol in
     * {@code onHandshake}, so the choice visibly comes from the hook and not from the preference order.
     */
    @WebSocketEndpoint(
            path = TEMPLATE,
            subprotocols = {"chat.v1", "chat.v2"})
    static class Recorder extends DuplexEndpoint {
        final List<String> hooks = new CopyOnWriteArrayList<>();

        @Override
        public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
            hooks.add("handshake " + request.path() + " template " + request.pathTemplate() + " vars "
                    + new TreeMap<>(request.pathVariables()) + " lang " + request.queryParameter("lang")
                    + " offered " + request.offeredSubprotocols());
            response.subprotocol("chat.v2");
            response.attributes().put("greeting", "hi");
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            hooks.add("open vars " + new TreeMap<>(DuplexEndpoint.pathVariables(webSocket)) + " subprotocol "
                    + webSocket.subprotocol() + " greeting "
                    + webSocket.attributes().get("greeting"));
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            hooks.add("text " + text);
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            hooks.add("binary " + data.remaining());
            webSocket.sendBinary(data);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            hooks.add("error " + error);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
            hooks.add("close " + reason.code() + " " + reason.reason() + " clean " + wasClean);
        }

        @Override
        public void onAfterClose(WebSocket webSocket) {
            hooks.add("afterClose");
        }
    }

    @LocalServerPort
    int springPort;

    @Autowired
    Recorder springEndpoint;

    @Test
    void recordsTheSameHooksOnTheStandaloneServerAndInSpring() throws Exception {
        Recorder standaloneEndpoint = new Recorder();
        List<String> standaloneClient;
        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .subprotocols("chat.v1", "chat.v2")
                .endpoint(TEMPLATE, standaloneEndpoint)
                .build()
                .start()) {
            standaloneClient = runScript(server.port(), standaloneEndpoint);
        }
        List<String> springClient = runScript(springPort, springEndpoint);

        List<String> expectedHooks = List.of(
                "handshake /rooms/blue%20room/users/ann template " + TEMPLATE
                        + " vars {room=blue room, user=ann} lang en offered [chat.v1, chat.v2]",
                "open vars {room=blue room, user=ann} subprotocol chat.v2 greeting hi",
                "text hello",
                "binary 3",
                "close 4000 done clean true",
                "afterClose");
        assertThat(springEndpoint.hooks).containsExactlyElementsOf(standaloneEndpoint.hooks);
        assertThat(standaloneEndpoint.hooks).containsExactlyElementsOf(expectedHooks);
        assertThat(springClient)
                .containsExactlyElementsOf(standaloneClient)
                .containsExactly("open", "text:hello", "binary:3", "close:4000");
    }

    /** The client's side of the conversation; returns the client's events once the endpoint is done. */
    private static List<String> runScript(int port, Recorder endpoint) throws Exception {
        Events events = new Events();
        try (WebSocketClient client =
                WebSocketClient.builder().subprotocols("chat.v1", "chat.v2").build()) {
            WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + port + PATH), events)
                    .get(10, TimeUnit.SECONDS);
            assertThat(ws.subprotocol()).isEqualTo("chat.v2");
            assertThat(events.next()).isEqualTo("open");
            ws.sendText("hello");
            assertThat(events.next()).isEqualTo("text:hello");
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(events.next()).isEqualTo("binary:3");
            ws.close(4000, "done").get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("close:4000");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.hooks.contains("afterClose"));
        return events.all();
    }
}
