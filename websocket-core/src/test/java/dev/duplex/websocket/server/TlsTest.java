package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss}: the server with an {@link SSLContext}, against the JDK client trusting its certificate. */
class TlsTest {

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
    private KeyStore keyStore() throws Exception {
        Path file = dir.resolve("server.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        "secret",
                        "-keypass",
                        "secret")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, "secret".toCharArray());
        }
        return ks;
    }

    @Test
    void servesWssToTheJdkClient() throws Exception {
        KeyStore ks = keyStore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(serverContext)
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start()) {
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(clientContext)
                    .sslParameters(new SSLParameters())
                    .build();
            JdkClientTest.Collector collector = new JdkClientTest.Collector();
            java.net.http.WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/echo"), collector)
                    .get(10, TimeUnit.SECONDS);

            ws.sendText("secret hello", true).get(5, TimeUnit.SECONDS);
            assertThat(collector.next()).isEqualTo("secret hello");
            ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
            assertThat(collector.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }
}
