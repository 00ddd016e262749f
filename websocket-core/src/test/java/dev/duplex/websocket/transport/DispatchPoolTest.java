package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The listener pool: hand-offs to a polling worker, to a parked one, to a new one; none lost. */
class DispatchPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long SPIN = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void keepsEachConnectionsOrderUnderManyProducers() throws Exception {
        DispatchPool pool = new DispatchPool("test-order-", 4, SPIN, MINUTE);
        int connections = 16;
        int producers = 6;
        int perProducer = 5_000;
        SerialExecutor[] serial = new SerialExecutor[connections];
        int[][] lastSeen = new int[connections][producers];
        AtomicInteger[] running = new AtomicInteger[connections];
        for (int c = 0; c < connections; c++) {
            serial[c] = new SerialExecutor(pool);
            java.util.Arrays.fill(lastSeen[c], -1);
            running[c] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(producers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.execute(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < perProducer; i++) {
                        int seq = i;
                        int c = (producer + i) % connections;
                        serial[c].execute(() -> {
                            if (running[c].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            // Plain array access: safe only if one connection's tasks never overlap.
                            if (lastSeen[c][producer] >= seq) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[c][producer] = seq;
                            running[c].decrementAndGet();
                            done.incrementAndGet();
                        });
                        if (i % 512 == 0) {
                            Thread.yield(); // let workers run dry and park now and then
                        }
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
        assertThat(pool.liveThreads()).isBetween(1, 4);
    }

    @Test
    void loseNoTaskHandedOverWhileWorkersParkOrEnd() throws Exception {
        // No spinning and a keep-alive of a few microseconds: nearly every hand-off meets a worker
        // that is parking, parked, ending or gone.
        DispatchPool pool = new DispatchPool("test-park-", 2, 0, TimeUnit.MICROSECONDS.toNanos(20));
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                producers.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 2_000; i++) {
                        CountDownLatch ran = new CountDownLatch(1);
                        pool.execute(ran::countDown);
                        if (!ran.await(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("hand-off " + i + " was lost");
                        }
                        // A pause of varying length: the worker is somewhere between done and gone.
                        long until = System.nanoTime() + random.nextInt(40_000);
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : producers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTaskTakenByThePollingWorkerDoesNotHoldUpTheNextOne() throws Exception {
        // Polls for up to a second: both tasks reach the polling worker's queue, and the one it
        // does not take must get a worker of its own although nobody woke one for it.
        DispatchPool pool = new DispatchPool("test-spin-", 2, TimeUnit.SECONDS.toNanos(1), MINUTE);
        for (int round = 0; round < 20; round++) {
            CountDownLatch warm = new CountDownLatch(1);
            pool.execute(warm::countDown);
            assertThat(warm.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch second = new CountDownLatch(1);
            CountDownLatch firstDone = new CountDownLatch(1);
            pool.execute(() -> {
                awaitQuietly(second); // blocks until the other task has run
                firstDone.countDown();
            });
            pool.execute(second::countDown);

            assertThat(firstDone.await(10, TimeUnit.SECONDS))
                    .as("round %d: the second task ran beside the blocked first", round)
                    .isTrue();
        }
    }

    @Test
    void aBlockedWorkerDoesNotStallTheOthers() throws Exception {
        DispatchPool pool = new DispatchPool("test-block-", 3, SPIN, MINUTE);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(2);
        try {
            for (int i = 0; i < 2; i++) {
                pool.execute(() -> {
                    blocked.countDown();
                    awaitQuietly(release);
                });
            }
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                pool.execute(ran::countDown);
                assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(pool.liveThreads()).isEqualTo(3);
        } finally {
            release.countDown();
        }
    }

    @Test
    void tasksBeyondTheWorkersWaitForTheFirstToFinish() throws Exception {
        DispatchPool pool = new DispatchPool("test-full-", 1, SPIN, MINUTE);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch queuedRan = new CountDownLatch(1);
        pool.execute(() -> awaitQuietly(release));
        pool.execute(queuedRan::countDown);

        assertThat(queuedRan.await(50, TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        assertThat(queuedRan.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.liveThreads()).isEqualTo(1);
    }

    @Test
    void idleWorkersEndAfterTheKeepAliveAndNewOnesStartOnDemand() throws Exception {
        DispatchPool pool = new DispatchPool("test-idle-", 4, SPIN, TimeUnit.MILLISECONDS.toNanos(100));
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(WAIT).until(() -> pool.liveThreads() == 0);
        CountDownLatch again = new CountDownLatch(1);
        pool.execute(again::countDown);
        assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFailingTaskLeavesItsWorkerRunning() throws Exception {
        DispatchPool pool = new DispatchPool("test-fail-", 1, SPIN, MINUTE);
        pool.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void rejectsANonPositiveSizeWithASentence() {
        assertThatThrownBy(() -> new DispatchPool("x-", 0, SPIN, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxThreads' must be positive, was 0");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
