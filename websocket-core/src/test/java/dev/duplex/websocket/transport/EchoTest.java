package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bytes through the transport and back, against blocking JDK sockets on the other side. */
class EchoTest {

    enum Mode {
        PLAIN,
        TLS
    }

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

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverEchoesSingleBytes(Mode mode) throws Exception {
        try (Acceptor acceptor = bindEcho(mode);
                Socket peer = connectPeer(mode, acceptor.port())) {
            OutputStream out = peer.getOutputStream();
            InputStream in = peer.getInputStream();
            for (int i = 0; i < 256; i++) {
                out.write(i);
                out.flush();
                assertThat(in.read()).isEqualTo(i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void serverEchoesMultiMebibytePayload(Mode mode) throws Exception {
        byte[] payload = randomBytes(5 * 1024 * 1024 + 7);
        try (Acceptor acceptor = bindEcho(mode);
                Socket peer = connectPeer(mode, acceptor.port())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = peer.getOutputStream();
                    for (int off = 0; off < payload.length; off += 65536) {
                        out.write(payload, off, Math.min(65536, payload.length - off));
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] echoed = peer.getInputStream().readNBytes(payload.length);
            sent.get(30, TimeUnit.SECONDS);
            assertThat(echoed).isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientGetsEchoFromBlockingPeer(Mode mode) throws Exception {
        byte[] payload = randomBytes(3 * 1024 * 1024 + 3);
        try (ServerSocket peer = listenPeer(mode)) {
            CompletableFuture<Void> echoing = echoOnce(peer);
            RecordingHandler handler = connect(mode, new InetSocketAddress("127.0.0.1", peer.getLocalPort()));
            Connection c = handler.connection;
            assertThat(c.isSecure()).isEqualTo(mode == Mode.TLS);
            // Single bytes first, then large writes split into header-like and payload buffers.
            for (int i = 0; i < 10; i++) {
                c.write(ByteBuffer.wrap(payload, i, 1));
            }
            CompletableFuture<Void> last = null;
            for (int off = 10; off < payload.length; off += 100_000) {
                int len = Math.min(100_000, payload.length - off);
                last = c.write(ByteBuffer.wrap(payload, off, 2), ByteBuffer.wrap(payload, off + 2, len - 2));
            }
            last.get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> handler.receivedCount() == payload.length);
            assertThat(handler.received()).isEqualTo(payload);
            assertThat(handler.readThread).startsWith("duplex-io-");
            assertThat(c.bufferedAmount()).isZero();
            c.close();
            assertThat(handler.closed.get(30, TimeUnit.SECONDS)).isNull();
            echoing.get(30, TimeUnit.SECONDS);
            assertThat(handler.closedCalls).hasValue(1);
        }
    }

    @Test
    void connectsOverIpv6Loopback() throws Exception {
        InetAddress v6;
        try {
            v6 = InetAddress.getByName("::1");
        } catch (Exception e) {
            return;
        }
        ServerSocket peer;
        try {
            peer = new ServerSocket(0, 50, v6);
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        try (peer) {
            CompletableFuture<Void> echoing = echoOnce(peer);
            RecordingHandler handler = connect(Mode.PLAIN, new InetSocketAddress("::1", peer.getLocalPort()));
            handler.connection.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            await().atMost(WAIT).until(() -> handler.receivedCount() == 3);
            assertThat(handler.connection.remoteAddress().getAddress()).isEqualTo(v6);
            assertThat(handler.connection.toString()).contains("-> [0:0:0:0:0:0:0:1]:" + peer.getLocalPort());
            handler.connection.close();
            echoing.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void resolvesHostNamesOffTheLoop() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<Void> echoing = echoOnce(peer);
            RecordingHandler handler =
                    connect(Mode.PLAIN, InetSocketAddress.createUnresolved("localhost", peer.getLocalPort()));
            handler.connection.write(ByteBuffer.wrap(new byte[] {42}));
            await().atMost(WAIT).until(() -> handler.receivedCount() == 1);
            handler.connection.close();
            echoing.get(30, TimeUnit.SECONDS);
        } catch (java.net.UnknownHostException e) {
            org.junit.jupiter.api.Assumptions.abort("localhost does not resolve here");
        }
    }

    @Test
    void keepsBytesTheHandlerLeaves() throws Exception {
        // A handler that consumes whole 3-byte units only, like a decoder waiting for a header.
        ByteArrayCollector collected = new ByteArrayCollector();
        byte[] payload = randomBytes(300_000);
        try (Acceptor acceptor = group.bind(
                        new InetSocketAddress("127.0.0.1", 0),
                        AcceptorOptions.defaults(),
                        ConnectionOptions.defaults(),
                        null,
                        c -> new ConnectionHandler() {
                            @Override
                            public void onRead(ByteBuffer data) {
                                while (data.remaining() >= 3) {
                                    collected.add(data.get(), data.get(), data.get());
                                }
                            }

                            @Override
                            public void onClosed(@Nullable Throwable cause) {}
                        });
                Socket peer = new Socket("127.0.0.1", acceptor.port())) {
            OutputStream out = peer.getOutputStream();
            for (int off = 0; off < payload.length; off += 1000) {
                out.write(payload, off, 1000);
                out.flush();
            }
            await().atMost(WAIT).until(() -> collected.size() == payload.length);
            assertThat(collected.bytes()).isEqualTo(payload);
        }
    }

    // ---------------------------------------------------------------- helpers

    static final class ByteArrayCollector {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        synchronized void add(byte a, byte b, byte c) {
            out.write(a);
            out.write(b);
            out.write(c);
        }

        synchronized int size() {
            return out.size();
        }

        synchronized byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static Acceptor bindEcho(Mode mode) throws Exception {
        return group.bind(
                new InetSocketAddress("127.0.0.1", 0),
                AcceptorOptions.defaults(),
                ConnectionOptions.defaults(),
                mode == Mode.TLS ? TlsOptions.of(TestTls.serverContext()) : null,
                c -> new RecordingHandler(c, true));
    }

    private static Socket connectPeer(Mode mode, int port) throws Exception {
        Socket socket;
        if (mode == Mode.TLS) {
            SSLSocket ssl =
                    (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
            ssl.startHandshake();
            socket = ssl;
        } else {
            socket = new Socket("127.0.0.1", port);
        }
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static ServerSocket listenPeer(Mode mode) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        return mode == Mode.TLS
                ? TestTls.serverContext().getServerSocketFactory().createServerSocket(0, 50, loopback)
                : new ServerSocket(0, 50, loopback);
    }

    /** Accepts one connection and echoes it until the other side closes. */
    static CompletableFuture<Void> echoOnce(ServerSocket server) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[32 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static RecordingHandler connect(Mode mode, InetSocketAddress remote) throws Exception {
        CompletableFuture<RecordingHandler> handler = new CompletableFuture<>();
        group.connect(
                        remote,
                        ConnectionOptions.defaults(),
                        mode == Mode.TLS ? TlsOptions.of(TestTls.clientContext()) : null,
                        c -> {
                            RecordingHandler h = new RecordingHandler(c, false);
                            handler.complete(h);
                            return h;
                        })
                .get(30, TimeUnit.SECONDS);
        return handler.get();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
