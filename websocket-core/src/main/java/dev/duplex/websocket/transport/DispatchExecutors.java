package dev.duplex.websocket.transport;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
     * The shared pool: {@link #SHARED_POOL_SIZE} daemon threads named {@code duplex-dispatch-N}, an
     * unbounded queue (it holds at most one batch hand-over per connection), idle threads ending
     * after a minute.
     */
    public static Executor sharedPool() {
        return PoolHolder.POOL;
    }

    private static final class PoolHolder {
        static final Executor POOL = createPool();

        private static Executor createPool() {
            AtomicInteger numbers = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    SHARED_POOL_SIZE, SHARED_POOL_SIZE, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "duplex-dispatch-" + numbers.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
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
