package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An independent client run as a child process: {@code test-peers/node/client.js} (node {@code ws})
 * or {@code test-peers/python/client.py} (Python {@code websockets}). Both take the same steps and
 * print the same JSON lines, so a test states its expectations once for both.
 */
enum PeerClient {
    NODE("node", "test-peers/node/client.js"),
    PYTHON("/usr/bin/python3", "test-peers/python/client.py");

    private static final long RUN_SECONDS = 30;

    private final String interpreter;
    private final String script;

    PeerClient(String interpreter, String script) {
        this.interpreter = interpreter;
        this.script = script;
    }

    /** The repository root, relative to the module (Surefire runs in the module folder). */
    private static Path root() {
        return Path.of("..").toAbsolutePath().normalize();
    }

    /** Fails the test with a hint when the peer is not installed. */
    void assertInstalled() throws IOException, InterruptedException {
        if (this == NODE) {
            assertThat(root().resolve("test-peers/node/node_modules/ws"))
                    .as("run 'npm ci' in test-peers/node first")
                    .exists();
        } else {
            Process p = new ProcessBuilder(interpreter, "-c", "import websockets")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
                    .as("install python3-websockets (.ci/install-test-deps)")
                    .isTrue();
        }
    }

    /** Runs the client against {@code url} with options and steps; returns its lines once it exited with 0. */
    List<String> run(String url, String... arguments) throws IOException, InterruptedException {
        Result r = runRaw(url, arguments);
        assertThat(r.exitCode())
                .as("exit status of %s, stderr: %s", script, r.stderr())
                .isZero();
        return r.lines();
    }

    /** The lines printed, the error output and the exit status of one run. */
    record Result(List<String> lines, String stderr, int exitCode) {}

    Result runRaw(String url, String... arguments) throws IOException, InterruptedException {
        assertInstalled();
        List<String> command =
                new ArrayList<>(List.of(interpreter, root().resolve(script).toString(), url));
        command.addAll(Arrays.asList(arguments));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile());
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(script + " did not finish within " + RUN_SECONDS + " s");
        }
        String stdout = new String(out.join(), StandardCharsets.UTF_8);
        String stderr = new String(err.join(), StandardCharsets.UTF_8);
        List<String> lines = stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        return new Result(lines, stderr, p.exitValue());
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    // ------------------------------------------------------------------ the expected lines

    static String open(String protocol) {
        return "{\"event\":\"open\",\"protocol\":\"" + protocol + "\"}";
    }

    /** A text event for ASCII text without quotes or backslashes. */
    static String text(String s) {
        return s.length() <= 1000
                ? "{\"event\":\"text\",\"data\":\"" + s + "\"}"
                : "{\"event\":\"text\",\"length\":" + s.length() + ",\"sha256\":\""
                        + sha256(s.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    static String binary(byte[] b) {
        return "{\"event\":\"binary\",\"length\":" + b.length + ",\"sha256\":\"" + sha256(b) + "\"}";
    }

    static String pong(String payload) {
        return "{\"event\":\"pong\",\"data\":\"" + payload + "\"}";
    }

    static String close(int code, String reason) {
        return "{\"event\":\"close\",\"code\":" + code + ",\"reason\":\"" + reason + "\"}";
    }

    /** The text the {@code gen-text:N} step sends. */
    static String generatedText(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }

    /** The bytes the {@code binary:N} step sends. */
    static byte[] generatedBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
