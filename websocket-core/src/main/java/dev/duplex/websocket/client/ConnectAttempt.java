package dev.duplex.websocket.client;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.codec.PerMessageDeflate;
import dev.duplex.websocket.codec.Role;
import dev.duplex.websocket.handshake.ClientHandshake;
import dev.duplex.websocket.handshake.ExtensionOffer;
import dev.duplex.websocket.handshake.PerMessageDeflateOffer;
import dev.duplex.websocket.handshake.PerMessageDeflateParameters;
import dev.duplex.websocket.handshake.ProxyConnect;
import dev.duplex.websocket.transport.Connection;
import dev.duplex.websocket.transport.ConnectionHandler;
import dev.duplex.websocket.transport.DispatchExecutors;
import dev.duplex.websocket.transport.ProtocolOptions;
import dev.duplex.websocket.transport.Timeout;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.io.EOFException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One connect, from the TCP connect to the open {@link WebSocketConnection} or the failure: the
 * handshake-phase {@link ConnectionHandler} (optional proxy {@code CONNECT}, then the upgrade
 * request and response, under the handshake timeout), which forwards every transport event to
 * the engine once the handshake has succeeded.
 *
 * <p>Exactly one outcome: the future completes with the connection (the engine then sends
 * {@code onOpen}), or the listener gets {@code onError} and {@code onClose(1006, "", false)} on
 * the dispatch executor and then the future fails. Transport callbacks run on the connection's
 * loop thread; {@link #fail} and {@link #abort} may come from any thread.
 */
final class ConnectAttempt implements ConnectionHandler {

    private static final System.Logger LOG = System.getLogger(ConnectAttempt.class.getName());

    private final ClientHandshake handshake;
    private final @Nullable ProxyConnect proxy;
    private final URI uri;
    /** The endpoint label a client's connections carry for the observer. */
    static final String CLIENT_ENDPOINT = "client";

    private final ProtocolOptions options;
    private final WebSocketListener listener;
    private final boolean pullMode;
    private final Duration handshakeTimeout;
    /** What the client offered for permessage-deflate, or null if it offered nothing. */
    private final @Nullable PerMessageDeflateOffer deflateOffer;

    private final DeflateOptions compression;
    private final CompletableFuture<WebSocket> result = new CompletableFuture<>();
    private final UnopenedWebSocket unopened;
    /** Set by the first outcome, success or failure. */
    private final AtomicBoolean settled = new AtomicBoolean();

    /** The transport connection, once TCP (and TLS) is up; null before. */
    private volatile @Nullable Connection connection;
    /** The engine once the handshake succeeded; null before. */
    private volatile @Nullable WebSocketConnection webSocket;

    private volatile boolean aborted;

    // Loop thread only.
    private boolean tunnelOpen;
    private @Nullable ConnectionHandler delegate;
    private @Nullable Timeout timer;

    ConnectAttempt(
            ClientHandshake handshake,
            @Nullable ProxyConnect proxy,
            ProtocolOptions options,
            WebSocketListener listener,
            boolean pullMode,
            Duration handshakeTimeout,
            @Nullable PerMessageDeflateOffer deflateOffer,
            DeflateOptions compression) {
        this.handshake = handshake;
        this.deflateOffer = deflateOffer;
        this.compression = compression;
        this.proxy = proxy;
        this.uri = handshake.uri().uri();
        this.options = options;
        this.listener = listener;
        this.pullMode = pullMode;
        this.handshakeTimeout = handshakeTimeout;
        this.tunnelOpen = proxy == null;
        this.unopened = new UnopenedWebSocket(uri, this::abort);
        result.whenComplete((ws, error) -> {
            if (result.isCancelled()) {
                abort();
            }
        });
    }

    /** Completes with the open connection, or fails with why the connect failed. */
    CompletableFuture<WebSocket> result() {
        return result;
    }

    /** The open connection, or null before the handshake succeeded. */
    @Nullable
    WebSocketConnection webSocket() {
        return webSocket;
    }

    /**
     * The handler factory: TCP (and TLS, unless tunnelled) is up; writes the first request and
     * starts the handshake timer, which covers the proxy exchange, a tunnelled TLS handshake and
     * the upgrade. Loop thread.
     */
    ConnectionHandler attach(Connection c) {
        connection = c;
        if (aborted || settled.get()) {
            c.abort();
            return this;
        }
        timer = c.schedule(this::onHandshakeTimeout, handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        ProxyConnect p = proxy;
        c.write(0, ByteBuffer.wrap(p != null ? p.requestBytes() : handshake.requestBytes()));
        return this;
    }

    @Override
    public void onRead(ByteBuffer data) {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onRead(data);
            return;
        }
        if (settled.get()) {
            data.position(data.limit());
            return;
        }
        try {
            if (!tunnelOpen) {
                if (!requireProxy().receive(data)) {
                    return;
                }
                tunnelOpen = true;
                Connection c = requireConnection();
                if (c.isSecure()) {
                    if (data.hasRemaining()) {
                        throw new HandshakeException("The proxy sent " + data.remaining()
                                + " bytes after its 200 response, before the TLS handshake");
                    }
                    // The upgrade request goes out once TLS is up; a TLS failure closes the
                    // connection, which onClosed reports with its SSLException.
                    c.startTls().thenRun(() -> c.write(0, ByteBuffer.wrap(handshake.requestBytes())));
                    return;
                }
                c.write(0, ByteBuffer.wrap(handshake.requestBytes()));
                if (!data.hasRemaining()) {
                    return;
                }
            }
            if (handshake.receive(data)) {
                open(data);
            }
        } catch (HandshakeException e) {
            data.position(data.limit());
            fail(e);
        }
    }

    private void open(ByteBuffer leftover) {
        cancelTimer();
        Connection c = requireConnection();
        List<String> extensions = new ArrayList<>();
        PerMessageDeflate deflate = null;
        for (ExtensionOffer e : handshake.extensions()) {
            extensions.add(ExtensionOffer.format(List.of(e)));
            PerMessageDeflateOffer offered = deflateOffer;
            if (offered != null && PerMessageDeflateParameters.isPerMessageDeflate(e)) {
                try {
                    PerMessageDeflateParameters agreed = offered.accept(e);
                    deflate = new PerMessageDeflate(
                            Role.CLIENT,
                            agreed.serverNoContextTakeover(),
                            agreed.clientNoContextTakeover(),
                            compression);
                } catch (IllegalArgumentException invalid) {
                    // RFC 7692 §7.1: the client fails the WebSocket connection.
                    fail(new HandshakeException(
                            101,
                            String.valueOf(invalid.getMessage()),
                            handshake.response().headers().toMap(),
                            new byte[0]));
                    leftover.position(leftover.limit());
                    return;
                }
            }
        }
        WebSocketConnection ws = new WebSocketConnection(
                c,
                Role.CLIENT,
                uri,
                handshake.subprotocol(),
                extensions,
                handshake.response().headers().toMap(),
                options,
                listener,
                pullMode,
                CLIENT_ENDPOINT);
        if (!settled.compareAndSet(false, true)) {
            leftover.position(leftover.limit());
            c.abort();
            return;
        }
        webSocket = ws;
        delegate = ws.transportHandler();
        if (deflate != null) {
            ws.setExtension(deflate);
        }
        ws.start(leftover);
        leftover.position(leftover.limit());
        if (aborted) {
            ws.abort();
        }
        dispatch(() -> result.complete(ws));
    }

    @Override
    public void onWritable() {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onWritable();
        }
    }

    @Override
    public void onOverflow(long bufferedAmount, long refusedBytes) {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onOverflow(bufferedAmount, refusedBytes);
        }
    }

    @Override
    public void onClosed(@Nullable Throwable cause) {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onClosed(cause);
            return;
        }
        cancelTimer();
        if (cause == null) {
            fail(new ConnectionClosedException("The connect was aborted"));
        } else if (cause instanceof EOFException) {
            ProxyConnect p = proxy;
            fail(tunnelOpen || p == null ? handshake.endOfInput() : p.endOfInput());
        } else {
            fail(cause);
        }
    }

    private void onHandshakeTimeout() {
        if (delegate == null && !settled.get()) {
            TimeoutException timeout = new TimeoutException("handshake timeout");
            fail(new HandshakeException(
                    (tunnelOpen ? "The server sent no handshake response within " : "The proxy did not answer within ")
                            + handshakeTimeout.toMillis() + " ms",
                    timeout));
        }
    }

    /**
     * Ends the attempt with {@code error} unless it has an outcome already: drops the connection,
     * then tells the listener ({@code onError}, {@code onClose}) and fails the future. Any thread.
     */
    void fail(Throwable error) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        Connection c = connection;
        if (c != null) {
            c.abort();
        }
        if (error instanceof HandshakeException he) {
            unopened.failed(he.headers());
        }
        try {
            options.observer().handshakeFailed(WebSocketObserver.Side.CLIENT, CLIENT_ENDPOINT, failureLabel(error));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket observer failed", e);
        }
        dispatch(() -> {
            try {
                listener.onError(unopened, error);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Listener failed in onError of " + unopened, e);
            }
            try {
                listener.onClose(unopened, CloseReason.ABNORMAL_CLOSURE, "", false);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Listener failed in onClose of " + unopened, e);
            } finally {
                unopened.closed();
                result.completeExceptionally(error);
            }
        });
    }

    /** A bounded label for a failed connect: the HTTP status, or the kind of failure. */
    static String failureLabel(Throwable error) {
        if (error instanceof HandshakeException he && he.status() > 0) {
            return String.valueOf(he.status());
        }
        Throwable cause = error instanceof HandshakeException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException || cause instanceof java.net.SocketTimeoutException) {
            return "timeout";
        }
        if (cause instanceof java.net.ConnectException) {
            return "refused";
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return "tls";
        }
        if (error instanceof HandshakeException) {
            return "invalid";
        }
        return "io";
    }

    /** Drops the connection, whatever its phase; a connect still under way fails. Any thread. */
    void abort() {
        aborted = true;
        WebSocketConnection ws = webSocket;
        if (ws != null) {
            ws.abort();
            return;
        }
        fail(new ConnectionClosedException("The connect was aborted"));
    }

    private void dispatch(Runnable task) {
        if (options.directDispatch()) {
            task.run();
            return;
        }
        Executor executor = options.executor();
        (executor != null ? executor : DispatchExecutors.defaultExecutor(options.virtualThreads())).execute(task);
    }

    private void cancelTimer() {
        Timeout t = timer;
        if (t != null) {
            t.cancel();
            timer = null;
        }
    }

    private Connection requireConnection() {
        Connection c = connection;
        if (c == null) {
            throw new IllegalStateException("not connected");
        }
        return c;
    }

    private ProxyConnect requireProxy() {
        ProxyConnect p = proxy;
        if (p == null) {
            throw new IllegalStateException("no proxy");
        }
        return p;
    }

    @Override
    public String toString() {
        return "ConnectAttempt[" + uri + "]";
    }
}
