package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
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
    @Import(TestEndpoints.Echo.class)
    static class App {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
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
            String big = "z".repeat(50 * 1024); // Jetty refuses larger frames by its own 64 KiB default
            ws.sendText(big);
            assertThat(events.next()).isEqualTo("text:" + big);
            ws.sendBinary(new byte[] {4, 5});
            assertThat(events.next()).isEqualTo("binary:2");
            ws.close().get(10, TimeUnit.SECONDS);
            assertThat(events.next()).isEqualTo("close:1000");
        }
    }
}
