package dev.duplex.websocket.load.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Tomcat under Spring Boot 4.0.7 with spring-boot-starter-websocket: an {@code
 * AbstractWebSocketHandler} (text and binary) that sends each message back, registered with {@code
 * @EnableWebSocket}; the container's binary message buffer raised to hold 64 KiB messages whole.
 */
@SpringBootApplication(scanBasePackages = "dev.duplex.websocket.load.server.none")
@EnableWebSocket
public class TomcatEchoServer implements WebSocketConfigurer {

    static EchoServerMain.Running start(int port) {
        SpringApplication app = new SpringApplication(TomcatEchoServer.class);
        app.setLogStartupInfo(false);
        ConfigurableApplicationContext context = app.run(
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--server.tomcat.accept-count=4096",
                "--server.tomcat.max-connections=20000",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN");
        int bound = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new EchoServerMain.Running() {
            @Override
            public int port() {
                return bound;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new Echo(), EchoServerMain.PATH);
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        if (!EchoServerMain.defaultLimits()) {
            // Tomcat holds a whole message in a buffer of this size, allocated per session: room
            // for the largest message sent (64 KiB), not EchoServerMain.MAX_MESSAGE.
            container.setMaxBinaryMessageBufferSize(64 * 1024);
        }
        container.setMaxSessionIdleTimeout(600_000L);
        return container;
    }

    /** Sends back every message with its type. */
    static final class Echo extends AbstractWebSocketHandler {
        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            session.sendMessage(message);
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
            session.sendMessage(message);
        }
    }
}
