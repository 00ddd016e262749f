package dev.duplex.websocket.transport;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The executors listener code runs on by default, behind each connection's {@link
 * SerialExecutor}: virtual threads when the runtime has them (Java 21+) and they are asked for,
 * else one bounded pool shared by every connection. Thread-safe; the executors are created on
 * first use and live as long as the JVM (their threads are daemons and idle ones end).
 */
public final class DispatchExecutors {

    /** Threads of the shared pool: twice the processors, at least 8. */
    public static final int SHARED_POOL_SIZE =
            Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

    /**
     * System property: microseconds an idle worker of the shared pool polls for the next batch
     * before it parks ({@value #DEFAULT_SPIN_MICROS} by default; 0 parks at once, for machines
     * where every cycle counts more than latency).
     */
    public static final String SPIN_MICROS_PROPERTY = "duplex.websocket.dispatch.spin-micros";

    /** Default of {@link #SPIN_MICROS_PROPERTY}. */
    public static final int DEFAULT_SPIN_MICROS = 50;

    /** Idle workers of the shared pool end after this long parked. */
    static final long KEEP_ALIVE_SECONDS = 60;

    private DispatchExecutors() {}

    /**
     * Virtual threads if {@code preferVirtualThreads} and the runtime has them, else {@link
     * #sharedPool()}.
     */
    public static Executor defaultExecutor(boolean preferVirtualThreads) {
        if (preferVirtualThreads) {
            Optional<Executor> virtual = virtualThreads();
            if (virtual.isPresent()) {
                return virtual.get();
            }
        }
        return sharedPool();
    }

    /**
     * A shared executor starting one virtual thread per task, or empty before Java 21. Found by
     * reflection, since this library is compiled for Java 17.
     */
    public static Optional<Executor> virtualThreads() {
        return VirtualHolder.EXECUTOR;
    }

    /**
     * The shared pool: up to {@link #SHARED_POOL_SIZE} daemon threads named {@code
     * duplex-dispatch-N}, started on demand, an unbounded queue (it holds at most one batch
     * hand-over per connection), idle threads ending after a minute. A thread that runs out of
     * work polls for the next batch for {@link #SPIN_MICROS_PROPERTY} microseconds before it
     * parks, so that a connection exchanging messages back and forth hands each batch to a
     * running thread instead of waking a parked one; at most one thread polls at a time.
     */
    public static Executor sharedPool() {
        return PoolHolder.POOL;
    }

    private static final class PoolHolder {
        static final Executor POOL = new DispatchPool(
                "duplex-dispatch-",
                SHARED_POOL_SIZE,
                TimeUnit.MICROSECONDS.toNanos(spinMicros()),
                TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS));

        private static long spinMicros() {
            String value = System.getProperty(SPIN_MICROS_PROPERTY);
            if (value == null) {
                return DEFAULT_SPIN_MICROS;
            }
            try {
                return Math.max(0, Math.min(10_000, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                System.getLogger(DispatchExecutors.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                SPIN_MICROS_PROPERTY + " must be a whole number of microseconds, was '" + value
                                        + "'; using " + DEFAULT_SPIN_MICROS);
                return DEFAULT_SPIN_MICROS;
            }
        }
    }

    private static final class VirtualHolder {
        static final Optional<Executor> EXECUTOR = find();

        private static Optional<Executor> find() {
            try {
                Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
                return Optional.of((Executor) factory.invoke(null));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
