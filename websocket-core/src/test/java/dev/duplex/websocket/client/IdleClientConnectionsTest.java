package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.transport.DispatchExecutors;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 2,000 open, idle client connections to node {@code ws} (another process, so the file
 * descriptors of the two ends are not counted against one limit) run on the client's fixed
 * threads: its I/O loops, the shared dispatch pool and the resolver pool, none per connection.
 */
class IdleClientConnectionsTest {

    private static final int CONNECTIONS = 2_000;
    private static final int IO_THREADS = 2;
    private static final int RESOLVER_THREADS = 4;

    @Test
    void twoThousandIdleConnectionsUseAFixedSmallNumberOfThreads() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        WebSocketListener counting = new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                opened.incrementAndGet();
            }

            @Override
            public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
                closed.incrementAndGet();
            }
        };
        try (NodeEchoServer node = NodeEchoServer.start("--no-deflate");
                WebSocketClient client =
                        WebSocketClient.builder().ioThreads(IO_THREADS).build()) {
            // Warm-up: enough connects at once to start every pooled thread there is.
            List<WebSocket> open = new ArrayList<>();
            connectAll(client, node, counting, 50, open);
            int before = threads.getThreadCount();

            connectAll(client, node, counting, CONNECTIONS - 50, open);
            assertThat(client.connections()).hasSize(CONNECTIONS);
            int after = threads.getThreadCount();
            long duplexThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("duplex-"))
                    .count();

            // A thread per connection would add 1,950; allow a few for JVM housekeeping.
            assertThat(after).isLessThanOrEqualTo(before + 3);
            assertThat(duplexThreads)
                    .as("duplex-io, duplex-dispatch and duplex-resolver threads")
                    .isLessThanOrEqualTo(IO_THREADS + DispatchExecutors.SHARED_POOL_SIZE + RESOLVER_THREADS);

            List<CompletableFuture<?>> closing = new ArrayList<>();
            for (WebSocket ws : open) {
                closing.add(ws.close());
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(opened.get()).isEqualTo(CONNECTIONS);
            await().atMost(Duration.ofSeconds(30)).until(() -> closed.get() == CONNECTIONS);
        }
    }

    private static void connectAll(
            WebSocketClient client, NodeEchoServer node, WebSocketListener listener, int count, List<WebSocket> into)
            throws Exception {
        // In batches, so the server's accept backlog is never the limit.
        for (int done = 0; done < count; ) {
            int batch = Math.min(200, count - done);
            List<CompletableFuture<WebSocket>> futures = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                futures.add(client.connect(node.uri("/idle"), listener));
            }
            for (CompletableFuture<WebSocket> f : futures) {
                into.add(f.get(60, TimeUnit.SECONDS));
            }
            done += batch;
        }
    }
}
