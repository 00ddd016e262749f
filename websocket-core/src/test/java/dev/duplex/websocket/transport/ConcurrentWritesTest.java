package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads writing at once: every write arrives whole, and each thread's in its order. */
class ConcurrentWritesTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 2_000;
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new EventLoopGroup(TransportOptions.builder().ioThreads(2).build());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownNow().join();
    }

    @ParameterizedTest
    @EnumSource(EchoTest.Mode.class)
    void writesFromManyThreadsArriveWholeAndInOrder(EchoTest.Mode mode) throws Exception {
        boolean tls = mode == EchoTest.Mode.TLS;
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket peerServer = tls
                ? TestTls.serverContext().getServerSocketFactory().createServerSocket(0, 50, loopback)
                : new ServerSocket(0, 50, loopback)) {
            CompletableFuture<int[]> checked = CompletableFuture.supplyAsync(() -> readRecords(peerServer));
            Connection c = group.connect(
                            new InetSocketAddress("127.0.0.1", peerServer.getLocalPort()),
                            ConnectionOptions.defaults(),
                            tls ? TlsOptions.of(TestTls.clientContext()) : null,
                            conn -> new RecordingHandler(conn, false))
                    .get(30, TimeUnit.SECONDS);
            ExecutorService writers = Executors.newFixedThreadPool(THREADS);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<java.util.concurrent.Future<List<CompletableFuture<Void>>>> perThread = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    perThread.add(writers.submit(() -> {
                        start.await();
                        List<CompletableFuture<Void>> mine = new ArrayList<>();
                        for (int seq = 0; seq < PER_THREAD; seq++) {
                            mine.add(c.write(record(thread, seq)));
                        }
                        return mine;
                    }));
                }
                start.countDown();
                for (var f : perThread) {
                    futures.addAll(f.get(30, TimeUnit.SECONDS));
                }
            } finally {
                writers.shutdown();
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                    .get(30, TimeUnit.SECONDS);
            c.close();
            int[] counts = checked.get(30, TimeUnit.SECONDS);
            for (int t = 0; t < THREADS; t++) {
                assertThat(counts[t]).as("records of thread %d", t).isEqualTo(PER_THREAD);
            }
        }
    }

    /** A record: thread id, sequence number, a body whose length and bytes derive from both. */
    private static ByteBuffer record(int thread, int seq) {
        int bodyLength = (seq * 7 + thread) % 300;
        ByteBuffer header = ByteBuffer.allocate(12)
                .putInt(thread)
                .putInt(seq)
                .putInt(bodyLength)
                .flip();
        byte[] body = new byte[bodyLength];
        java.util.Arrays.fill(body, (byte) (thread ^ seq));
        return ByteBuffer.allocate(12 + bodyLength).put(header).put(body).flip();
    }

    /** Reads records until EOF; per thread, how many arrived in order and intact. */
    private static int[] readRecords(ServerSocket server) {
        int[] next = new int[THREADS];
        try (Socket s = server.accept()) {
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            s.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            while (true) {
                int thread;
                try {
                    thread = in.readInt();
                } catch (java.io.EOFException e) {
                    return next;
                }
                int seq = in.readInt();
                int length = in.readInt();
                if (seq != next[thread] || length != (seq * 7 + thread) % 300) {
                    throw new AssertionError("thread " + thread + ": got record " + seq + " of length " + length
                            + ", expected record " + next[thread]);
                }
                byte[] body = in.readNBytes(length);
                for (byte b : body) {
                    if (b != (byte) (thread ^ seq)) {
                        throw new AssertionError("record " + seq + " of thread " + thread + " is torn");
                    }
                }
                next[thread]++;
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
