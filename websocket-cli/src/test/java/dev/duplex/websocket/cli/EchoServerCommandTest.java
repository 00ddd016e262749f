package dev.duplex.websocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** {@code echo-server} run in-process on port 0, talked to by the node {@code ws} client and by Duplex's client. */
class EchoServerCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (wss?)://127\\.0\\.0\\.1:(\\d+)(/\\S*)");

    /** A running command and the lines it printed. */
    private static final class Running implements AutoCloseable {
        final EchoServerCommand command = new EchoServerCommand();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> status;

        Running(String... args) {
            PrintStream out = new PrintStream(new LineSink(lines), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(OutputStream.nullOutputStream());
            status = CompletableFuture.supplyAsync(() -> {
                try {
                    return command.run(List.of(args), new ByteArrayInputStream(new byte[0]), out, err);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("a line within 60 s").isNotNull();
            return line;
        }

        @Override
        public void close() {
            command.stop();
        }
    }

    /** Splits what is printed into lines. */
    private static final class LineSink extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    @Test
    void echoesToTheNodeClientAndStopsWith1001() throws Exception {
        try (Running server = new Running("--port", "0", "--path", "/e")) {
            Matcher m = LISTENING.matcher(server.nextLine());
            assertThat(m.matches()).isTrue();
            assertThat(m.group(1)).isEqualTo("ws");
            assertThat(m.group(3)).isEqualTo("/e");
            String url = "ws://127.0.0.1:" + m.group(2) + "/e";

            Process client =
                    node(url, "text:hello", "recv", "binary:3", "recv", "fragments:2:abcd", "recv", "wait-close");
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertThat(readLine(lines)).isEqualTo("{\"event\":\"open\",\"protocol\":\"\"}");
            assertThat(readLine(lines)).isEqualTo("{\"event\":\"text\",\"data\":\"hello\"}");
            assertThat(readLine(lines))
                    .isEqualTo(
                            "{\"event\":\"binary\",\"length\":3,\"sha256\":\"" + sha256(new byte[] {0, 1, 2}) + "\"}");
            assertThat(readLine(lines)).isEqualTo("{\"event\":\"text\",\"data\":\"abcd\"}");

            server.command.stop();

            assertThat(readLine(lines)).isEqualTo("{\"event\":\"close\",\"code\":1001,\"reason\":\"Server stopping\"}");
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).isZero();
            assertThat(server.nextLine()).isEqualTo("stopped");
            assertThat(server.status.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void servesTlsWithAFreshCertificateWhoseFingerprintItPrints() throws Exception {
        try (Running server = new Running("--port", "0", "--tls")) {
            String fingerprintLine = server.nextLine();
            assertThat(fingerprintLine).matches("certificate SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
            String fingerprint = fingerprintLine.substring("certificate SHA-256 ".length());
            Matcher m = LISTENING.matcher(server.nextLine());
            assertThat(m.matches()).isTrue();
            assertThat(m.group(1)).isEqualTo("wss");
            assertThat(m.group(3)).isEqualTo("/echo");

            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (WebSocketClient client = WebSocketClient.builder()
                    .ioThreads(1)
                    .sslContext(pinning(fingerprint))
                    .build()) {
                WebSocket ws = client.connect(
                                URI.create("wss://127.0.0.1:" + m.group(2) + "/echo"), new WebSocketListener() {
                                    @Override
                                    public void onText(WebSocket webSocket, String text) {
                                        events.add("text " + text);
                                    }

                                    @Override
                                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                                        events.add("binary " + data.remaining());
                                    }

                                    @Override
                                    public void onClose(
                                            WebSocket webSocket, int code, String reason, boolean wasClean) {
                                        events.add("close " + code + " " + wasClean);
                                    }
                                })
                        .get(20, TimeUnit.SECONDS);
                ws.sendText("secure");
                ws.sendBinary(new byte[70_000]);
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("text secure");
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("binary 70000");

                server.command.stop();

                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("close 1001 true");
            }
            assertThat(server.nextLine()).isEqualTo("stopped");
            assertThat(server.status.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void refusesABadPortWithUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(
                new String[] {"echo-server", "--port", "eighty"},
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("error: '--port' must be a number in [0, 65535], was eighty")
                .contains("echo-server [--host H] [--port P] [--path /echo] [--tls]");
    }

    /** Starts test-peers/node/client.js with these steps. */
    private static Process node(String url, String... steps) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("test-peers/node/node_modules/ws"))
                .as("run 'npm ci' in test-peers/node first")
                .exists();
        List<String> command = new ArrayList<>(
                List.of("node", root.resolve("test-peers/node/client.js").toString(), url));
        command.addAll(List.of(steps));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().close();
        return p;
    }

    /** The next line, waiting at most 30 seconds. */
    private static String readLine(BufferedReader in) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.readLine();
                    } catch (IOException e) {
                        return "read failed: " + e;
                    }
                })
                .get(30, TimeUnit.SECONDS);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A client context that trusts exactly the certificate with this SHA-256 fingerprint. */
    private static SSLContext pinning(String fingerprint) throws Exception {
        X509ExtendedTrustManager pin = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    String actual = HexFormat.ofDelimiter(":")
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()))
                            .toUpperCase(Locale.ROOT);
                    if (!actual.equals(fingerprint)) {
                        throw new CertificateException("fingerprint " + actual + " is not " + fingerprint);
                    }
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new CertificateException(e);
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {pin}, null);
        return context;
    }
}
