package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Ordered, never-concurrent dispatch per connection, in batches, on a shared executor. */
class SerialExecutorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void keepsOrderAndNeverRunsTwoTasksAtOnceUnderManyThreads() throws Exception {
        SerialExecutor serial = new SerialExecutor(DispatchExecutors.sharedPool());
        int producers = 8;
        int perProducer = 20_000;
        int[] lastSeen = new int[producers];
        java.util.Arrays.fill(lastSeen, -1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(producers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perProducer; i++) {
                        int seq = i;
                        serial.execute(() -> {
                            if (running.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            // Plain array access: safe only if tasks never overlap.
                            if (lastSeen[producer] != seq - 1) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[producer] = seq;
                            running.decrementAndGet();
                            done.incrementAndGet();
                        });
                    }
                });
            }
            start.countDown();
            await().atMost(WAIT).until(() -> done.get() == producers * perProducer);
        } finally {
            threads.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(outOfOrder).hasValue(0);
    }

    @Test
    void handsTasksOverInBatches() throws Exception {
        AtomicInteger handOvers = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor serial = new SerialExecutor(task -> {
                handOvers.incrementAndGet();
                pool.execute(task);
            });
            CountDownLatch blocked = new CountDownLatch(1);
            serial.execute(() -> {
                try {
                    blocked.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 500; i++) {
                serial.execute(ran::incrementAndGet);
            }
            blocked.countDown();
            await().atMost(WAIT).until(() -> ran.get() == 500);
            assertThat(handOvers).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBlockingTaskDoesNotStallAnotherConnection() throws Exception {
        SerialExecutor stuck = new SerialExecutor(DispatchExecutors.sharedPool());
        SerialExecutor other = new SerialExecutor(DispatchExecutors.sharedPool());
        CountDownLatch release = new CountDownLatch(1);
        try {
            stuck.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<String> ran = new CompletableFuture<>();
            other.execute(() -> ran.complete(Thread.currentThread().getName()));
            assertThat(ran.get(30, TimeUnit.SECONDS)).startsWith("duplex-dispatch-");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBlockingListenerDoesNotStallTheLoopOrAnotherConnection() throws Exception {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build())) {
            CountDownLatch release = new CountDownLatch(1);
            List<Dispatching> handlers = new ArrayList<>();
            Acceptor acceptor = group.bind(
                    new InetSocketAddress("127.0.0.1", 0),
                    AcceptorOptions.defaults(),
                    ConnectionOptions.defaults(),
                    null,
                    c -> {
                        Dispatching h = new Dispatching(c, release);
                        synchronized (handlers) {
                            handlers.add(h);
                        }
                        return h;
                    });
            try (Socket blocker = new Socket("127.0.0.1", acceptor.port());
                    Socket fine = new Socket("127.0.0.1", acceptor.port())) {
                fine.setSoTimeout(30_000);
                OutputStream out = blocker.getOutputStream();
                out.write('B'); // its listener blocks until released
                out.flush();
                await().atMost(WAIT).until(() -> {
                    synchronized (handlers) {
                        return handlers.size() == 2 && handlers.stream().anyMatch(h -> h.blocking.get());
                    }
                });
                // Both connections share the one I/O thread; the other still echoes.
                for (int i = 0; i < 20; i++) {
                    fine.getOutputStream().write('x');
                    assertThat(fine.getInputStream().read()).isEqualTo('x');
                }
            } finally {
                release.countDown();
                acceptor.close();
            }
        }
    }

    @Test
    void directModeRunsOnTheLoopThreadInOrder() throws Exception {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build())) {
            EventLoop loop = group.next();
            SerialExecutor direct = SerialExecutor.direct(loop);
            List<String> seen = new ArrayList<>();
            CompletableFuture<List<String>> result = new CompletableFuture<>();
            loop.execute(() -> {
                direct.execute(() -> {
                    seen.add("first on " + Thread.currentThread().getName().startsWith("duplex-io-"));
                    direct.execute(() -> seen.add("nested"));
                    seen.add("first ends");
                });
                seen.add("inline already ran: " + seen.contains("nested"));
                direct.execute(() -> result.complete(new ArrayList<>(seen)));
            });
            assertThat(result.get(30, TimeUnit.SECONDS))
                    .containsExactly("first on true", "first ends", "nested", "inline already ran: true");
            CompletableFuture<String> fromOutside = new CompletableFuture<>();
            direct.execute(() -> fromOutside.complete(Thread.currentThread().getName()));
            assertThat(fromOutside.get(30, TimeUnit.SECONDS)).startsWith("duplex-io-");
        }
    }

    @Test
    void runsNowIfIdleOnlyOnItsLoopWithNothingQueuedOrRunning() throws Exception {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build())) {
            EventLoop loop = group.next();
            SerialExecutor direct = SerialExecutor.direct(loop);
            List<String> seen = new ArrayList<>();
            CompletableFuture<List<String>> result = new CompletableFuture<>();
            loop.execute(() -> {
                seen.add("idle: " + direct.runNowIfIdle(() -> seen.add("ran inline")));
                direct.execute(() -> {
                    // Running: a task lent now must not run ahead of, or inside, this one.
                    seen.add("while running: " + direct.runNowIfIdle(() -> seen.add("never")));
                });
                direct.execute(() -> result.complete(new ArrayList<>(seen)));
            });
            assertThat(result.get(30, TimeUnit.SECONDS))
                    .containsExactly("ran inline", "idle: true", "while running: false");
            assertThat(direct.runNowIfIdle(() -> seen.add("off the loop"))).isFalse();
            assertThat(new SerialExecutor(Runnable::run).runNowIfIdle(() -> {})).isFalse();
        }
    }

    /** Dispatches reads to its own serial executor; a read of 'B' blocks the listener. */
    static final class Dispatching implements ConnectionHandler {
        final Connection connection;
        final SerialExecutor events = new SerialExecutor(DispatchExecutors.sharedPool());
        final CountDownLatch release;
        final java.util.concurrent.atomic.AtomicBoolean blocking = new java.util.concurrent.atomic.AtomicBoolean();

        Dispatching(Connection connection, CountDownLatch release) {
            this.connection = connection;
            this.release = release;
        }

        @Override
        public void onRead(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.execute(() -> {
                if (bytes[0] == 'B') {
                    blocking.set(true);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    connection.write(ByteBuffer.wrap(bytes));
                }
            });
        }

        @Override
        public void onClosed(@Nullable Throwable cause) {}
    }
}
