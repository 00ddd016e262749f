package dev.duplex.websocket.sample;

import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The page's metrics panel, read from the Duplex meters in the application's {@link MeterRegistry}
 * (the same meters {@code /actuator/metrics} lists): server-side connections, the message rate and
 * the buffered amount. The rate is sampled once a second from the {@code duplex.websocket.messages}
 * counters.
 */
@Component
public class MetricsSummary {

    /**
     * What {@code GET /api/metrics} shows.
     *
     * @param openConnections server-side connections open now, over all endpoints
     * @param messagesPerSecond whole messages received and sent per second by the server endpoints,
     *     over the last sample
     * @param buffered bytes sent and not yet written, summed over every connection (both sides)
     * @param bufferedMax the largest buffered amount of one connection
     */
    public record Snapshot(long openConnections, double messagesPerSecond, long buffered, long bufferedMax) {}

    private static final String SERVER = "server";

    private final MeterRegistry registry;

    /** Guarded by this. */
    private double lastCount = Double.NaN;
    /** Guarded by this. */
    private long lastNanos;

    private volatile double messagesPerSecond;

    MetricsSummary(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Samples the message counters; the rate is the change since the previous sample. */
    @Scheduled(fixedRate = 1000)
    synchronized void sample() {
        double count = registry.find(WebSocketMeters.MESSAGES).tag(WebSocketMeters.SIDE, SERVER).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        long now = System.nanoTime();
        if (!Double.isNaN(lastCount) && now > lastNanos) {
            messagesPerSecond = Math.max(0, count - lastCount) * 1e9 / (now - lastNanos);
        }
        lastCount = count;
        lastNanos = now;
    }

    /** The panel's figures now. */
    public Snapshot snapshot() {
        long open = (long)
                registry.find(WebSocketMeters.CONNECTIONS_ACTIVE).tag(WebSocketMeters.SIDE, SERVER).gauges().stream()
                        .mapToDouble(Gauge::value)
                        .sum();
        long buffered = (long) registry.find(WebSocketMeters.BUFFERED).gauges().stream()
                .mapToDouble(Gauge::value)
                .sum();
        long bufferedMax = (long) registry.find(WebSocketMeters.BUFFERED_MAX).gauges().stream()
                .mapToDouble(Gauge::value)
                .max()
                .orElse(0);
        return new Snapshot(open, messagesPerSecond, buffered, bufferedMax);
    }
}
