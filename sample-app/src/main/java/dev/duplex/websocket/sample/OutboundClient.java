package dev.duplex.websocket.sample;

import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.ConnectRequest;
import dev.duplex.websocket.client.ReconnectListener;
import dev.duplex.websocket.client.ReconnectingWebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The client bean at work: one outbound connection, opened with the injected {@link
 * WebSocketClient} (configured by {@code duplex.websocket.client.*}) once the web server is up, kept
 * alive by {@link ReconnectingWebSocket} with the client's reconnect policy, and pinged every few
 * seconds to measure the round trip. It goes to {@code sample.outbound.url}, by default the
 * application's own {@code /echo} on the port it actually got.
 */
@Component
public class OutboundClient implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    private static final ByteBuffer PING_PAYLOAD =
            ByteBuffer.wrap("sample".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    /**
     * What {@code GET /api/client} shows.
     *
     * @param state {@code CONNECTING}, {@code OPEN}, {@code CLOSING}, {@code CLOSED}, {@code
     *     RECONNECTING}, {@code GAVE_UP} or {@code NOT_STARTED}
     * @param url the target
     * @param attempts connection attempts made since start-up
     * @param roundTripMillis the last ping's round trip, or null before the first pong
     */
    public record Status(
            String state,
            String url,
            int attempts,
            @Nullable Double roundTripMillis) {}

    private final WebSocketClient client;
    private final @Nullable String configuredUrl;
    private final AtomicInteger attempts = new AtomicInteger();

    private volatile @Nullable ReconnectingWebSocket connection;
    private volatile String url = "";
    /** What the reconnect listener last said, shown while no connection is open. */
    private volatile String between = "NOT_STARTED";

    private volatile @Nullable Double roundTripMillis;

    OutboundClient(WebSocketClient client, @Value("${sample.outbound.url:}") String configuredUrl) {
        this.client = client;
        this.configuredUrl = configuredUrl.isBlank() ? null : configuredUrl.strip();
    }

    /** The web server is listening: connect, to the configured URL or to the server's own echo. */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null || connection != null) {
            return; // a management server, or started already
        }
        String target = configuredUrl != null
                ? configuredUrl
                : "ws://127.0.0.1:" + event.getWebServer().getPort() + "/echo";
        url = target;
        connection = client.connectReconnecting(ConnectRequest.to(target), new WebSocketListener() {}, new Progress());
    }

    /** Measures the round trip of the open connection; between connections, nothing to do. */
    @Scheduled(fixedDelay = 5000, initialDelay = 1000)
    void ping() {
        ReconnectingWebSocket c = connection;
        WebSocket ws = c == null ? null : c.current();
        if (ws == null || !ws.isOpen()) {
            return;
        }
        ws.ping(PING_PAYLOAD.duplicate(), PING_TIMEOUT).thenAccept(rtt -> roundTripMillis = rtt.toNanos() / 1e6);
    }

    /** The connection's state now. */
    public Status status() {
        ReconnectingWebSocket c = connection;
        WebSocket ws = c == null ? null : c.current();
        String state = ws != null && ws.readyState() != ReadyState.CLOSED
                ? ws.readyState().name()
                : between;
        return new Status(state, url, attempts.get(), roundTripMillis);
    }

    @Override
    public void destroy() {
        ReconnectingWebSocket c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Follows the attempts, for the state shown between connections. */
    private final class Progress implements ReconnectListener {

        @Override
        public void onAttempt(int attempt) {
            attempts.incrementAndGet();
            between = "CONNECTING";
        }

        @Override
        public void onConnected(WebSocket webSocket, int attempt) {
            between = "RECONNECTING"; // what it will be once this connection closes
        }

        @Override
        public void onAttemptFailed(int attempt, Throwable error, Duration nextDelay) {
            between = "RECONNECTING";
        }

        @Override
        public void onGiveUp(int attempts, Throwable lastError) {
            between = "GAVE_UP";
        }
    }
}
