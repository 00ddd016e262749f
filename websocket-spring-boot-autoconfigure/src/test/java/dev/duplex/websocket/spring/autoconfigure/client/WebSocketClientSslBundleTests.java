package dev.duplex.websocket.spring.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code duplex.websocket.client.ssl.bundle} against a standalone {@code wss} server whose
 * self-signed EC certificate (for 127.0.0.1) keytool makes in a temporary folder: the bundle's
 * trust store makes the client trust it, and the bundle's protocol and cipher options reach the
 * TLS engine.
 */
class WebSocketClientSslBundleTests {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static WebSocketServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SslAutoConfiguration.class, WebSocketClientAutoConfiguration.class))
            .withPropertyValues(
                    "duplex.websocket.client.io-threads=1",
                    "spring.ssl.bundle.jks.peer.truststore.location=file:" + dir.resolve("trust.p12"),
                    "spring.ssl.bundle.jks.peer.truststore.password=" + PASSWORD,
                    "spring.ssl.bundle.jks.peer.truststore.type=PKCS12");

    @BeforeAll
    static void startServer() throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                dir.resolve("server.p12").toString(),
                "-storepass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "server",
                "-keystore",
                dir.resolve("server.p12").toString(),
                "-storepass",
                PASSWORD,
                "-file",
                dir.resolve("server.crt").toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "server",
                "-file",
                dir.resolve("server.crt").toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                dir.resolve("trust.p12").toString(),
                "-storepass",
                PASSWORD);
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .tls(serverContext(dir.resolve("server.p12")))
                .endpoint("/echo", new DuplexEndpoint() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }
                })
                .build()
                .start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectsWithWssTrustingTheBundle() {
        runner.withPropertyValues("duplex.websocket.client.ssl.bundle=peer").run(ctx -> {
            Texts texts = new Texts();
            WebSocket ws =
                    ctx.getBean(WebSocketClient.class).connect(uri(), texts).get(10, TimeUnit.SECONDS);
            ws.sendText("over TLS").get(10, TimeUnit.SECONDS);
            assertThat(texts.queue.poll(10, TimeUnit.SECONDS)).isEqualTo("over TLS");
            ws.close(1000, "").get(10, TimeUnit.SECONDS);
        });
    }

    @Test
    void withoutTheBundleTheSelfSignedServerIsNotTrusted() {
        runner.run(ctx -> {
            CompletableFuture<WebSocket> connect =
                    ctx.getBean(WebSocketClient.class).connect(uri(), new Texts());
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> connect.get(10, TimeUnit.SECONDS))
                    .withCauseInstanceOf(SSLException.class)
                    .havingRootCause()
                    .isInstanceOf(CertPathBuilderException.class);
        });
    }

    @Test
    void theBundleCiphersReachTheEngine() {
        // The server's key is EC: an RSA-only cipher list cannot agree with it, an ECDSA one can.
        // (The server drops the TCP connection on the failed TLS handshake: the client sees the end
        // of the stream rather than an alert.)
        runner.withPropertyValues(
                        "duplex.websocket.client.ssl.bundle=peer",
                        "spring.ssl.bundle.jks.peer.options.enabled-protocols=TLSv1.2",
                        "spring.ssl.bundle.jks.peer.options.ciphers=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .run(ctx -> {
                    CompletableFuture<WebSocket> connect =
                            ctx.getBean(WebSocketClient.class).connect(uri(), new Texts());
                    assertThatExceptionOfType(ExecutionException.class)
                            .isThrownBy(() -> connect.get(10, TimeUnit.SECONDS))
                            .withCauseInstanceOf(IOException.class);
                });
        runner.withPropertyValues(
                        "duplex.websocket.client.ssl.bundle=peer",
                        "spring.ssl.bundle.jks.peer.options.enabled-protocols=TLSv1.2",
                        "spring.ssl.bundle.jks.peer.options.ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .run(ctx -> {
                    WebSocket ws = ctx.getBean(WebSocketClient.class)
                            .connect(uri(), new Texts())
                            .get(10, TimeUnit.SECONDS);
                    ws.close(1000, "").get(10, TimeUnit.SECONDS);
                });
    }

    private static String uri() {
        return "wss://127.0.0.1:" + server.port() + "/echo";
    }

    private static SSLContext serverContext(Path keyStore) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish in 60 s: " + command);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + output);
        }
    }

    static final class Texts implements WebSocketListener {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void onText(WebSocket webSocket, String text) {
            queue.add(text);
        }
    }
}
