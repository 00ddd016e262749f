package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node {@code ws} echo server of {@code test-peers/node}, run as a child process: it prints
 * {@code {"port":N}} once listening on 127.0.0.1 and exits when its stdin closes.
 */
final class NodeEchoServer implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("\"port\"\\s*:\\s*(\\d+)");

    private final Process process;
    private final int port;
    private final boolean tls;

    private NodeEchoServer(Process process, int port, boolean tls) {
        this.process = process;
        this.port = port;
        this.tls = tls;
    }

    /** The folder of the echo server, relative to the module (Surefire runs in the module folder). */
    static Path folder() {
        Path dir = Path.of("..", "test-peers", "node").toAbsolutePath().normalize();
        assertThat(dir.resolve("node_modules/ws"))
                .as("run 'npm ci' in %s first", dir)
                .exists();
        return dir;
    }

    static NodeEchoServer start(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "echo-server.js"));
        command.addAll(List.of(args));
        boolean tls = command.contains("--tls");
        Process p = new ProcessBuilder(command)
                .directory(folder().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        try {
            first = line.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("The node echo server did not start", e);
        }
        Matcher m = first == null ? null : PORT.matcher(first);
        if (m == null || !m.find()) {
            p.destroyForcibly();
            throw new IOException("The node echo server printed " + first);
        }
        return new NodeEchoServer(p, Integer.parseInt(m.group(1)), tls);
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port + path);
    }

    static boolean available() {
        return Files.isDirectory(Path.of("..", "test-peers", "node", "node_modules", "ws"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
