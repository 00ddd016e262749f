package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.transport.DispatchExecutors;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the container calls that block and must not block the caller: fragmented sends
 * (Jakarta has no asynchronous partial send) and blocking-mode {@code serve} loops. Virtual threads
 * on Java 21+, else daemon threads made as needed and kept a minute when idle.
 */
final class BlockingThreads {

    private static final AtomicInteger THREADS = new AtomicInteger();

    static final Executor EXECUTOR = DispatchExecutors.virtualThreads()
            .orElseGet(() -> Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "duplex-spring-blocking-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            }));

    private BlockingThreads() {}
}
