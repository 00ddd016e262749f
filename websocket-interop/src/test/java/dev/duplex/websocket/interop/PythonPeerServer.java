package dev.duplex.websocket.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Python {@code websockets} (Debian's python3-websockets, installed by {@code
 * .ci/install-test-deps}) running {@code peers/echo_server.py} in its own process. Its fragment API
 * takes strings, so fragments are whole characters; {@code #bad} writes a raw close frame with code
 * 1005 under the library.
 */
final class PythonPeerServer extends PeerServer {

    private static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final int port;

    PythonPeerServer() throws Exception {
        assertThat(new File(PYTHON))
                .as("install python3-websockets (.ci/install-test-deps)")
                .exists();
        ProcessBuilder builder = new ProcessBuilder(PYTHON, script().toString())
                .redirectError(new File("target/python-echo-server.log"));
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        process = builder.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> read(listening), "python-echo-server-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            port = listening.get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the Python server did not start; see target/python-echo-server.log", e);
        }
    }

    private static Path script() throws URISyntaxException {
        return Path.of(
                PythonPeerServer.class.getResource("/peers/echo_server.py").toURI());
    }

    private void read(CompletableFuture<Integer> listening) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("port ")) {
                    listening.complete(Integer.parseInt(line.substring(5).trim()));
                } else if (line.startsWith("closed ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    closed(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
        listening.completeExceptionally(new IllegalStateException("the Python server exited"));
    }

    @Override
    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/echo");
    }

    @Override
    boolean fragmentsBytes() {
        return false;
    }

    @Override
    boolean misbehaves() {
        return true;
    }

    @Override
    boolean deflates() {
        return true;
    }

    /**
     * websockets limits its own window to 2^12 bytes unasked, to save memory (RFC 7692 §7.1.2.1
     * lets a server do so).
     */
    @Override
    String agreedByDefault() {
        return "permessage-deflate; server_max_window_bits=12";
    }

    @Override
    String agreedToClientNoContextTakeover() {
        return "permessage-deflate; client_no_context_takeover; server_max_window_bits=12";
    }

    @Override
    void stop() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
