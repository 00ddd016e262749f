package dev.duplex.websocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link Main} in-process against the node {@code ws} echo server and a scripted server. */
class MainTest {

    @TempDir
    static Path tmp;

    private static Process node;
    private static int nodePort;
    private static Process tlsNode;
    private static int tlsNodePort;

    @BeforeAll
    static void startNode() throws Exception {
        node = startNode(List.of());
        nodePort = port(node);
        // A self-signed certificate that names localhost only: untrusted, and wrong for 127.0.0.1.
        Path store = tmp.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        tlsNode = startNode(List.of("--tls", store.toString(), "changeit"));
        tlsNodePort = port(tlsNode);
    }

    private static Process startNode(List<String> args) throws Exception {
        Path dir = Path.of("..", "test-peers", "node").toAbsolutePath().normalize();
        assertThat(dir.resolve("node_modules/ws"))
                .as("run 'npm ci' in %s first", dir)
                .exists();
        List<String> command = new ArrayList<>(List.of("node", "echo-server.js"));
        command.addAll(args);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (Exception e) {
                        return "";
                    }
                })
                .get(20, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("\"port\"\\s*:\\s*(\\d+)").matcher(String.valueOf(line));
        assertThat(m.find()).as("node printed %s", line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @AfterAll
    static void stopNode() throws Exception {
        for (Process p : new Process[] {node, tlsNode}) {
            if (p != null) {
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private record Result(int status, String out, String err) {}

    private static Result run(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int status = CompletableFuture.supplyAsync(() -> Main.run(
                        args,
                        in,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void connectSendsStdinLinesAndPrintsWhatArrives() throws Exception {
        Result r = run(
                "hello\n!headers\n!close 1000 bye\n",
                "connect",
                "--header",
                "X-Demo: yes",
                "ws://127.0.0.1:" + nodePort + "/cli");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("connected to ws://127.0.0.1:" + nodePort + "/cli")
                .contains("< hello\n")
                .contains("\"x-demo\":\"yes\"")
                .contains("closed 1000 bye");
    }

    @Test
    void connectExitsNonZeroWhenTheServerDrops() throws Exception {
        Result r = run("!terminate\n", "connect", "ws://127.0.0.1:" + nodePort + "/");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("closed 1006 (not clean)");
    }

    @Test
    void connectInsecureAcceptsASelfSignedCertificateForAnotherName() throws Exception {
        Result r = run("over tls\n!close 1000 done\n", "connect", "--insecure", "wss://127.0.0.1:" + tlsNodePort + "/");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("connected to wss://127.0.0.1:" + tlsNodePort + "/")
                .contains("< over tls\n")
                .contains("closed 1000 done");
    }

    @Test
    void connectWithoutInsecureRefusesTheSelfSignedCertificate() throws Exception {
        Result r = run("never sent\n", "connect", "wss://127.0.0.1:" + tlsNodePort + "/");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("connected to");
        assertThat(r.err()).contains("PKIX path building failed");
    }

    @Test
    void unknownCommandOrMissingUrlIsAUsageError() throws Exception {
        assertThat(run("", "frobnicate").status()).isEqualTo(2);
        Result r = run("", "connect", "--insecure");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: a ws:// or wss:// URL is required");
        assertThat(run("", "echo-client", "http://127.0.0.1/").status()).isEqualTo(2);
    }

    @Test
    void echoClientEchoesWithTheSameTypeAndExitsZeroOnANormalClose() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> echoed = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(20_000);
                    upgrade(s);
                    OutputStream out = s.getOutputStream();
                    out.write(HexFormat.of().parseHex("8102" + "6869")); // text "hi"
                    out.write(HexFormat.of().parseHex("8203" + "010203")); // binary 01 02 03
                    String first = readFrame(s.getInputStream());
                    String second = readFrame(s.getInputStream());
                    out.write(HexFormat.of().parseHex("880203e8")); // close 1000
                    String close = readFrame(s.getInputStream());
                    return first + " " + second + " " + close;
                } catch (Exception e) {
                    return e.toString();
                }
            });
            Result r = run("", "echo-client", "ws://127.0.0.1:" + server.getLocalPort() + "/");
            assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("816869 82010203 8803e8");
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("closed 1000");
        }
    }

    @Test
    void echoClientExitsNonZeroOnAFailedHandshake() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    s.getOutputStream()
                            .write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    // the test's assertions say what went wrong
                }
            });
            Result r = run("", "echo-client", "ws://127.0.0.1:" + server.getLocalPort() + "/");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains("404");
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("eof in head");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static void upgrade(Socket s) throws Exception {
        String head = readHead(s.getInputStream());
        Matcher m = Pattern.compile("(?im)^sec-websocket-key:\\s*(\\S+)").matcher(head);
        assertThat(m.find()).isTrue();
        byte[] sha1 = MessageDigest.getInstance("SHA-1")
                .digest((m.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(sha1) + "\r\n\r\n";
        s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One masked client frame: the first header byte and the unmasked payload, as hex. */
    private static String readFrame(InputStream in) throws Exception {
        int b0 = in.read();
        int len = in.read() & 0x7f; // small frames only in these tests
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes(len);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return String.format("%02x", b0) + HexFormat.of().formatHex(payload);
    }
}
