package dev.duplex.websocket.client;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One logical connection kept alive over many physical ones: when a connect fails, or an open
 * connection closes without this object's {@link #close()} abnormally or with a code the {@link
 * ReconnectPolicy} reconnects after ({@link ReconnectPolicy#reconnectsAfterClose(int)}: by
 * default 1001, 1011, 1012 and 1013, not a server's normal 1000), it connects again after the
 * policy's backoff, until the policy's maximum of attempts in a row is reached. A close the policy
 * does not reconnect after ends it as a give-up ({@link ReconnectListener#onGiveUp} with attempt
 * number 0 and a {@link ConnectionClosedException} naming the code). Opt-in:
 * obtain one from {@link WebSocketClient#connectReconnecting} or {@link #start}.
 *
 * <p>The listener gets the events of every physical connection in turn (each with its own
 * {@code onOpen} … {@code onClose}, also for connects that failed); the {@link ReconnectListener}
 * hears about attempts. {@link #reconnect()} closes the current connection first and then connects
 * anew (Qore's {@code connect()} on a connected client closes the old connection first).
 *
 * <p>Thread-safe.
 */
public final class ReconnectingWebSocket implements AutoCloseable {

    private final WebSocketClient client;
    private final ConnectRequest request;
    private final WebSocketListener listener;
    private final ReconnectPolicy policy;
    private final ReconnectListener attempts;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();

    private final Object lock = new Object();
    /** The open connection, or null between connections; guarded by lock. */
    private @Nullable WebSocket current;
    /** Attempts since the last open connection; guarded by lock. */
    private int attempt;
    /** Which connect is the live one; a closing connection of an older one is ignored; guarded by lock. */
    private long generation;
    /** Guarded by lock. */
    private boolean stopped;

    private ReconnectingWebSocket(
            WebSocketClient client,
            ConnectRequest request,
            WebSocketListener listener,
            ReconnectPolicy policy,
            ReconnectListener attempts) {
        this.client = client;
        this.request = request;
        this.listener = listener;
        this.policy = policy;
        this.attempts = attempts;
    }

    /** Starts connecting to {@code request} with {@code client}, at once. */
    public static ReconnectingWebSocket start(
            WebSocketClient client,
            ConnectRequest request,
            WebSocketListener listener,
            ReconnectPolicy policy,
            ReconnectListener attempts) {
        ReconnectingWebSocket r = new ReconnectingWebSocket(
                Objects.requireNonNull(client, "client"),
                Objects.requireNonNull(request, "request"),
                Objects.requireNonNull(listener, "listener"),
                Objects.requireNonNull(policy, "policy"),
                Objects.requireNonNull(attempts, "attempts"));
        r.connect();
        return r;
    }

    private void connect() {
        int number;
        long gen;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            number = ++attempt;
            gen = ++generation;
        }
        attempts.onAttempt(number);
        CompletableFuture<WebSocket> future;
        try {
            future = client.connect(request, new Relay(gen));
        } catch (RuntimeException e) {
            giveUp(number, e);
            return;
        }
        future.whenComplete((ws, error) -> {
            if (error != null) {
                attemptFailed(number, unwrap(error));
                return;
            }
            boolean live;
            synchronized (lock) {
                live = !stopped && gen == generation;
                if (live) {
                    current = ws;
                    attempt = 0;
                }
            }
            if (live) {
                attempts.onConnected(ws, number);
            } else {
                goAway(ws, "Superseded");
            }
        });
    }

    /** Closes with 1001, which {@link WebSocket#close(int, String)} keeps for the library. */
    private static CompletableFuture<CloseReason> goAway(WebSocket ws, String reason) {
        return ws instanceof WebSocketConnection c ? c.goingAway(reason) : ws.close(CloseReason.NORMAL_CLOSURE, reason);
    }

    private void attemptFailed(int number, Throwable error) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
        }
        if (policy.isLastAttempt(number) || client.isClosed()) {
            giveUp(number, error);
            return;
        }
        Duration delay = policy.delay(number, ThreadLocalRandom.current().nextDouble());
        attempts.onAttemptFailed(number, error, delay);
        later(delay);
    }

    private void giveUp(int number, Throwable error) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        attempts.onGiveUp(number, error);
        termination.complete(null);
    }

    private void later(Duration delay) {
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(this::connect);
    }

    /** An open connection of generation {@code gen} closed with {@code code}. */
    private void dropped(long gen, int code, String reason) {
        synchronized (lock) {
            if (stopped || gen != generation) {
                return;
            }
            current = null;
        }
        if (client.isClosed()) {
            giveUp(0, new IllegalStateException("The client is closed"));
            return;
        }
        if (!policy.reconnectsAfterClose(code)) {
            giveUp(
                    0,
                    new ConnectionClosedException("The connection closed with " + code
                            + (reason.isEmpty() ? "" : " (" + reason + ")")
                            + ", a code the reconnect policy does not reconnect after"));
            return;
        }
        later(policy.delay(1, ThreadLocalRandom.current().nextDouble()));
    }

    private static Throwable unwrap(Throwable t) {
        return (t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null
                ? t.getCause()
                : t;
    }

    /** The open connection, or null while (re)connecting or after {@link #close()}. */
    public @Nullable WebSocket current() {
        synchronized (lock) {
            return current;
        }
    }

    /** Whether a connection is open now. */
    public boolean isOpen() {
        WebSocket ws = current();
        return ws != null && ws.isOpen();
    }

    /** Sends on the current connection; fails with {@link ConnectionClosedException} between connections. */
    public CompletableFuture<Void> sendText(CharSequence text) {
        WebSocket ws = current();
        return ws != null ? ws.sendText(text) : notConnected();
    }

    /** Sends on the current connection; fails with {@link ConnectionClosedException} between connections. */
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        WebSocket ws = current();
        return ws != null ? ws.sendBinary(data) : notConnected();
    }

    private static CompletableFuture<Void> notConnected() {
        return CompletableFuture.failedFuture(new ConnectionClosedException("Not connected at the moment"));
    }

    /**
     * Closes the current connection with 1001 (going away, as Qore's {@code connect()} on a
     * connected client does), waits for it to close, then connects again with a fresh attempt
     * count. Does nothing after {@link #close()}.
     */
    public void reconnect() {
        WebSocket old;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            old = current;
            current = null;
            attempt = 0;
            generation++; // the old connection's close is expected, not a drop
        }
        if (old == null) {
            connect();
            return;
        }
        goAway(old, "Reconnecting").whenComplete((reason, error) -> connect());
    }

    /**
     * Stops reconnecting and closes the current connection with {@code code} and {@code reason}.
     *
     * @return completes when the connection is closed (at once when none is open)
     * @throws IllegalArgumentException if the code or reason may not be sent (see {@link
     *     WebSocket#close(int, String)})
     */
    public CompletableFuture<CloseReason> close(int code, String reason) {
        CloseReason.requireSendable(code, reason);
        WebSocket ws;
        synchronized (lock) {
            stopped = true;
            generation++;
            ws = current;
            current = null;
        }
        termination.complete(null);
        return ws != null ? ws.close(code, reason) : CompletableFuture.completedFuture(CloseReason.NORMAL);
    }

    /** Stops reconnecting and closes the current connection normally; returns at once. */
    @Override
    public void close() {
        close(CloseReason.NORMAL_CLOSURE, "");
    }

    /** Completes when no attempt will follow: after {@link #close()} or when the policy gave up. */
    public CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /** Forwards one physical connection's events and notices when an open one closes. */
    private final class Relay implements WebSocketListener {
        private final long gen;
        private boolean opened; // the connection's events never run concurrently

        Relay(long gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            opened = true;
            listener.onOpen(webSocket);
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            listener.onText(webSocket, text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            listener.onBinary(webSocket, data);
        }

        @Override
        public void onPing(WebSocket webSocket, ByteBuffer payload) {
            listener.onPing(webSocket, payload);
        }

        @Override
        public void onPong(WebSocket webSocket, ByteBuffer payload) {
            listener.onPong(webSocket, payload);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            listener.onError(webSocket, error);
        }

        @Override
        public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
            try {
                listener.onClose(webSocket, code, reason, wasClean);
            } finally {
                if (opened) {
                    dropped(gen, code, reason);
                }
            }
        }
    }
}
