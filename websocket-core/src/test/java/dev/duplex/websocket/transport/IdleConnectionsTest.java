package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Many idle connections cost the loop threads and nothing more. */
class IdleConnectionsTest {

    private static final int CONNECTIONS = 2_000;

    @Test
    void twoThousandIdleConnectionsAddNoThreads() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (EventLoopGroup group =
                new EventLoopGroup(TransportOptions.builder().ioThreads(2).build())) {
            AtomicInteger serverSide = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            Acceptor acceptor = group.bind(
                    new InetSocketAddress("127.0.0.1", 0),
                    AcceptorOptions.defaults(),
                    ConnectionOptions.defaults(),
                    null,
                    c -> {
                        serverSide.incrementAndGet();
                        return new Idle(closed);
                    });
            // Warm up: one connection brings up whatever the JDK starts lazily.
            Connection first = group.connect(
                            acceptor.localAddress(), ConnectionOptions.defaults(), null, c -> new Idle(closed))
                    .get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> serverSide.get() == 1);
            int before = threads.getThreadCount();

            List<CompletableFuture<Connection>> clients = new ArrayList<>();
            for (int i = 1; i < CONNECTIONS; i++) {
                clients.add(group.connect(
                        acceptor.localAddress(), ConnectionOptions.defaults(), null, c -> new Idle(closed)));
            }
            for (CompletableFuture<Connection> f : clients) {
                assertThat(f.get(30, TimeUnit.SECONDS).isOpen()).isTrue();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> serverSide.get() == CONNECTIONS);
            assertThat(acceptor.openConnections()).isEqualTo(CONNECTIONS);

            // A little slack for JVM housekeeping threads; a thread per connection would add 3,998.
            assertThat(threads.getThreadCount()).isLessThanOrEqualTo(before + 3);

            first.close();
            for (CompletableFuture<Connection> f : clients) {
                f.join().close();
            }
            // Each close is seen on both ends.
            await().atMost(Duration.ofSeconds(30)).until(() -> closed.get() == 2 * CONNECTIONS);
            await().atMost(Duration.ofSeconds(30)).until(() -> acceptor.openConnections() == 0);
            acceptor.close();
        }
    }

    private static final class Idle implements ConnectionHandler {
        private final AtomicInteger closed;

        Idle(AtomicInteger closed) {
            this.closed = closed;
        }

        @Override
        public void onRead(ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void onClosed(@Nullable Throwable cause) {
            closed.incrementAndGet();
        }
    }
}
