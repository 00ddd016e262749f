package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.SendOverflowException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound queue against a peer that stops reading, resumes, or vanishes. */
class OutboundQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CHUNK = 64 * 1024;
    private static final long MAX = 1024 * 1024;
    private static EventLoopGroup group;

    private ServerSocket peerServer;
    private Socket peer;

    @BeforeAll
    static void startGroup() {
        group = new EventLoopGroup(TransportOptions.builder().ioThreads(1).build());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownNow().join();
    }

    @BeforeEach
    void listen() throws Exception {
        peerServer = new ServerSocket();
        peerServer.setReceiveBufferSize(8192); // small, so the peer backs up quickly
        peerServer.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @AfterEach
    void closePeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
        peerServer.close();
    }

    @Test
    void failPolicyRefusesSendsPastTheCeilingThenDrainsInOrder() throws Exception {
        RecordingHandler handler = connect(false);
        Connection c = handler.connection;
        List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        SendOverflowException refused = null;
        for (int i = 0; i < 10_000 && refused == null; i++) {
            CompletableFuture<Void> f = c.write(chunk(i));
            if (f.isCompletedExceptionally()) {
                refused = cause(f, SendOverflowException.class);
            } else {
                int index = i;
                f.thenRun(() -> completed.add(index));
                accepted.add(f);
            }
            assertThat(c.bufferedAmount()).isLessThanOrEqualTo(MAX);
        }

        assertThat(refused).isNotNull();
        assertThat(refused)
                .hasMessage("Send of 65536 bytes refused: " + refused.bufferedAmount()
                        + " bytes are already buffered and the maximum is 1048576");
        assertThat(refused.bufferedAmount()).isGreaterThan(MAX - CHUNK).isLessThanOrEqualTo(MAX);
        assertThat(refused.maxBufferedAmount()).isEqualTo(MAX);
        assertThat(handler.overflowCalls).hasValue(0);
        assertThat(c.isOpen()).isTrue();

        // The peer resumes: everything accepted arrives, in order, and nothing refused does.
        byte[] all = peer.getInputStream().readNBytes(accepted.size() * CHUNK);
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(all[i * CHUNK]).isEqualTo((byte) i);
            assertThat(all[i * CHUNK + CHUNK - 1]).isEqualTo((byte) i);
        }
        await().atMost(WAIT).until(() -> c.bufferedAmount() == 0 && completed.size() == accepted.size());
        assertThat(completed)
                .containsExactlyElementsOf(
                        IntStream.range(0, accepted.size()).boxed().toList());
        await().atMost(WAIT).until(() -> handler.writableCalls.get() > 0);
        peer.setSoTimeout(200);
        assertThat(readAvailable(peer.getInputStream())).isZero();
    }

    @Test
    void closePolicyReportsTheOverflowOnce() throws Exception {
        RecordingHandler handler = connect(true);
        Connection c = handler.connection;
        int refusals = 0;
        for (int i = 0; i < 10_000 && refusals < 3; i++) {
            CompletableFuture<Void> f = c.write(chunk(i));
            if (f.isCompletedExceptionally()) {
                assertThat(cause(f, SendOverflowException.class)).isNotNull();
                refusals++;
            }
        }
        assertThat(refusals).isEqualTo(3);
        await().atMost(WAIT).until(() -> handler.overflowCalls.get() == 1);
        assertThat(c.bufferedAmount()).isLessThanOrEqualTo(MAX);
    }

    @Test
    void failsPendingWritesWhenThePeerVanishes() throws Exception {
        RecordingHandler handler = connect(false);
        Connection c = handler.connection;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pending.add(c.write(chunk(i)));
        }
        loopBarrier(c); // the loop has written what the socket takes and is waiting for room
        assertThat(c.bufferedAmount()).isEqualTo(8L * CHUNK);
        peer.setSoLinger(true, 0); // close with RST: the peer is gone, not finishing politely
        peer.close();

        Throwable cause = handler.closed.get(30, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(java.io.IOException.class);
        CompletableFuture<Void> last = pending.get(pending.size() - 1);
        assertThat(last).isCompletedExceptionally();
        assertThat(cause(last, ChannelClosedException.class))
                .hasMessage("connection closed before the data was written")
                .hasCause(cause);
        assertThat(c.bufferedAmount()).isZero();
        assertThat(cause(c.write(chunk(9)), ChannelClosedException.class)).hasMessage("connection is closed");
        assertThat(handler.closedCalls).hasValue(1);
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void priorityWritesGoAheadOfQueuedWritesButNotIntoAStartedOne() throws Exception {
        RecordingHandler handler = connect(false);
        Connection c = handler.connection;
        byte[] big = new byte[(int) MAX / 2];
        Arrays.fill(big, (byte) 'A');
        c.write(ByteBuffer.wrap(big));
        // 'A' is started (the socket took some of it) and stuck behind a peer that does not read.
        loopBarrier(c);
        assertThat(c.bufferedAmount()).isEqualTo(big.length);
        CompletableFuture<Void> queued = new CompletableFuture<>();
        c.eventLoop().execute(() -> {
            c.write(ByteBuffer.wrap("BB".getBytes()));
            c.writePriority(ByteBuffer.wrap("P".getBytes()));
            c.write(ByteBuffer.wrap("CC".getBytes()));
            c.writePriority(ByteBuffer.wrap("Q".getBytes()));
            queued.complete(null);
        });
        queued.get(30, TimeUnit.SECONDS);

        byte[] all = peer.getInputStream().readNBytes(big.length + 6);
        assertThat(new String(all, big.length, 6)).isEqualTo("PQBBCC");
        for (int i = 0; i < big.length; i++) {
            if (all[i] != 'A') {
                throw new AssertionError("byte " + i + " of the started write is " + all[i]);
            }
        }
    }

    @Test
    void priorityWritesLeadWhenNothingHasStarted() throws Exception {
        RecordingHandler handler = connect(false);
        Connection c = handler.connection;
        CompletableFuture<Void> queued = new CompletableFuture<>();
        c.eventLoop().execute(() -> {
            c.write(ByteBuffer.wrap("one".getBytes()));
            c.write(ByteBuffer.wrap("two".getBytes()));
            c.writePriority(ByteBuffer.wrap("P".getBytes()));
            queued.complete(null);
        });
        queued.get(30, TimeUnit.SECONDS);
        assertThat(new String(peer.getInputStream().readNBytes(7))).isEqualTo("Ponetwo");
    }

    @Test
    void countsOnlyTheStatedPayloadBytes() throws Exception {
        RecordingHandler handler = connect(false);
        Connection c = handler.connection;
        CompletableFuture<Void> done =
                c.write(3, ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x03}), ByteBuffer.wrap("abc".getBytes()));
        done.get(30, TimeUnit.SECONDS);
        assertThat(peer.getInputStream().readNBytes(5)).containsExactly(0x81, 0x03, 'a', 'b', 'c');
        assertThat(c.bufferedAmount()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private RecordingHandler connect(boolean closeOnOverflow) throws Exception {
        ConnectionOptions options = ConnectionOptions.builder()
                .sendBufferSize(8192)
                .maxBufferedAmount(MAX)
                .closeOnOverflow(closeOnOverflow)
                .build();
        CompletableFuture<RecordingHandler> handler = new CompletableFuture<>();
        group.connect(new InetSocketAddress("127.0.0.1", peerServer.getLocalPort()), options, null, c -> {
                    RecordingHandler h = new RecordingHandler(c, false);
                    handler.complete(h);
                    return h;
                })
                .get(30, TimeUnit.SECONDS);
        peer = peerServer.accept();
        peer.setSoTimeout(30_000);
        return handler.get();
    }

    /** Returns once the loop has run everything handed to it so far (the flush included). */
    private static void loopBarrier(Connection c) throws Exception {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        c.eventLoop().execute(() -> barrier.complete(null));
        barrier.get(30, TimeUnit.SECONDS);
    }

    private static ByteBuffer chunk(int index) {
        byte[] bytes = new byte[CHUNK];
        Arrays.fill(bytes, (byte) index);
        return ByteBuffer.wrap(bytes);
    }

    private static <T extends Throwable> T cause(CompletableFuture<?> future, Class<T> type) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(type);
            return type.cast(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the future succeeded");
    }

    private static int readAvailable(InputStream in) throws Exception {
        try {
            return in.read(new byte[1]) < 0 ? 0 : 1;
        } catch (java.net.SocketTimeoutException e) {
            return 0;
        }
    }
}
