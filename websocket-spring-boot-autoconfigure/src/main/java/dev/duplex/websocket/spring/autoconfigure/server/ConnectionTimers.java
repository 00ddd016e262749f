package dev.duplex.websocket.spring.autoconfigure.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One daemon thread for the timers of every endpoint connection: idle timeouts, keep-alive pings,
 * ping and close timeouts. Started at the first timer, so applications without timers have no
 * thread. Tasks must be short: they only check a time and start a send or a close.
 */
final class ConnectionTimers implements AutoCloseable {

    /** Created at the first schedule; guarded by this. */
    private @Nullable ScheduledExecutorService executor;

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return executor().schedule(task, Math.max(1, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    private synchronized ScheduledExecutorService executor() {
        ScheduledExecutorService e = executor;
        if (e == null) {
            e = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "duplex-spring-timers");
                t.setDaemon(true);
                return t;
            });
            executor = e;
        }
        return e;
    }

    @Override
    public synchronized void close() {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
        }
    }
}
