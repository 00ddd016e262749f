package dev.duplex.websocket.spring.autoconfigure.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

class HttpSessionBindingTests {

    private final AtomicInteger closed = new AtomicInteger();
    private final List<String> deleted = new ArrayList<>();

    private static WebSocket socket() {
        WebSocket ws = Mockito.mock(WebSocket.class);
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        Mockito.when(ws.attributes()).thenReturn(attributes);
        return ws;
    }

    /** A socket through a handshake under {@code session}, opened. */
    private WebSocket open(HttpSessionBinding binding, MockHttpSession session) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setSession(session);
        Map<String, Object> attributes = new HashMap<>();
        binding.capture(new ServletServerHttpRequest(request), attributes);
        WebSocket ws = socket();
        ws.attributes().putAll(attributes);
        binding.opened(ws, closed::incrementAndGet);
        return ws;
    }

    private WebSocket openUnder(HttpSessionBinding binding, String springSessionId) {
        WebSocket ws = socket();
        ws.attributes().put(WebSocketHttpSession.ID_ATTRIBUTE, springSessionId);
        ws.attributes().put(WebSocketHttpSession.SPRING_SESSION_ID_ATTRIBUTE, springSessionId);
        binding.opened(ws, closed::incrementAndGet);
        return ws;
    }

    private HttpSessionBinding springSessionBinding() {
        return new HttpSessionBinding(List.of(), true, deleted::add);
    }

    @Test
    void capturesTheIdAndOnlyTheNamedAttributes() {
        HttpSessionBinding binding = new HttpSessionBinding(List.of("user", "absent"), true, null);
        MockHttpSession session = new MockHttpSession(null, "s1");
        session.setAttribute("user", "ann");
        session.setAttribute("secret", "x");
        WebSocket ws = open(binding, session);
        assertThat(WebSocketHttpSession.of(ws)).hasValueSatisfying(s -> {
            assertThat(s.id()).isEqualTo("s1");
            assertThat(s.springSessionId()).isNull();
            assertThat(s.attributes()).containsExactly(Map.entry("user", "ann"));
        });
        assertThat(binding.socketsOf("s1")).isEqualTo(1);
    }

    @Test
    void movesSocketsToTheNewIdSoThatItsEndClosesThem() {
        HttpSessionBinding binding = springSessionBinding();
        WebSocket one = openUnder(binding, "old");
        WebSocket two = openUnder(binding, "old");

        binding.sessionIdChanged("old", "new");

        assertThat(binding.sessionIds()).containsExactly("new");
        assertThat(binding.socketsOf("new")).isEqualTo(2);
        assertThat(WebSocketHttpSession.of(one)).hasValueSatisfying(s -> {
            assertThat(s.id()).isEqualTo("new");
            assertThat(s.springSessionId()).isEqualTo("new");
        });
        binding.sessionEnded("old");
        assertThat(closed).hasValue(0);
        binding.sessionEnded("new");
        assertThat(closed).hasValue(2);
        assertThat(WebSocketHttpSession.of(two).orElseThrow().id()).isEqualTo("new");
    }

    @Test
    void hearsOneIdChangeTwiceAsOnce() {
        HttpSessionBinding binding = springSessionBinding();
        openUnder(binding, "old");
        binding.sessionIdChanged("old", "new");
        binding.sessionIdChanged("old", "new");
        assertThat(binding.socketsOf("new")).isEqualTo(1);
    }

    @Test
    void joinsSocketsAlreadyUnderTheNewId() {
        HttpSessionBinding binding = springSessionBinding();
        openUnder(binding, "old");
        openUnder(binding, "new");
        binding.sessionIdChanged("old", "new");
        assertThat(binding.socketsOf("new")).isEqualTo(2);
    }

    @Test
    void closesOnceWhenAnEndIsReportedTwice() {
        HttpSessionBinding binding = springSessionBinding();
        openUnder(binding, "s");
        binding.sessionEnded("s");
        binding.sessionEnded("s");
        assertThat(closed).hasValue(1);
        assertThat(binding.sessionIds()).isEmpty();
    }

    @Test
    void endsTheSessionUnderItsCurrentIdWhenTheSocketCloses() {
        HttpSessionBinding binding = springSessionBinding();
        WebSocket ws = openUnder(binding, "old");
        binding.sessionIdChanged("old", "new");
        binding.closed(ws, true);
        assertThat(deleted).containsExactly("new");
        assertThat(binding.sessionIds()).isEmpty();
    }

    @Test
    void keepsTheSessionWhenTheSocketClosesByDefault() {
        HttpSessionBinding binding = springSessionBinding();
        WebSocket ws = openUnder(binding, "s");
        binding.closed(ws, false);
        assertThat(deleted).isEmpty();
        assertThat(binding.sessionIds()).isEmpty();
    }

    @Test
    void invalidatesTheServletSessionWhenTheSocketCloses() {
        HttpSessionBinding binding = new HttpSessionBinding(List.of(), true, null);
        MockHttpSession session = new MockHttpSession(null, "s1");
        WebSocket ws = open(binding, session);
        binding.closed(ws, true);
        assertThat(session.isInvalid()).isTrue();
    }

    @Test
    void closesASocketWhoseServletSessionEndedDuringItsHandshake() {
        HttpSessionBinding binding = new HttpSessionBinding(List.of(), true, null);
        MockHttpSession session = new MockHttpSession(null, "s1");
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setSession(session);
        Map<String, Object> attributes = new HashMap<>();
        binding.capture(new ServletServerHttpRequest(request), attributes);
        session.invalidate(); // no listener will report this end to the socket

        WebSocket ws = socket();
        ws.attributes().putAll(attributes);
        binding.opened(ws, closed::incrementAndGet);

        assertThat(closed).hasValue(1);
        assertThat(binding.sessionIds()).isEmpty();
        binding.closed(ws, true); // and nothing fails later
    }

    @Test
    void closesNothingWhenCloseOnSessionEndIsOff() {
        HttpSessionBinding binding = new HttpSessionBinding(List.of(), false, deleted::add);
        openUnder(binding, "s");
        binding.sessionEnded("s");
        assertThat(closed).hasValue(0);
    }

    @Test
    void leavesARenamedIdOutOfOneCheck() {
        HttpSessionBinding binding = springSessionBinding();
        openUnder(binding, "a");
        openUnder(binding, "old");
        binding.sessionIdChanged("old", "new");
        assertThat(binding.sessionIdsToCheck()).containsExactly("a");
        assertThat(binding.sessionIdsToCheck()).containsExactlyInAnyOrder("a", "new");
    }

    @Test
    void closesNoOtherSessionsSockets() {
        HttpSessionBinding binding = springSessionBinding();
        openUnder(binding, "a");
        openUnder(binding, "b");
        binding.sessionEnded("a");
        assertThat(closed).hasValue(1);
        assertThat(binding.sessionIds()).containsExactly("b");
    }

    @Test
    void keepsGoingWhenACloserFails() {
        HttpSessionBinding binding = springSessionBinding();
        WebSocket failing = socket();
        failing.attributes().put(WebSocketHttpSession.ID_ATTRIBUTE, "s");
        binding.opened(failing, () -> {
            throw new IllegalStateException("closing failed");
        });
        openUnder(binding, "s");
        binding.sessionEnded("s");
        assertThat(closed).hasValue(1);
    }
}
