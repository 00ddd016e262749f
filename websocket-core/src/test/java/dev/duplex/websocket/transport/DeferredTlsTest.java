package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection that starts plain and switches to TLS on demand, as a tunnel through an HTTP proxy
 * does: the peer here answers one plain line, then runs a TLS echo on the same socket.
 */
class DeferredTlsTest {

    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new EventLoopGroup(TransportOptions.builder().ioThreads(1).build());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownNow().join();
    }

    /** A peer that reads {@code HELLO\n}, answers {@code OK\n} in plain, then echoes over TLS. */
    private static final class PlainThenTlsPeer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final CompletableFuture<String> plainLine = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        PlainThenTlsPeer() throws Exception {
            Thread t = new Thread(this::serve, "plain-then-tls");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            try (Socket s = server.accept()) {
                s.setSoTimeout(20_000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != '\n' && b >= 0) {
                    line.write(b);
                }
                plainLine.complete(line.toString(StandardCharsets.US_ASCII));
                s.getOutputStream().write("OK\n".getBytes(StandardCharsets.US_ASCII));
                try (SSLSocket tls = (SSLSocket)
                        TestTls.serverContext().getSocketFactory().createSocket(s, null, s.getPort(), false)) {
                    tls.setUseClientMode(false);
                    InputStream tin = tls.getInputStream();
                    OutputStream tout = tls.getOutputStream();
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = tin.read(buffer)) > 0) {
                        tout.write(buffer, 0, n);
                        tout.flush();
                    }
                }
                done.complete(null);
            } catch (Exception e) {
                plainLine.completeExceptionally(e);
                done.completeExceptionally(e);
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** Records the bytes read; completes {@link #text} once {@code expected} bytes arrived. */
    private static class Collector implements ConnectionHandler {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();
        volatile CompletableFuture<String> text = new CompletableFuture<>();
        volatile int expected;

        @Override
        public void onRead(ByteBuffer data) {
            while (data.hasRemaining()) {
                bytes.write(data.get());
            }
            if (bytes.size() >= expected) {
                String s = bytes.toString(StandardCharsets.UTF_8);
                bytes.reset();
                text.complete(s);
            }
        }

        @Override
        public void onClosed(@Nullable Throwable cause) {
            closed.complete(cause);
        }

        CompletableFuture<String> expect(int count) {
            expected = count;
            text = new CompletableFuture<>();
            return text;
        }
    }

    /** A connection to {@code peer} whose TLS, once started, is for {@code host}. */
    private static Connection tunnel(PlainThenTlsPeer peer, String host, ConnectionHandler handler) throws Exception {
        return group.connectTunnel(
                        peer.address(),
                        host,
                        443,
                        ConnectionOptions.defaults(),
                        TlsOptions.of(TestTls.clientContext()),
                        conn -> handler)
                .get(20, TimeUnit.SECONDS);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void talksPlainFirstThenTlsOnTheSameSocket() throws Exception {
        try (PlainThenTlsPeer peer = new PlainThenTlsPeer()) {
            Collector collector = new Collector();
            CompletableFuture<String> ok = collector.expect(3);
            Connection c = tunnel(peer, "localhost", collector);
            c.write(ascii("HELLO\n"));
            assertThat(ok.get(20, TimeUnit.SECONDS)).isEqualTo("OK\n");
            assertThat(peer.plainLine.get(20, TimeUnit.SECONDS)).isEqualTo("HELLO");

            CompletableFuture<String> echoed = collector.expect(12);
            CompletableFuture<Void> ready = c.startTls();
            // Queued while the handshake runs: held, then encrypted.
            c.write(ascii("secret bytes"));
            ready.get(20, TimeUnit.SECONDS);
            assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("secret bytes");
            assertThat(c.sslSession().getProtocol()).startsWith("TLS");

            assertThatThrownBy(() -> c.startTls().get(20, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("TLS has already started on " + c);
            c.close();
            assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void holdsAWriteQueuedAfterStartTlsEvenWhileTheLoopIsDeliveringARead() throws Exception {
        // startTls() and a write from another thread while the I/O thread is still inside the read
        // that brought "OK": the flush at the end of that read must not send the write in plain.
        try (PlainThenTlsPeer peer = new PlainThenTlsPeer()) {
            CompletableFuture<Connection> connection = new CompletableFuture<>();
            CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
            Collector collector = new Collector() {
                @Override
                public void onRead(ByteBuffer data) {
                    super.onRead(data);
                    if (!started.isDone()) {
                        started.complete(CompletableFuture.supplyAsync(() -> {
                                    Connection c = connection.join();
                                    CompletableFuture<Void> ready = c.startTls();
                                    c.write(ascii("secret bytes"));
                                    return ready;
                                })
                                .join());
                    }
                }
            };
            collector.expect(3);
            Connection c = tunnel(peer, "localhost", collector);
            connection.complete(c);
            c.write(ascii("HELLO\n"));
            CompletableFuture<Void> ready = started.get(20, TimeUnit.SECONDS);
            CompletableFuture<String> echoed = collector.expect(12);

            ready.get(20, TimeUnit.SECONDS);
            assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("secret bytes");
            assertThat(peer.plainLine.get(20, TimeUnit.SECONDS)).isEqualTo("HELLO");
            c.close();
            assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void checksTheCertificateAgainstTheTunnelledHostName() throws Exception {
        try (PlainThenTlsPeer peer = new PlainThenTlsPeer()) {
            Collector collector = new Collector();
            CompletableFuture<String> ok = collector.expect(3);
            Connection c = tunnel(peer, "wrong.example.test", collector);
            c.write(ascii("HELLO\n"));
            assertThat(ok.get(20, TimeUnit.SECONDS)).isEqualTo("OK\n");
            CompletableFuture<Void> ready = c.startTls();
            assertThat(collector.closed.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("No subject alternative DNS name matching wrong.example.test found");
            assertThatThrownBy(() -> ready.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ChannelClosedException.class);
        }
    }

    @Test
    void aPlainConnectionHasNoTlsToStart() throws Exception {
        try (PlainThenTlsPeer peer = new PlainThenTlsPeer()) {
            Collector collector = new Collector();
            Connection c = group.connect(peer.address(), ConnectionOptions.defaults(), null, conn -> collector)
                    .get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> c.startTls().get(20, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith(" has no deferred TLS to start");
            c.abort();
        }
    }

    @Test
    void refusesABadTunnelPort() {
        assertThatThrownBy(() -> group.connectTunnel(
                        new InetSocketAddress("127.0.0.1", 1),
                        "localhost",
                        0,
                        ConnectionOptions.defaults(),
                        TlsOptions.of(TestTls.clientContext()),
                        conn -> new Collector()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'port' must be in [1, 65535], was 0");
    }
}
