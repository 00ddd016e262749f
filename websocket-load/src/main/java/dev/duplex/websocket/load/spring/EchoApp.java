package dev.duplex.websocket.load.spring;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.nio.ByteBuffer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * One Spring Boot application on Tomcat serving two echo endpoints side by side: Duplex's {@code
 * @WebSocketEndpoint} at {@code /duplex} and a plain spring-websocket handler at {@code /plain}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({EchoApp.DuplexEcho.class, EchoApp.Plain.class})
public class EchoApp {

    /** Duplex's echo, with a 1 MiB message limit (served in parts from Tomcat's default buffer). */
    @WebSocketEndpoint(path = "/duplex", maxTextMessageSize = "1MB", maxBinaryMessageSize = "1MB")
    public static class DuplexEcho extends DuplexEndpoint {
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

    /** The plain spring-websocket echo, as its documentation writes one. */
    public static class PlainEcho extends AbstractWebSocketHandler {
        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            session.sendMessage(message);
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
            session.sendMessage(message);
        }
    }

    /** Registers the plain echo at {@code /plain}. */
    @Configuration(proxyBeanMethods = false)
    public static class Plain {
        @Bean
        WebSocketConfigurer plainEcho() {
            return registry -> registry.addHandler(new PlainEcho(), "/plain").setAllowedOrigins("*");
        }
    }
}
