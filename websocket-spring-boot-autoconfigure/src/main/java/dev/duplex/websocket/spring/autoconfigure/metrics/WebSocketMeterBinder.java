package dev.duplex.websocket.spring.autoconfigure.metrics;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link WebSocketObserver} that records the meters named in {@link WebSocketMeters} into every
 * {@link MeterRegistry} it is {@linkplain #bindTo bound to}. Give it to a client or server (its
 * {@code ProtocolOptions.observer}) and bind it once: Spring Boot binds it as it binds every
 * {@link MeterBinder} bean; plain Java calls {@code bindTo(registry)}. Events before the first
 * binding are not recorded.
 *
 * <p>Meters of a side and endpoint are registered on their first event. The buffered-amount
 * gauges are computed when the registry reads them, from the connections this observer saw open
 * and not yet closed: a connection is forgotten at its {@code closed} event, so none is held
 * after it ends.
 *
 * <p>Thread-safe; its methods are cheap (map look-ups and atomic adds) and never block.
 *
 * @since 0.1.0
 */
public final class WebSocketMeterBinder implements WebSocketObserver, MeterBinder {

    /** Fans each meter out to the registries bound so far, and to those bound later. */
    private final CompositeMeterRegistry registries = new CompositeMeterRegistry();

    /** Per side and endpoint; entries live as long as the binder (bounded by the endpoints). */
    private final ConcurrentMap<EndpointKey, EndpointMeters> endpoints = new ConcurrentHashMap<>();

    /** Per side, endpoint and reason. */
    private final ConcurrentMap<FailureKey, Counter> handshakeFailures = new ConcurrentHashMap<>();

    /** A binder bound to no registry yet. */
    public WebSocketMeterBinder() {}

