package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks, timers, thread names and shutdown of the loops. */
class EventLoopTest {

    @Test
    void runsTasksInOrderOnANamedDaemonThread() throws Exception {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(3).build())) {
            assertThat(group.size()).isEqualTo(3);
            EventLoop loop = group.next();
            List<Integer> seen = new ArrayList<>();
            CompletableFuture<Thread> thread = new CompletableFuture<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                loop.execute(() -> seen.add(n));
            }
            loop.execute(() -> thread.complete(Thread.currentThread()));
            Thread t = thread.get(30, TimeUnit.SECONDS);
            assertThat(t.getName()).matches("duplex-io-\\d+");
            assertThat(t.isDaemon()).isTrue();
            assertThat(seen).hasSize(1000).isSorted();
            assertThat(loop.inEventLoop()).isFalse();
        }
    }

    @Test
    void assignsLoopsRoundRobin() {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(2).build())) {
            EventLoop a = group.next();
            EventLoop b = group.next();
            assertThat(a).isNotSameAs(b);
            assertThat(group.next()).isSameAs(a);
            assertThat(group.next()).isSameAs(b);
        }
    }

    @Test
    void runsTimersByDeadlineAndSkipsCancelledOnes() throws Exception {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build())) {
            EventLoop loop = group.next();
            List<String> fired = new ArrayList<>();
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            loop.schedule(() -> fired.add("30"), 30, TimeUnit.MILLISECONDS);
            Timeout cancelled = loop.schedule(() -> fired.add("cancelled"), 10, TimeUnit.MILLISECONDS);
            loop.schedule(() -> fired.add("0"), 0, TimeUnit.MILLISECONDS);
            loop.schedule(() -> fired.add("20"), 20, TimeUnit.MILLISECONDS);
            Timeout last = loop.schedule(() -> done.complete(new ArrayList<>(fired)), 60, TimeUnit.MILLISECONDS);
            assertThat(cancelled.cancel()).isTrue();
            assertThat(cancelled.cancel()).isFalse();
            assertThat(done.get(30, TimeUnit.SECONDS)).containsExactly("0", "20", "30");
            assertThat(cancelled.isCancelled()).isTrue();
            assertThat(cancelled.isExpired()).isFalse();
            assertThat(last.isExpired()).isTrue();
            assertThat(last.cancel()).isFalse();
        }
    }

    @Test
    void cancelsManyTimersWithoutRunningThem() throws Exception {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build())) {
            EventLoop loop = group.next();
            List<Timeout> timeouts = new ArrayList<>();
            int[] ran = new int[1];
            CompletableFuture<Integer> result = new CompletableFuture<>();
            loop.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    timeouts.add(loop.schedule(() -> ran[0]++, 1 + i % 50, TimeUnit.MILLISECONDS));
                }
                for (int i = 0; i < timeouts.size(); i += 2) {
                    timeouts.get(i).cancel();
                }
                loop.schedule(() -> result.complete(ran[0]), 100, TimeUnit.MILLISECONDS);
            });
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(5_000);
        }
    }

    @Test
    void rejectsWorkAfterShutdown() throws Exception {
        EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build());
        EventLoop loop = group.next();
        group.shutdownGracefully(java.time.Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        assertThat(group.isShutdown()).isTrue();
        assertThatThrownBy(() -> loop.execute(() -> {}))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageMatching("event loop duplex-io-\\d+ is shut down");
        assertThatThrownBy(() -> group.connect(
                        new java.net.InetSocketAddress("127.0.0.1", 1), ConnectionOptions.defaults(), null, c -> null))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("the event loop group is shut down");
    }

    @Test
    void rejectsANegativeDelay() {
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(1).build())) {
            assertThatThrownBy(() -> group.next().schedule(() -> {}, -1, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'delay' must not be negative, was -1");
        }
    }
}
