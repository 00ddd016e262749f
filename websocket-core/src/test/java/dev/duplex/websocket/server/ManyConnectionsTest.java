package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 connections opened at once against the standalone server, from another process (each
 * process may hold 20,000 file descriptors): all are open in the registry, then all close cleanly.
 */
class ManyConnectionsTest {

    private static final int CONNECTIONS = 10_000;

    @Test
    void servesTenThousandConnectionsOpenedAtOnceAndClosesThemCleanly() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger cleanlyClosed = new AtomicInteger();
        DuplexEndpoint counting = new DuplexEndpoint() {
            @Override
            public void onOpen(WebSocket ws) {
                opened.incrementAndGet();
            }

            @Override
            public void onClose(WebSocket ws, CloseReason reason, boolean wasClean) {
                if (wasClean && reason.code() == CloseReason.NORMAL_CLOSURE) {
                    cleanlyClosed.incrementAndGet();
                }
            }
        };
        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .backlog(4096)
                .endpoint("/many", counting)
                .build()
                .start()) {
            Process flood = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx128m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            ConnectionFlood.class.getName(),
                            String.valueOf(server.port()),
                            String.valueOf(CONNECTIONS),
                            "/many")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
                assertThat(readLine(out)).isEqualTo("open " + CONNECTIONS);
                await().atMost(Duration.ofSeconds(20)).until(() -> opened.get() == CONNECTIONS);
                assertThat(server.registry().size()).isEqualTo(CONNECTIONS);
                assertThat(server.openConnections()).isEqualTo(CONNECTIONS);

                try (Writer in = new OutputStreamWriter(flood.getOutputStream(), StandardCharsets.UTF_8)) {
                    in.write("close\n");
                }
                assertThat(readLine(out)).isEqualTo("closed " + CONNECTIONS);
                assertThat(flood.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(flood.exitValue()).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> cleanlyClosed.get() == CONNECTIONS);
                assertThat(server.registry().size()).isZero();
                assertThat(server.openConnections()).isZero();
            } finally {
                flood.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The child's next line, waiting at most a minute. */
    private static String readLine(BufferedReader out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (java.io.IOException e) {
                        return "read failed: " + e;
                    }
                })
                .get(60, TimeUnit.SECONDS);
    }
}
