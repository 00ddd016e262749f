package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.CloseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every open endpoint connection when the application context stops: each peer gets 1001
 * (going away) and the closing handshake may take up to the drain timeout, after which what is left
 * is dropped. Runs before the web server stops (a higher phase than the server's), so the close
 * frames still reach the peers.
 */
final class GracefulShutdown implements SmartLifecycle {

    /** Before the web server's graceful shutdown and its stop (phases {@code Integer.MAX_VALUE - 1024} and below). */
    static final int PHASE = Integer.MAX_VALUE - 512;

    private final OpenConnections open;
    private final Duration drainTimeout;
    private volatile boolean running;

    GracefulShutdown(OpenConnections open, Duration drainTimeout) {
        this.open = open;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        List<SpringWebSocket> connections = open.snapshot();
        if (connections.isEmpty()) {
            return;
        }
        List<CompletableFuture<CloseReason>> closing = new ArrayList<>(connections.size());
        for (SpringWebSocket ws : connections) {
            closing.add(ws.closeWithStatus(CloseReason.GOING_AWAY, "The server is shutting down"));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            for (SpringWebSocket ws : open.snapshot()) {
                ws.abort();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
