package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opening and closing: EOF, graceful close, abort, handler failures, limits, back-pressure. */
class LifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new EventLoopGroup(TransportOptions.builder().ioThreads(2).build());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownNow().join();
    }

    @Test
    void reportsThePeersCloseAsEofOnce() throws Exception {
        try (ServerSocket peerServer = listen()) {
            RecordingHandler handler = connect(peerServer.getLocalPort());
            try (Socket peer = peerServer.accept()) {
                peer.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(handler.closed.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(EOFException.class)
                    .hasMessage("connection closed by the peer");
            assertThat(new String(handler.received(), StandardCharsets.US_ASCII))
                    .isEqualTo("bye");
            handler.connection.close();
            handler.connection.abort();
            assertThat(handler.closedCalls).hasValue(1);
        }
    }

    @Test
    void gracefulCloseWritesEverythingQueuedThenFin() throws Exception {
        try (ServerSocket peerServer = listen()) {
            RecordingHandler handler = connect(peerServer.getLocalPort());
            try (Socket peer = peerServer.accept()) {
                peer.setSoTimeout(30_000);
                byte[] payload = EchoTest.randomBytes(2 * 1024 * 1024);
                CompletableFuture<Void> written = handler.connection.write(ByteBuffer.wrap(payload));
                handler.connection.close();
                assertThat(handler.connection.isOpen()).isFalse();
                InputStream in = peer.getInputStream();
                assertThat(in.readNBytes(payload.length)).isEqualTo(payload);
                assertThat(in.read()).isEqualTo(-1);
                written.get(30, TimeUnit.SECONDS);
                assertThat(handler.closed.get(30, TimeUnit.SECONDS)).isNull();
            }
        }
    }

    @Test
    void abortFailsQueuedWritesAndReportsNoCause() throws Exception {
        try (ServerSocket peerServer = listen()) {
            RecordingHandler handler = connect(peerServer.getLocalPort());
            try (Socket peer = peerServer.accept()) {
                CompletableFuture<Void> big = handler.connection.write(ByteBuffer.wrap(new byte[8 * 1024 * 1024]));
                handler.connection.abort();
                assertThat(handler.closed.get(30, TimeUnit.SECONDS)).isNull();
                assertThat(big).isCompletedExceptionally();
                assertThat(handler.connection.bufferedAmount()).isZero();
                assertThat(handler.closedCalls).hasValue(1);
            }
        }
    }

    @Test
    void aHandlerThatThrowsClosesItsConnection() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();
        try (Acceptor acceptor = bind(AcceptorOptions.defaults(), c -> new ConnectionHandler() {
                    @Override
                    public void onRead(ByteBuffer data) {
                        throw boom;
                    }

                    @Override
                    public void onClosed(@Nullable Throwable cause) {
                        closed.complete(cause);
                    }
                });
                Socket peer = new Socket("127.0.0.1", acceptor.port())) {
            peer.getOutputStream().write(1);
            assertThat(closed.get(30, TimeUnit.SECONDS)).isSameAs(boom);
            peer.setSoTimeout(30_000);
            assertThat(peer.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void handsConnectionsPastTheLimitToRejected() throws Exception {
        AcceptorOptions limit = AcceptorOptions.builder().maxConnections(2).build();
        AcceptHandler handler = new AcceptHandler() {
            @Override
            public ConnectionHandler accepted(Connection connection) {
                return new RecordingHandler(connection, true);
            }

            @Override
            public ConnectionHandler rejected(Connection connection) {
                connection.write(ByteBuffer.wrap("busy".getBytes(StandardCharsets.US_ASCII)));
                connection.close();
                return new RecordingHandler(connection, false);
            }
        };
        try (Acceptor acceptor = group.bind(
                        new InetSocketAddress("127.0.0.1", 0), limit, ConnectionOptions.defaults(), null, handler);
                Socket first = open(acceptor);
                Socket second = open(acceptor)) {
            assertThat(echo(first, 'a')).isEqualTo('a');
            assertThat(echo(second, 'b')).isEqualTo('b');
            try (Socket third = open(acceptor)) {
                assertThat(third.getInputStream().readAllBytes())
                        .asString(StandardCharsets.US_ASCII)
                        .isEqualTo("busy");
            }
            assertThat(acceptor.openConnections()).isEqualTo(2);
            first.close();
            await().atMost(WAIT).until(() -> acceptor.openConnections() == 1);
            try (Socket fourth = open(acceptor)) {
                assertThat(echo(fourth, 'c')).isEqualTo('c');
            }
        }
    }

    @Test
    void reportsTheRealPortOfPortZero() throws Exception {
        try (Acceptor acceptor = bind(AcceptorOptions.defaults(), c -> new RecordingHandler(c, true))) {
            assertThat(acceptor.port()).isPositive();
            assertThat(acceptor.localAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(acceptor.isOpen()).isTrue();
            acceptor.close();
            acceptor.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(acceptor.isOpen()).isFalse();
        }
    }

    @Test
    void suspendedReadsResumeWithTheBytesLeft() throws Exception {
        StringBuilder seen = new StringBuilder();
        CompletableFuture<Connection> server = new CompletableFuture<>();
        try (Acceptor acceptor = bind(AcceptorOptions.defaults(), c -> {
                    server.complete(c);
                    return new ConnectionHandler() {
                        @Override
                        public void onRead(ByteBuffer data) {
                            // Takes one byte, then pauses until resumed.
                            synchronized (seen) {
                                seen.append((char) data.get());
                            }
                            c.suspendReads();
                        }

                        @Override
                        public void onClosed(@Nullable Throwable cause) {}
                    };
                });
                Socket peer = new Socket("127.0.0.1", acceptor.port())) {
            peer.getOutputStream().write("xyz".getBytes(StandardCharsets.US_ASCII));
            Connection c = server.get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> snapshot(seen).equals("x"));
            c.resumeReads();
            await().atMost(WAIT).until(() -> snapshot(seen).equals("xy"));
            c.resumeReads();
            await().atMost(WAIT).until(() -> snapshot(seen).equals("xyz"));
        }
    }

    @Test
    void gracefulGroupShutdownFlushesAndClosesEveryConnection() throws Exception {
        EventLoopGroup own =
                new EventLoopGroup(TransportOptions.builder().ioThreads(2).build());
        try (ServerSocket peerServer = listen()) {
            CompletableFuture<RecordingHandler> h = new CompletableFuture<>();
            own.connect(
                            new InetSocketAddress("127.0.0.1", peerServer.getLocalPort()),
                            ConnectionOptions.defaults(),
                            null,
                            c -> {
                                RecordingHandler r = new RecordingHandler(c, false);
                                h.complete(r);
                                return r;
                            })
                    .get(30, TimeUnit.SECONDS);
            RecordingHandler handler = h.get();
            try (Socket peer = peerServer.accept()) {
                peer.setSoTimeout(30_000);
                handler.connection.write(ByteBuffer.wrap("last words".getBytes(StandardCharsets.US_ASCII)));
                own.shutdownGracefully(Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
                assertThat(peer.getInputStream().readAllBytes())
                        .asString(StandardCharsets.US_ASCII)
                        .isEqualTo("last words");
                assertThat(handler.closed.get(30, TimeUnit.SECONDS)).isNull();
                assertThat(handler.closedCalls).hasValue(1);
            }
        } finally {
            own.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String snapshot(StringBuilder sb) {
        synchronized (sb) {
            return sb.toString();
        }
    }

    private static ServerSocket listen() throws Exception {
        return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    private static Acceptor bind(AcceptorOptions options, AcceptHandler handler) throws Exception {
        return group.bind(new InetSocketAddress("127.0.0.1", 0), options, ConnectionOptions.defaults(), null, handler);
    }

    private static Socket open(Acceptor acceptor) throws Exception {
        Socket s = new Socket("127.0.0.1", acceptor.port());
        s.setSoTimeout(30_000);
        return s;
    }

    private static int echo(Socket s, char c) throws Exception {
        s.getOutputStream().write(c);
        return s.getInputStream().read();
    }

    private static RecordingHandler connect(int port) throws Exception {
        CompletableFuture<RecordingHandler> handler = new CompletableFuture<>();
        group.connect(new InetSocketAddress("127.0.0.1", port), ConnectionOptions.defaults(), null, c -> {
                    RecordingHandler h = new RecordingHandler(c, false);
                    handler.complete(h);
                    return h;
                })
                .get(30, TimeUnit.SECONDS);
        return handler.get();
    }
}
