package dev.duplex.websocket.sample;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.server.ConnectionRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Broadcasts a {@link Tick} every second to every connection of {@link TicksEndpoint}, from a
 * scheduler thread, through the {@link ConnectionRegistry}: the way any part of an application
 * pushes to sockets it did not open.
 */
@Component
public class TickBroadcaster {

    private final ConnectionRegistry registry;
    private final JsonCodec json;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong seq = new AtomicLong();
    private volatile @Nullable Tick last;

    TickBroadcaster(ConnectionRegistry registry, JsonCodec json) {
        this.registry = registry;
        this.json = json;
    }

    /** Makes the next tick and sends it to every open {@code /ticks} connection. */
    @Scheduled(fixedRate = 1000)
    void tick() {
        Tick tick = new Tick(seq.incrementAndGet(), clock.millis());
        last = tick;
        if (registry.size(TicksEndpoint.PATH) > 0) {
            // Encoded once for all connections, rather than once per sendObject.
            registry.broadcastText(TicksEndpoint.PATH, json.encode(tick));
        }
    }

    /** The latest tick, or null before the first. */
    public @Nullable Tick last() {
        return last;
    }
}