    /** Records from now on into {@code registry} as well; the meters seen so far start there at zero. */
    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
    }

    @Override
    public void opened(WebSocket webSocket, Side side, String endpoint) {
        EndpointMeters m = meters(side, endpoint);
        m.open.add(webSocket);
        m.opened.increment();
    }

    @Override
    public void closed(WebSocket webSocket, Side side, String endpoint, int code) {
        EndpointMeters m = meters(side, endpoint);
        m.open.remove(webSocket);
        m.closed(code).increment();
    }

    @Override
    public void messageReceived(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {
        meters(side, endpoint).traffic[EndpointMeters.index(true, kind)].record(bytes);
    }

    @Override
    public void messageSent(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {
        meters(side, endpoint).traffic[EndpointMeters.index(false, kind)].record(bytes);
    }

    @Override
    public void handshakeFailed(Side side, String endpoint, String reason) {
        handshakeFailures
                .computeIfAbsent(new FailureKey(side, endpoint, reason), this::failureCounter)
                .increment();
    }

    @Override
    public void pingRoundTrip(WebSocket webSocket, Side side, String endpoint, Duration roundTrip) {
        meters(side, endpoint).pingRoundTrip.record(roundTrip);
    }

    private EndpointMeters meters(Side side, String endpoint) {
        EndpointKey key = new EndpointKey(side, endpoint);
        EndpointMeters m = endpoints.get(key); // the common case, without computeIfAbsent's lock
        return m != null ? m : endpoints.computeIfAbsent(key, k -> new EndpointMeters(registries, k.tags()));
    }

    private Counter failureCounter(FailureKey key) {
        return Counter.builder(WebSocketMeters.HANDSHAKE_FAILURES)
                .description("Opening handshakes that failed, by reason")
                .baseUnit("handshakes")
                .tags(key.endpoint().tags())
                .tag(WebSocketMeters.REASON, key.reason())
                .register(registries);
    }

    @Override
    public String toString() {
        return "WebSocketMeterBinder[endpoints=" + endpoints.keySet() + "]";
    }

    private record EndpointKey(Side side, String endpoint) {
        Tags tags() {
            return Tags.of(
                    WebSocketMeters.SIDE, side.name().toLowerCase(Locale.ROOT), WebSocketMeters.ENDPOINT, endpoint);
        }
    }

    private record FailureKey(EndpointKey endpoint, String reason) {
        FailureKey(Side side, String endpoint, String reason) {
            this(new EndpointKey(side, endpoint), reason);
        }
    }

    /** A message counter and a byte counter of one direction and type. */
    private record Traffic(Counter messages, Counter bytes) {
        void record(long payload) {
            messages.increment();
            bytes.increment(payload);
        }
    }

    /** The meters of one side and endpoint, and the connections open on it. */
    private static final class EndpointMeters {

        private final MeterRegistry registry;
        private final Tags tags;
        /** Open connections, for the gauges; added at open, removed at close. */
        final Set<WebSocket> open = ConcurrentHashMap.newKeySet();

        final Counter opened;
        final Timer pingRoundTrip;
        /** Indexed by {@link #index}: in/out × text/binary. */
        final Traffic[] traffic = new Traffic[4];

        /** By close code: a bounded set (valid codes only reach {@code onClose}). */
        private final ConcurrentMap<Integer, Counter> closed = new ConcurrentHashMap<>();

        EndpointMeters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            Gauge.builder(WebSocketMeters.CONNECTIONS_ACTIVE, open, Set::size)
                    .description("Connections open now")
                    .baseUnit("connections")
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(WebSocketMeters.BUFFERED, this, EndpointMeters::bufferedSum)
                    .description(
                            "Bytes accepted by sends and not yet written to the socket, summed over open connections")
                    .baseUnit(BaseUnits.BYTES)
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(WebSocketMeters.BUFFERED_MAX, this, EndpointMeters::bufferedMax)
                    .description("Bytes accepted by sends and not yet written to the socket, largest open connection")
                    .baseUnit(BaseUnits.BYTES)
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            this.opened = Counter.builder(WebSocketMeters.CONNECTIONS_OPENED)
                    .description("Connections opened (opening handshake succeeded)")
                    .baseUnit("connections")
                    .tags(tags)
                    .register(registry);
            this.pingRoundTrip = Timer.builder(WebSocketMeters.PING_ROUND_TRIP)
                    .description("Time from a ping to its matching pong")
                    .tags(tags)
                    .register(registry);
            for (boolean in : new boolean[] {true, false}) {
                for (MessageKind kind : MessageKind.values()) {
                    Tags t = tags.and(
                            WebSocketMeters.DIRECTION,
                            in ? "in" : "out",
                            WebSocketMeters.TYPE,
                            kind.name().toLowerCase(Locale.ROOT));
                    traffic[index(in, kind)] = new Traffic(
                            Counter.builder(WebSocketMeters.MESSAGES)
                                    .description("Data messages received (in) or sent (out)")
                                    .baseUnit(BaseUnits.MESSAGES)
                                    .tags(t)
                                    .register(registry),
                            Counter.builder(WebSocketMeters.BYTES)
                                    .description("Payload bytes of data messages received (in) or sent (out)")
                                    .baseUnit(BaseUnits.BYTES)
                                    .tags(t)
                                    .register(registry));
                }
            }
        }

        static int index(boolean in, MessageKind kind) {
            return (in ? 0 : 2) + kind.ordinal();
        }

        Counter closed(int code) {
            Counter c = closed.get(code);
            return c != null
                    ? c
                    : closed.computeIfAbsent(
                            code,
                            k -> Counter.builder(WebSocketMeters.CONNECTIONS_CLOSED)
                                    .description("Connections closed, by the close code reported to onClose")
                                    .baseUnit("connections")
                                    .tags(tags)
                                    .tag(WebSocketMeters.CODE, Integer.toString(k))
                                    .register(registry));
        }

        double bufferedSum() {
            long sum = 0;
            for (WebSocket ws : open) {
                sum += ws.bufferedAmount();
            }
            return sum;
        }

        double bufferedMax() {
            long max = 0;
            for (WebSocket ws : open) {
                max = Math.max(max, ws.bufferedAmount());
            }
            return max;
        }
    }
}
