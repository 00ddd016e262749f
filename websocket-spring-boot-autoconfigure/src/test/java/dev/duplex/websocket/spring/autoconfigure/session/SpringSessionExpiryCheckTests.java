package dev.duplex.websocket.spring.autoconfigure.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.duplex.websocket.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

class SpringSessionExpiryCheckTests {

    private final MapSessionRepository repository = new MapSessionRepository(new ConcurrentHashMap<>());
    private final HttpSessionBinding binding = new HttpSessionBinding(List.of(), true, repository::deleteById);
    private final AtomicInteger closed = new AtomicInteger();

    private void openUnder(String id) {
        WebSocket ws = Mockito.mock(WebSocket.class);
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        attributes.put(WebSocketHttpSession.ID_ATTRIBUTE, id);
        Mockito.when(ws.attributes()).thenReturn(attributes);
        binding.opened(ws, closed::incrementAndGet);
    }

    private MapSession saved(Instant lastAccessed) {
        MapSession session = repository.createSession();
        session.setLastAccessedTime(lastAccessed);
        session.setMaxInactiveInterval(Duration.ofMinutes(30));
        repository.save(session);
        return session;
    }

    @Test
    void closesTheSocketsOfExpiredSessionsOnly() {
        MapSession live = saved(Instant.now());
        MapSession expired = saved(Instant.now().minus(Duration.ofHours(1)));
        openUnder(live.getId());
        openUnder(expired.getId());

        new SpringSessionExpiryCheck(binding, repository, Duration.ZERO).checkNow();

        assertThat(closed).hasValue(1);
        assertThat(binding.sessionIds()).containsExactly(live.getId());
    }

    @Test
    void closesTheSocketsOfSessionsDeletedElsewhere() {
        openUnder("never-saved");
        new SpringSessionExpiryCheck(binding, repository, Duration.ZERO).checkNow();
        assertThat(closed).hasValue(1);
    }

    @Test
    void asksAgainAfterAFailingLookup() {
        @SuppressWarnings("unchecked")
        SessionRepository<Session> failing = Mockito.mock(SessionRepository.class);
        Mockito.when(failing.findById("s"))
                .thenThrow(new IllegalStateException("store down"))
                .thenReturn(null);
        openUnder("s");
        SpringSessionExpiryCheck check = new SpringSessionExpiryCheck(binding, failing, Duration.ZERO);
        check.checkNow();
        assertThat(closed).hasValue(0);
        check.checkNow();
        assertThat(closed).hasValue(1);
    }

    @Test
    void startsAndStopsItsTimer() {
        SpringSessionExpiryCheck check = new SpringSessionExpiryCheck(binding, repository, Duration.ofSeconds(30));
        assertThat(check.isRunning()).isFalse();
        check.start();
        assertThat(check.isRunning()).isTrue();
        check.stop();
        assertThat(check.isRunning()).isFalse();
    }

    @Test
    void refusesANegativeInterval() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SpringSessionExpiryCheck(binding, repository, Duration.ofSeconds(-1)))
                .withMessage("'duplex.websocket.server.session-check-interval' must not be negative, was PT-1S");
    }
}
