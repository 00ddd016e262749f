package dev.duplex.websocket.spring.autoconfigure.session;

import static dev.duplex.websocket.spring.autoconfigure.session.Browser.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

/**
 * Sockets and Spring Session (an in-memory repository, which announces no session event) on a
 * real Tomcat: the id on the connection, ending the session when the socket closes, and closing
 * the sockets when the session is invalidated, deleted or expires.
 */
@SpringBootTest(
        classes = SpringSessionTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "duplex.websocket.server.session-attributes=user",
            "duplex.websocket.server.session-check-interval=200ms"
        })
class SpringSessionTests {

    private static final String ENDED = "close:" + CloseReason.POLICY_VIOLATION + " The HTTP session ended";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableSpringHttpSession
    @Import({SessionEndpoints.Bound.class, SessionEndpoints.Ending.class, SessionEndpoints.Sessions.class})
    static class App {
        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    SessionRepository<?> repository;

    private Browser browser;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        browser = new Browser(port);
    }

    @AfterEach
    void close() {
        browser.close();
    }

    @Test
    void readsTheSpringSessionIdOnTheConnection() throws Exception {
        String id = browser.get("/start");
        // Spring Session's own cookie, not the container's: the session really is Spring Session's.
        assertThat(browser.cookie("JSESSIONID")).isNull();
        assertThat(new String(Base64.getDecoder().decode(browser.cookie("SESSION")), StandardCharsets.UTF_8))
                .isEqualTo(id);
        WebSocket ws = browser.connect("/bound", events);
        assertThat(ask(ws, events, "?")).isEqualTo("id=" + id + " spring=" + id + " user=ann principal=null");
    }

    @Test
    void deletesTheSpringSessionWhenTheSocketCloses() throws Exception {
        String id = browser.get("/start");
        assertThat(browser.get("/session")).isEqualTo(id);
        WebSocket ws = browser.connect("/ending", events);
        ws.close().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && repository.findById(id) != null; i++) {
            Thread.sleep(50);
        }
        assertThat(repository.findById(id)).isNull();
        // The old cookie now gets a new session.
        assertThat(browser.get("/session")).isNotEqualTo(id).isNotBlank();
    }

    @Test
    void keepsTheSpringSessionByDefault() throws Exception {
        String id = browser.get("/start");
        WebSocket ws = browser.connect("/bound", events);
        ws.close().get(10, TimeUnit.SECONDS);
        assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("close:1000");
        assertThat(repository.findById(id)).isNotNull();
        assertThat(browser.get("/session")).isEqualTo(id);
    }

    @Test
    void closesEverySocketOfAnInvalidatedSessionAndNoOther() throws Exception {
        browser.get("/start");
        WebSocket one = browser.connect("/bound", events);
        LinkedBlockingQueue<String> twoEvents = new LinkedBlockingQueue<>();
        WebSocket two = browser.connect("/bound", twoEvents);
        try (Browser other = new Browser(port)) {
            other.get("/start");
            LinkedBlockingQueue<String> otherEvents = new LinkedBlockingQueue<>();
            WebSocket unrelated = other.connect("/bound", otherEvents);
            assertThat(ask(one, events, "?")).startsWith("id=");
            assertThat(ask(two, twoEvents, "?")).startsWith("id=");

            assertThat(browser.post("/invalidate", "")).isEqualTo(200);

            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(ENDED);
            assertThat(twoEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(ENDED);
            assertThat(ask(unrelated, otherEvents, "?")).startsWith("id=");
        }
    }

    @Test
    void closesTheSocketsOfASessionDeletedThroughTheRepository() throws Exception {
        String id = browser.get("/start");
        WebSocket ws = browser.connect("/bound", events);
        assertThat(ask(ws, events, "?")).startsWith("id=" + id);
        repository.deleteById(id);
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(ENDED);
    }

    @Test
    void closesTheSocketsOfASessionThatExpires() throws Exception {
        String id = browser.get("/short");
        WebSocket ws = browser.connect("/bound", events);
        assertThat(ask(ws, events, "?")).startsWith("id=" + id);
        // No request refreshes the session: it expires after a second, and the check finds it.
        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(ENDED);
        assertThat(repository.findById(id)).isNull();
    }
}
