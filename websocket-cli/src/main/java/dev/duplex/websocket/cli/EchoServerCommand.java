package dev.duplex.websocket.cli;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.WebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * {@code echo-server [--host H] [--port P] [--path /echo] [--tls]}: serves one endpoint that sends
 * back every message with its type (text as text, binary as binary), until stopped. Port 0 picks a
 * free port; the first line printed is the URL it listens on. With {@code --tls}, a self-signed
 * certificate for {@code localhost}, 127.0.0.1 and ::1 is made at start with the JDK's {@code
 * keytool} in a temporary keystore (deleted at once), and its SHA-256 fingerprint is printed so
 * that a client can pin it. Browsers from any origin may connect: it is an echo.
 *
 * <p>Ctrl-C or SIGTERM (a shutdown hook) stops it gracefully: every client gets 1001 (going away)
 * and its closing handshake; then it prints {@code stopped} and the JVM exits with the signal's
 * status (130 for Ctrl-C). {@link #stop()} does the same in-process, and {@code run} returns 0.
 */
final class EchoServerCommand implements Command {

    /** Default port: 8080. */
    static final int DEFAULT_PORT = 8080;
    /** Default path: {@code /echo}. */
    static final String DEFAULT_PATH = "/echo";
    /** Default host: loopback only; {@code --host 0.0.0.0} serves every interface. */
    static final String DEFAULT_HOST = "127.0.0.1";

    private static final String KEYSTORE_PASSWORD = "duplex-echo";

    /** Counted down to stop the current run; replaced by each run. */
    private volatile CountDownLatch stopRequested = new CountDownLatch(1);

    /** Asks a running {@link #run} to stop gracefully, as Ctrl-C does. */
    void stop() {
        stopRequested.countDown();
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String path = DEFAULT_PATH;
        boolean tls = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--host" -> host = value(args, ++i, a);
                case "--port" -> port = port(value(args, ++i, a));
                case "--path" -> path = value(args, ++i, a);
                case "--tls" -> tls = true;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host(host)
                .port(port)
                .allowedOrigins("*")
                .endpoint(path, new Echo());
        if (tls) {
            SelfSigned cert = SelfSigned.create();
            builder.tls(cert.context());
            out.println("certificate SHA-256 " + cert.fingerprint());
        }
        CountDownLatch stopSignal = new CountDownLatch(1);
        stopRequested = stopSignal;
        WebSocketServer server = builder.build().start();
        String scheme = tls ? "wss" : "ws";
        out.println("listening on " + scheme + "://" + hostInUrl(host) + ":" + server.port() + path);
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop();
                    try {
                        stopped.await(30, TimeUnit.SECONDS); // the JVM exits when the hook returns
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "echo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopSignal.await();
            server.stop();
            out.println("stopped");
            out.flush();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running.
            }
        }
        return 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'--port' must be a number in [0, 65535], was " + value);
        }
    }

    private static String hostInUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Sends back every message with its type. */
    private static final class Echo extends DuplexEndpoint {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            webSocket.sendBinary(copy);
        }
    }

    /** A self-signed certificate made with keytool, and its fingerprint. */
    private record SelfSigned(SSLContext context, String fingerprint) {

        static SelfSigned create() throws IOException, InterruptedException, GeneralSecurityException {
            Path dir = Files.createTempDirectory("duplex-echo-server");
            Path file = dir.resolve("echo.p12");
            try {
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "echo",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                        "-validity",
                        "30",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        KEYSTORE_PASSWORD,
                        "-keypass",
                        KEYSTORE_PASSWORD));
                Process keytool =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IOException("keytool failed: " + output.strip());
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, KEYSTORE_PASSWORD.toCharArray());
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, KEYSTORE_PASSWORD.toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return new SelfSigned(context, fingerprint(ks.getCertificate("echo")));
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        }

        /** SHA-256 of the DER certificate as colon-separated upper-case hex, as keytool prints it. */
        static String fingerprint(@Nullable Certificate certificate) throws GeneralSecurityException {
            if (certificate == null) {
                throw new GeneralSecurityException("keytool made no certificate");
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        }
    }
}
