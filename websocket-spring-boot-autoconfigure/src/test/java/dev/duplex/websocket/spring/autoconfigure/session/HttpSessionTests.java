package dev.duplex.websocket.spring.autoconfigure.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sockets and HTTP sessions on a real Tomcat: capture, session-end-on-close, close-on-logout. */
@SpringBootTest(
        classes = HttpSessionTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "duplex.websocket.server.session-attributes=user")
class HttpSessionTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Bound.class, Ending.class, Sessions.class})
    static class App {}

    /** Tells the client what it knows of its HTTP session. */
    @WebSocketEndpoint("/bound")
    static class Bound extends DuplexEndpoint {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(WebSocketHttpSession.of(webSocket)
                    .map(s -> "id=" + s.id() + " user=" + s.attributes().get("user"))
                    .orElse("none"));
        }
    }

    /** Ends its HTTP session when the socket closes. */
    @WebSocketEndpoint(path = "/ending", sessionEndOnClose = WebSocketEndpoint.Flag.ON)
    static class Ending extends DuplexEndpoint {}

    @RestController
    static class Sessions {
        @GetMapping("/login")
        String login(HttpServletRequest request) {
            request.getSession(true).setAttribute("user", "ann");
            return request.getSession().getId();
        }

        @GetMapping("/session")
        String session(HttpServletRequest request) {
            return request.getSession(true).getId();
        }

        @PostMapping("/logout")
        String logout(HttpServletRequest request) {
            request.getSession(true).invalidate();
            return "bye";
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocketClient client = WebSocketClient.builder().build();

    @AfterEach
    void close() {
        client.close();
    }

    private String get(String path, String sessionId) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Cookie", "JSESSIONID=" + sessionId)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String login() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private WebSocket connect(String path, String sessionId, LinkedBlockingQueue<String> events) throws Exception {
        client.close();
        client = WebSocketClient.builder().cookie("JSESSIONID", sessionId).build();
        return client.connect(
                        URI.create("ws://127.0.0.1:" + port + path), new dev.duplex.websocket.WebSocketListener() {
                            @Override
                            public void onText(WebSocket ws, String text) {
                                events.add(text);
                            }

                            @Override
                            public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
                                events.add("close:" + code + " " + reason);
                            }
                        })
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void capturesTheSessionIdAndChosenAttributes() throws Exception {
        String id = login();
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket ws = connect("/bound", id, events);
        ws.sendText("?");
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("id=" + id + " user=ann");
    }

    @Test
    void closesTheSocketsOfAnHttpSessionThatEnds() throws Exception {
        String id = login();
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket ws = connect("/bound", id, events);
        ws.sendText("?");
        assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("id=");
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logout"))
                        .header("Cookie", "JSESSIONID=" + id)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(events.poll(10, TimeUnit.SECONDS))
                .isEqualTo("close:" + CloseReason.POLICY_VIOLATION + " The HTTP session ended");
    }

    @Test
    void endsTheHttpSessionWhenTheSocketCloses() throws Exception {
        String id = login();
        assertThat(get("/session", id)).isEqualTo(id);
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket ws = connect("/ending", id, events);
        ws.close().get(10, TimeUnit.SECONDS);
        String after = id;
        for (int i = 0; i < 100 && after.equals(id); i++) {
            Thread.sleep(50);
            after = get("/session", id);
        }
        assertThat(after).isNotEqualTo(id);
    }

    @Test
    void keepsTheHttpSessionByDefault() throws Exception {
        String id = login();
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket ws = connect("/bound", id, events);
        ws.close().get(10, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertThat(get("/session", id)).isEqualTo(id);
    }
}
