package dev.duplex.websocket.spring.autoconfigure.session;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.session.SessionRepository;

/**
 * Asks the Spring Session repository, at an interval, whether the HTTP sessions of open sockets
 * still exist, and reports those that do not as ended. It finds what no event announces: sessions
 * that expired in a store without expiry events (in memory, JDBC), and sessions deleted by another
 * application instance. One lookup per HTTP session with open sockets per interval, on one daemon
 * thread; a store that fails a lookup is asked again at the next interval.
 */
public final class SpringSessionExpiryCheck implements SmartLifecycle {

    /** Default time between two checks: expiry is measured in minutes, a lookup costs a round trip. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private static final System.Logger LOG = System.getLogger(SpringSessionExpiryCheck.class.getName());

    private final HttpSessionBinding binding;
    private final SessionRepository<?> repository;
    private final Duration interval;

    /** The timer while running, else null; guarded by {@code this}. */
    private @Nullable ScheduledExecutorService timer;

    /**
     * @param interval time between two checks; zero for none
     */
    public SpringSessionExpiryCheck(HttpSessionBinding binding, SessionRepository<?> repository, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException(
                    "'duplex.websocket.server.session-check-interval' must not be negative, was " + interval);
        }
        this.binding = binding;
        this.repository = repository;
        this.interval = interval;
    }

    /** Checks every HTTP session with open sockets once, now. */
    public void checkNow() {
        for (String id : binding.sessionIdsToCheck()) {
            try {
                if (repository.findById(id) == null) {
                    binding.sessionEnded(id);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Checking HTTP session " + id + " failed", e);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (timer != null || interval.isZero()) {
            return;
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "duplex-session-check");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        t.scheduleWithFixedDelay(this::checkNow, millis, millis, TimeUnit.MILLISECONDS);
        timer = t;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
