package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The same endpoint served by Jetty (run in a surefire execution of its own, without Tomcat). */
@SpringBootTest(classes = JettyEndpointTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JettyEndpointTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({TestEndpoints.Echo.class, LargeEcho.class})
    static class App {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
        }
    }

    /**
     * Echoes text and binary under 2 MiB limits. Jetty's own limits (64 KiB frames and messages)
     * bind only whole-message handlers: the endpoint handler takes partial messages, so Jetty splits
     * larger frames and Duplex's limits decide.
     */
    @WebSocketEndpoint(path = "/large", maxTextMessageSize = "2MB", maxBinaryMessageSize = "2MB")
    static class LargeEcho extends DuplexEndpoint {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            webSocket.sendBinary(copy);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void echoesOnJettyWithTheSameEndpoint() throws Exception {
        assertThat(context.getWebServer().getClass().getSimpleName()).startsWith("Jetty");
        try (WebSocketClient client =
                WebSocketClient.builder().maxMessageSize(4 * 1024 * 1024).build()) {
            Events events = new Events();
            WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), events)
                    .get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("open");
            ws.sendText("on jetty");
            assertThat(events.next()).isEqualTo("text:on jetty");
            String big = "z".repeat(50 * 1024);
            ws.sendText(big);
            assertThat(events.next()).isEqualTo("text:" + big);
            ws.sendBinary(new byte[] {4, 5});
            assertThat(events.next()).isEqualTo("binary:2");
            ws.close().get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("close:1000");
        }
    }

    @Test
    void passesA1MiBMessageInOneFrameUnderA2MiBLimitAndRefusesOnePastItWith1009() throws Exception {
        try (WebSocketClient client =
                WebSocketClient.builder().maxMessageSize(4 * 1024 * 1024).build()) {
            Events events = new Events();
            WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + port + "/large"), events)
                    .get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("open");
            String text = "j".repeat(1024 * 1024);
            ws.sendText(text); // one frame: the core client does not fragment unless asked
            assertThat(events.next()).isEqualTo("text:" + text);
            ws.sendBinary(new byte[1024 * 1024]);
            assertThat(events.next()).isEqualTo("binary:" + 1024 * 1024);
            ws.sendText("k".repeat(2 * 1024 * 1024 + 1));
            assertThat(events.nextStartingWith("close:")).isEqualTo("close:1009");
        }
    }
}
