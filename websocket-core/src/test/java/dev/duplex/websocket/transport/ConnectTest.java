package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How connects fail: refused, timed out, a TLS handshake that never ends or is not trusted. */
class ConnectTest {

    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new EventLoopGroup(TransportOptions.builder().ioThreads(1).build());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownNow().join();
    }

    @Test
    void reportsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        CompletableFuture<Connection> future = group.connect(
                new InetSocketAddress("127.0.0.1", port), ConnectionOptions.defaults(), null, NeverCalled::new);
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ConnectException.class)
                .hasMessage("could not connect to 127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void timesOutATlsHandshakeThePeerNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ConnectionOptions options = ConnectionOptions.builder()
                    .connectTimeout(Duration.ofMillis(300))
                    .build();
            CompletableFuture<Connection> future = group.connect(
                    new InetSocketAddress("127.0.0.1", silent.getLocalPort()),
                    options,
                    TlsOptions.of(TestTls.clientContext()),
                    NeverCalled::new);
            try (Socket accepted = silent.accept()) {
                assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessage(
                                "TLS handshake with 127.0.0.1:" + silent.getLocalPort() + " timed out after 300 ms");
            }
        }
    }

    @Test
    void timesOutATcpConnectThatHangs() throws Exception {
        // A listener that never accepts, with its backlog full: the kernel drops further SYNs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", full.getLocalPort());
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean hangs = false;
                for (int i = 0; i < 8 && !hangs; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(address, 200);
                    } catch (SocketTimeoutException e) {
                        hangs = true;
                    }
                }
                Assumptions.assumeTrue(hangs, "this kernel does not leave connects to a full backlog hanging");
                ConnectionOptions options = ConnectionOptions.builder()
                        .connectTimeout(Duration.ofMillis(250))
                        .build();
                CompletableFuture<Connection> future = group.connect(address, options, null, NeverCalled::new);
                assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessage("connect to 127.0.0.1:" + full.getLocalPort() + " timed out after 250 ms");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void refusesAnUntrustedServerCertificate() throws Exception {
        try (Acceptor acceptor = group.bind(
                new InetSocketAddress("127.0.0.1", 0),
                AcceptorOptions.defaults(),
                ConnectionOptions.defaults(),
                TlsOptions.of(TestTls.serverContext()),
                c -> new RecordingHandler(c, true))) {
            javax.net.ssl.SSLContext trustsNothing = javax.net.ssl.SSLContext.getInstance("TLS");
            trustsNothing.init(null, new javax.net.ssl.TrustManager[] {new RejectingTrustManager()}, null);
            CompletableFuture<Connection> future = group.connect(
                    new InetSocketAddress("127.0.0.1", acceptor.port()),
                    ConnectionOptions.defaults(),
                    TlsOptions.of(trustsNothing),
                    NeverCalled::new);
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void verifiesTheHostName() throws Exception {
        // The certificate names localhost, 127.0.0.1 and ::1, but not 127.0.0.2.
        try (Acceptor acceptor = group.bind(
                new InetSocketAddress("127.0.0.1", 0),
                AcceptorOptions.defaults(),
                ConnectionOptions.defaults(),
                TlsOptions.of(TestTls.serverContext()),
                c -> new RecordingHandler(c, true))) {
            InetSocketAddress wrongName = new InetSocketAddress(
                    InetAddress.getByAddress("127.0.0.2", new byte[] {127, 0, 0, 1}), acceptor.port());
            CompletableFuture<Connection> future = group.connect(
                    wrongName, ConnectionOptions.defaults(), TlsOptions.of(TestTls.clientContext()), NeverCalled::new);
            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(SSLHandshakeException.class);

            Connection ok = group.connect(
                            wrongName,
                            ConnectionOptions.defaults(),
                            TlsOptions.of(TestTls.clientContext()).withHostnameVerification(false),
                            c -> new RecordingHandler(c, false))
                    .get(30, TimeUnit.SECONDS);
            assertThat(ok.sslSession().getProtocol()).startsWith("TLS");
            ok.abort();
        }
    }

    /** A handler factory for connects that must fail. */
    static final class NeverCalled implements ConnectionHandler {
        NeverCalled(Connection c) {
            throw new AssertionError("the connection opened");
        }

        @Override
        public void onRead(java.nio.ByteBuffer data) {}

        @Override
        public void onClosed(@Nullable Throwable cause) {}
    }

    static final class RejectingTrustManager implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not trusted");
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not trusted");
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
