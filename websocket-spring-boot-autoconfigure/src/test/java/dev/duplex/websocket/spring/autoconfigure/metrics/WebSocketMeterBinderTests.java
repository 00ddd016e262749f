package dev.duplex.websocket.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketObserver.MessageKind;
import dev.duplex.websocket.WebSocketObserver.Side;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketMeterBinderTests {

    private static final String CHAT = "/chat/{room}";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WebSocketMeterBinder binder = new WebSocketMeterBinder();

    WebSocketMeterBinderTests() {
        binder.bindTo(registry);
    }

    @Test
    void countsOpenedAndActiveConnectionsPerSideAndEndpoint() {
        WebSocket a = webSocket(0);
        WebSocket b = webSocket(0);
        WebSocket c = webSocket(0);
        binder.opened(a, Side.SERVER, CHAT);
        binder.opened(b, Side.SERVER, CHAT);
        binder.opened(c, Side.CLIENT, "client");

        assertThat(gauge(WebSocketMeters.CONNECTIONS_ACTIVE, "server", CHAT)).isEqualTo(2);
        assertThat(gauge(WebSocketMeters.CONNECTIONS_ACTIVE, "client", "client"))
                .isEqualTo(1);
        assertThat(registry.get(WebSocketMeters.CONNECTIONS_OPENED)
                        .tags(WebSocketMeters.SIDE, "server", WebSocketMeters.ENDPOINT, CHAT)
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void countsClosesByCodeAndForgetsTheConnection() {
        WebSocket a = webSocket(0);
        WebSocket b = webSocket(0);
        binder.opened(a, Side.SERVER, CHAT);
        binder.opened(b, Side.SERVER, CHAT);
        binder.closed(a, Side.SERVER, CHAT, 1000);
        binder.closed(b, Side.SERVER, CHAT, 1006);

        assertThat(closed("server", CHAT, "1000")).isEqualTo(1);
        assertThat(closed("server", CHAT, "1006")).isEqualTo(1);
        assertThat(gauge(WebSocketMeters.CONNECTIONS_ACTIVE, "server", CHAT)).isZero();
    }

    @Test
    void countsMessagesAndBytesByDirectionAndType() {
        WebSocket ws = webSocket(0);
        binder.opened(ws, Side.CLIENT, "client");
        binder.messageSent(ws, Side.CLIENT, "client", MessageKind.TEXT, 5);
        binder.messageSent(ws, Side.CLIENT, "client", MessageKind.TEXT, 7);
        binder.messageReceived(ws, Side.CLIENT, "client", MessageKind.BINARY, 100);

        assertThat(traffic(WebSocketMeters.MESSAGES, "out", "text")).isEqualTo(2);
        assertThat(traffic(WebSocketMeters.BYTES, "out", "text")).isEqualTo(12);
        assertThat(traffic(WebSocketMeters.MESSAGES, "in", "binary")).isEqualTo(1);
        assertThat(traffic(WebSocketMeters.BYTES, "in", "binary")).isEqualTo(100);
        assertThat(traffic(WebSocketMeters.MESSAGES, "in", "text")).isZero();
        assertThat(traffic(WebSocketMeters.MESSAGES, "out", "binary")).isZero();
    }

    @Test
    void countsHandshakeFailuresByReason() {
        binder.handshakeFailed(Side.SERVER, "unmatched", "404");
        binder.handshakeFailed(Side.SERVER, "unmatched", "404");
        binder.handshakeFailed(Side.CLIENT, "client", "refused");

        assertThat(registry.get(WebSocketMeters.HANDSHAKE_FAILURES)
                        .tags(WebSocketMeters.SIDE, "server", WebSocketMeters.REASON, "404")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get(WebSocketMeters.HANDSHAKE_FAILURES)
                        .tags(WebSocketMeters.SIDE, "client", WebSocketMeters.REASON, "refused")
                        .counter()
                        .count())
                .isEqualTo(1);
        // a failed handshake is no connection: no connection gauges for "unmatched"
        assertThat(registry.find(WebSocketMeters.CONNECTIONS_ACTIVE)
                        .tag(WebSocketMeters.ENDPOINT, "unmatched")
                        .gauge())
                .isNull();
    }

    @Test
    void timesPingRoundTrips() {
        WebSocket ws = webSocket(0);
        binder.pingRoundTrip(ws, Side.CLIENT, "client", Duration.ofMillis(3));
        binder.pingRoundTrip(ws, Side.CLIENT, "client", Duration.ofMillis(5));

        var timer = registry.get(WebSocketMeters.PING_ROUND_TRIP)
                .tag(WebSocketMeters.SIDE, "client")
                .timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8.0);
    }

    @Test
    void bufferedGaugesSumAndMaxOverOpenConnectionsAtReadTime() {
        WebSocket a = webSocket(100);
        WebSocket b = webSocket(250);
        binder.opened(a, Side.SERVER, CHAT);
        binder.opened(b, Side.SERVER, CHAT);

        assertThat(gauge(WebSocketMeters.BUFFERED, "server", CHAT)).isEqualTo(350);
        assertThat(gauge(WebSocketMeters.BUFFERED_MAX, "server", CHAT)).isEqualTo(250);

        when(a.bufferedAmount()).thenReturn(1_000L); // read on each scrape, not cached
        assertThat(gauge(WebSocketMeters.BUFFERED, "server", CHAT)).isEqualTo(1_250);
        assertThat(gauge(WebSocketMeters.BUFFERED_MAX, "server", CHAT)).isEqualTo(1_000);

        binder.closed(a, Side.SERVER, CHAT, 1001);
        assertThat(gauge(WebSocketMeters.BUFFERED, "server", CHAT)).isEqualTo(250);
        assertThat(gauge(WebSocketMeters.BUFFERED_MAX, "server", CHAT)).isEqualTo(250);
    }

    @Test
    void everyMeterHasADescriptionAndOnlyBoundedTags() {
        WebSocket ws = webSocket(0);
        binder.opened(ws, Side.SERVER, CHAT);
        binder.messageSent(ws, Side.SERVER, CHAT, MessageKind.TEXT, 1);
        binder.pingRoundTrip(ws, Side.SERVER, CHAT, Duration.ofMillis(1));
        binder.closed(ws, Side.SERVER, CHAT, 1000);
        binder.handshakeFailed(Side.SERVER, CHAT, "403");

        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
            Meter.Id id = meter.getId();
            assertThat(id.getName()).startsWith("duplex.websocket.");
            assertThat(id.getDescription()).isNotBlank();
            assertThat(id.getTags())
                    .extracting(tag -> tag.getKey())
                    .isSubsetOf(
                            WebSocketMeters.SIDE,
                            WebSocketMeters.ENDPOINT,
                            WebSocketMeters.DIRECTION,
                            WebSocketMeters.TYPE,
                            WebSocketMeters.CODE,
                            WebSocketMeters.REASON);
        });
        assertThat(registry.getMeters())
                .extracting(meter -> meter.getId().getName())
                .contains(
                        WebSocketMeters.CONNECTIONS_ACTIVE,
                        WebSocketMeters.CONNECTIONS_OPENED,
                        WebSocketMeters.CONNECTIONS_CLOSED,
                        WebSocketMeters.MESSAGES,
                        WebSocketMeters.BYTES,
                        WebSocketMeters.HANDSHAKE_FAILURES,
                        WebSocketMeters.PING_ROUND_TRIP,
                        WebSocketMeters.BUFFERED,
                        WebSocketMeters.BUFFERED_MAX);
    }

    @Test
    void recordsIntoEveryBoundRegistryIncludingOneBoundLater() {
        WebSocket ws = webSocket(0);
        binder.opened(ws, Side.CLIENT, "client");
        MeterRegistry later = new SimpleMeterRegistry();
        binder.bindTo(later);
        binder.messageSent(ws, Side.CLIENT, "client", MessageKind.BINARY, 10);

        assertThat(later.get(WebSocketMeters.BYTES)
                        .tag(WebSocketMeters.DIRECTION, "out")
                        .tag(WebSocketMeters.TYPE, "binary")
                        .counter()
                        .count())
                .isEqualTo(10);
        assertThat(later.get(WebSocketMeters.CONNECTIONS_ACTIVE).gauge().value())
                .isEqualTo(1);
        assertThat(traffic(WebSocketMeters.BYTES, "out", "binary")).isEqualTo(10);
    }

    private static WebSocket webSocket(long buffered) {
        WebSocket ws = mock(WebSocket.class);
        when(ws.bufferedAmount()).thenReturn(buffered);
        return ws;
    }

    private double gauge(String name, String side, String endpoint) {
        return registry.get(name)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.ENDPOINT, endpoint)
                .gauge()
                .value();
    }

    private double closed(String side, String endpoint, String code) {
        return registry.get(WebSocketMeters.CONNECTIONS_CLOSED)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.ENDPOINT, endpoint, WebSocketMeters.CODE, code)
                .counter()
                .count();
    }

    private double traffic(String name, String direction, String type) {
        return registry.get(name)
                .tags(WebSocketMeters.DIRECTION, direction, WebSocketMeters.TYPE, type)
                .counter()
                .count();
    }
}
