package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.RecordingListener.Close;
import dev.duplex.websocket.client.RecordingListener.Error;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wss} against node {@code ws} serving a certificate that names {@code localhost} only:
 * hostname verification accepts that name and rejects {@code 127.0.0.1}, directly and through an
 * HTTP {@code CONNECT} proxy, where TLS starts inside the tunnel.
 */
class TlsClientTest {

    @TempDir
    static Path tmp;

    private static Path keyStore;
    private static NodeEchoServer server;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        keyStore = TestCertificates.keyStore(tmp.resolve("localhost-only.p12"), "dns:localhost");
        server = NodeEchoServer.start("--tls", keyStore.toString(), TestCertificates.PASSWORD);
        client = WebSocketClient.builder()
                .sslContext(TestCertificates.trusting(keyStore))
                .ioThreads(1)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static URI uri(String host) {
        return URI.create("wss://" + host + ":" + server.port() + "/tls");
    }

    private static void echoOnce(WebSocket ws, RecordingListener listener, String text) throws Exception {
        ws.sendText(text);
        assertThat(listener.nextText()).isEqualTo(text);
        ws.close().get(20, TimeUnit.SECONDS);
        assertThat(listener.awaitClose()).isEqualTo(new Close(1000, "", true));
        listener.assertExhausted();
    }

    private static Throwable failedConnect(WebSocketClient c, URI uri, RecordingListener listener)
            throws InterruptedException {
        CompletableFuture<WebSocket> future = c.connect(uri, listener);
        Throwable failure = assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .actual()
                .getCause();
        assertThat(listener.next(Error.class).error()).isSameAs(failure);
        assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
        listener.assertExhausted();
        return failure;
    }

    @Test
    void acceptsTheNameTheCertificateNames() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = client.connect(uri("localhost"), listener).get(20, TimeUnit.SECONDS);
        listener.awaitOpen();
        echoOnce(ws, listener, "named");
    }

    @Test
    void rejectsAnAddressTheCertificateDoesNotName() throws Exception {
        Throwable failure = failedConnect(client, uri("127.0.0.1"), new RecordingListener());
        assertThat(failure)
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1 found");
    }

    @Test
    void withoutHostnameVerificationATrustedCertificateIsEnoughForAnyName() throws Exception {
        try (WebSocketClient lenient = WebSocketClient.builder()
                .sslContext(TestCertificates.trusting(keyStore))
                .hostnameVerification(false)
                .ioThreads(1)
                .build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = lenient.connect(uri("127.0.0.1"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            echoOnce(ws, listener, "unverified name");
        }
    }

    @Test
    void wssThroughAConnectProxyStartsTlsInsideTheTunnel() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start();
                WebSocketClient proxied = WebSocketClient.builder()
                        .sslContext(TestCertificates.trusting(keyStore))
                        .proxy(proxy.address())
                        .ioThreads(1)
                        .build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = proxied.connect(uri("localhost"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(ws.handshakeHeaders()).containsKey("Sec-WebSocket-Accept");
            byte[] big = new byte[1 << 20];
            big[big.length - 1] = 7;
            ws.sendBinary(big);
            assertThat(listener.next(RecordingListener.Binary.class).bytes()).isEqualTo(big);
            echoOnce(ws, listener, "tunnelled");
            assertThat(proxy.requestLines()).containsExactly("CONNECT localhost:" + server.port() + " HTTP/1.1");
        }
    }

    @Test
    void throughAProxyTheCertificateIsCheckedAgainstTheTargetNotTheProxy() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start();
                WebSocketClient proxied = WebSocketClient.builder()
                        .sslContext(TestCertificates.trusting(keyStore))
                        .proxy(proxy.address())
                        .ioThreads(1)
                        .build()) {
            Throwable failure = failedConnect(proxied, uri("127.0.0.1"), new RecordingListener());
            assertThat(failure)
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1 found");
            assertThat(proxy.requestLines()).containsExactly("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1");
        }
    }

    @Test
    void plainBytesFromTheProxyBeforeTlsFailTheConnect() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start("junk".getBytes(StandardCharsets.US_ASCII));
                WebSocketClient proxied = WebSocketClient.builder()
                        .sslContext(TestCertificates.trusting(keyStore))
                        .proxy(proxy.address())
                        .ioThreads(1)
                        .build()) {
            Throwable failure = failedConnect(proxied, uri("localhost"), new RecordingListener());
            assertThat(failure)
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage("The proxy sent 4 bytes after its 200 response, before the TLS handshake");
        }
    }
}
