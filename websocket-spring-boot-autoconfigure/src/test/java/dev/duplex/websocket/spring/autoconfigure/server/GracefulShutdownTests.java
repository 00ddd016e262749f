package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** Closing the application context closes every open socket with 1001 and a closing handshake. */
class GracefulShutdownTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TestEndpoints.Echo.class)
    static class App {}

    @Test
    void sendsGoingAwayToEveryPeerOnShutdown() throws Exception {
        SpringApplication app = new SpringApplication(App.class);
        app.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1"));
        ConfigurableApplicationContext ctx = app.run();
        try (WebSocketClient client = WebSocketClient.builder().build()) {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            URI uri = URI.create("ws://127.0.0.1:" + port + "/echo");
            Events first = new Events();
            Events second = new Events();
            client.connect(uri, first).get(10, TimeUnit.SECONDS).sendText("ready");
            client.connect(uri, second).get(10, TimeUnit.SECONDS).sendText("ready");
            assertThat(first.nextStartingWith("text")).isEqualTo("text:ready");
            assertThat(second.nextStartingWith("text")).isEqualTo("text:ready");
            ctx.close();
            assertThat(first.nextStartingWith("close")).isEqualTo("close:1001");
            assertThat(second.nextStartingWith("close")).isEqualTo("close:1001");
        } finally {
            ctx.close();
        }
    }
}
