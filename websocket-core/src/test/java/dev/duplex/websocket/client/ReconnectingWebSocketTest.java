package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.WebSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectingWebSocketTest {

    private static final ReconnectPolicy FAST =
            new ReconnectPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 2.0, 0.0, 3);

    /** Records the reconnect events as strings. */
    private static final class Attempts implements ReconnectListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onAttempt(int attempt) {
            events.add("attempt " + attempt);
        }

        @Override
        public void onConnected(WebSocket webSocket, int attempt) {
            events.add("connected " + attempt);
        }

        @Override
        public void onAttemptFailed(int attempt, Throwable error, Duration nextDelay) {
            events.add("failed " + attempt + " " + error.getClass().getSimpleName() + " " + nextDelay.toMillis());
        }

        @Override
        public void onGiveUp(int attempts, Throwable lastError) {
            events.add("give up " + attempts);
        }

        String next() throws InterruptedException {
            String e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("a reconnect event").isNotNull();
            return e;
        }
    }

    @Test
    void backoffGrowsToTheMaximumWithJitterInBounds() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.5, 0);
        assertThat(p.delay(1, 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delay(2, 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delay(3, 0.5)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delay(4, 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.delay(40, 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.delay(1, 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(p.delay(1, 0.999)).isBetween(Duration.ofMillis(149), Duration.ofMillis(150));
        assertThat(p.isLastAttempt(1000)).isFalse();
        assertThat(FAST.isLastAttempt(3)).isTrue();
        assertThat(FAST.isLastAttempt(2)).isFalse();
    }

    @Test
    void policyRejectsBadValues() {
        assertThatThrownBy(() -> FAST.withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'jitter' must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> FAST.withMultiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'multiplier' must be at least 1, was 0.5");
        assertThatThrownBy(() -> FAST.withMaxAttempts(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxAttempts' must be 0 (no limit) or positive, was -1");
        assertThatThrownBy(() -> FAST.withDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxDelay' must be at least 'initialDelay' (PT2S), was PT1S");
    }

    @Test
    void givesUpAfterTheMaximumOfAttempts() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        try (WebSocketClient client = WebSocketClient.builder().ioThreads(1).build()) {
            Attempts attempts = new Attempts();
            RecordingListener listener = new RecordingListener();
            ReconnectingWebSocket r = ReconnectingWebSocket.start(
                    client, ConnectRequest.to("ws://127.0.0.1:" + port + "/"), listener, FAST, attempts);
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("failed 1 ConnectException 10");
            assertThat(attempts.next()).isEqualTo("attempt 2");
            assertThat(attempts.next()).isEqualTo("failed 2 ConnectException 20");
            assertThat(attempts.next()).isEqualTo("attempt 3");
            assertThat(attempts.next()).isEqualTo("give up 3");
            r.terminationFuture().get(20, TimeUnit.SECONDS);
            assertThat(r.current()).isNull();
        }
    }

    @Test
    void reconnectsWhenTheServerDropsAndStopsOnClose() throws Exception {
        try (NodeEchoServer server = NodeEchoServer.start();
                WebSocketClient client = WebSocketClient.builder().ioThreads(1).build()) {
            Attempts attempts = new Attempts();
            RecordingListener listener = new RecordingListener();
            ReconnectingWebSocket r =
                    client.connectReconnecting(ConnectRequest.to(server.uri("/r")), listener, attempts);
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            WebSocket first = listener.awaitOpen();
            assertThat(r.current()).isSameAs(first);
            r.sendText("!terminate");
            // The drop reaches the listener, then a new connection opens after the default backoff (about 1 s).
            assertThat(listener.awaitClose().code()).isEqualTo(1006);
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            WebSocket second = listener.next(RecordingListener.Open.class).webSocket();
            assertThat(second).isNotSameAs(first);
            r.sendText("again").get(20, TimeUnit.SECONDS);
            assertThat(listener.nextText()).isEqualTo("again");

            // reconnect() closes the current connection first, then opens a new one.
            r.reconnect();
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1001, "Reconnecting", true));
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            WebSocket third = listener.next(RecordingListener.Open.class).webSocket();
            assertThat(second.isOpen()).isFalse();

            r.close();
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1000, "", true));
            r.terminationFuture().get(20, TimeUnit.SECONDS);
            assertThat(third.closeFuture().get(20, TimeUnit.SECONDS).code()).isEqualTo(1000);
            assertThat(attempts.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void defaultPolicyReconnectsOnlyAfterAbnormalAndTransientCloses() {
        ReconnectPolicy p = ReconnectPolicy.defaults();
        assertThat(p.reconnectCloseCodes()).containsExactlyInAnyOrder(1001, 1011, 1012, 1013);
        assertThat(p.reconnectsAfterClose(1006)).isTrue();
        assertThat(p.reconnectsAfterClose(1001)).isTrue();
        assertThat(p.reconnectsAfterClose(1013)).isTrue();
        assertThat(p.reconnectsAfterClose(1000)).isFalse();
        assertThat(p.reconnectsAfterClose(1002)).isFalse();
        assertThat(p.reconnectsAfterClose(1008)).isFalse();
        assertThat(p.reconnectsAfterClose(4000)).isFalse();
        ReconnectPolicy none = p.withReconnectCloseCodes(Set.of());
        assertThat(none.reconnectsAfterClose(1001)).isFalse();
        assertThat(none.reconnectsAfterClose(1006)).isTrue();
        assertThat(FAST.withReconnectCloseCodes(Set.of(1000)).maxAttempts()).isEqualTo(3);
        assertThatThrownBy(() -> p.withReconnectCloseCodes(Set.of(1000, 1006)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'reconnectCloseCodes' must hold codes in [1000, 5000) other than 1005, 1006 and 1015,"
                        + " had 1006");
    }

    @Test
    void aNormalCloseByTheServerEndsItByDefault() throws Exception {
        try (NodeEchoServer server = NodeEchoServer.start();
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .reconnectPolicy(FAST)
                        .build()) {
            Attempts attempts = new Attempts();
            RecordingListener listener = new RecordingListener();
            ReconnectingWebSocket r =
                    client.connectReconnecting(ConnectRequest.to(server.uri("/done")), listener, attempts);
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            listener.awaitOpen();
            r.sendText("!close 1000 done");
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1000, "done", true));
            assertThat(attempts.next()).isEqualTo("give up 0");
            r.terminationFuture().get(20, TimeUnit.SECONDS);
            assertThat(r.current()).isNull();
            assertThat(attempts.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aGoingAwayCloseReconnectsByDefault() throws Exception {
        try (NodeEchoServer server = NodeEchoServer.start();
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .reconnectPolicy(FAST)
                        .build()) {
            Attempts attempts = new Attempts();
            RecordingListener listener = new RecordingListener();
            ReconnectingWebSocket r =
                    client.connectReconnecting(ConnectRequest.to(server.uri("/restart")), listener, attempts);
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            WebSocket first = listener.awaitOpen();
            r.sendText("!close 1001 restarting");
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1001, "restarting", true));
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            assertThat(listener.next(RecordingListener.Open.class).webSocket()).isNotSameAs(first);
            r.close();
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1000, "", true));
        }
    }

    @Test
    void withNormalClosureInTheCodesACleanCloseReconnectsToo() throws Exception {
        try (NodeEchoServer server = NodeEchoServer.start();
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .reconnectPolicy(FAST.withReconnectCloseCodes(Set.of(1000, 1001)))
                        .build()) {
            Attempts attempts = new Attempts();
            RecordingListener listener = new RecordingListener();
            ReconnectingWebSocket r =
                    client.connectReconnecting(ConnectRequest.to(server.uri("/again")), listener, attempts);
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            WebSocket first = listener.awaitOpen();
            r.sendText("!close 1000 bye");
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1000, "bye", true));
            assertThat(attempts.next()).isEqualTo("attempt 1");
            assertThat(attempts.next()).isEqualTo("connected 1");
            assertThat(listener.next(RecordingListener.Open.class).webSocket()).isNotSameAs(first);
            r.close();
            assertThat(listener.awaitClose()).isEqualTo(new RecordingListener.Close(1000, "", true));
        }
    }
}
