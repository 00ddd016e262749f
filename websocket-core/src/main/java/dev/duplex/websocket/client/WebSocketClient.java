package dev.duplex.websocket.client;

import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.handshake.ClientHandshake;
import dev.duplex.websocket.handshake.HttpAuthorization;
import dev.duplex.websocket.handshake.HttpHeaders;
import dev.duplex.websocket.handshake.PerMessageDeflateOffer;
import dev.duplex.websocket.handshake.ProxyConnect;
import dev.duplex.websocket.handshake.WebSocketUri;
import dev.duplex.websocket.transport.Connection;
import dev.duplex.websocket.transport.ConnectionOptions;
import dev.duplex.websocket.transport.EventLoopGroup;
import dev.duplex.websocket.transport.ProtocolOptions;
import dev.duplex.websocket.transport.TlsOptions;
import dev.duplex.websocket.transport.TransportOptions;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client (RFC 6455): opens {@code ws://} and {@code wss://} connections over a few
 * non-blocking I/O threads, so thousands of idle connections cost no thread each. Build one with
 * {@link #builder()}; share it, since it is thread-safe and owns (or borrows) an {@link
 * EventLoopGroup}; {@link #close()} it when done.
 *
 * <p>A connect writes the upgrade request ({@code Sec-WebSocket-Key} from 16 fresh random bytes,
 * the client's default headers, cookies, {@code Origin}, credentials and subprotocols plus the
 * request's own), through an HTTP {@code CONNECT} proxy when one is set, and checks the response
 * (101, {@code Upgrade}, {@code Connection}, the accept key, only offered subprotocols and
 * extensions). It succeeds with an open {@link WebSocket} whose {@link
 * WebSocket#handshakeHeaders()} are the response's headers. It fails with a {@link
 * HandshakeException} (status, headers, start of the body; also for the handshake timeout), a
 * {@link java.net.ConnectException} (refused), a {@link java.net.SocketTimeoutException} (connect
 * timeout), an {@link java.net.UnknownHostException}, or a TLS {@link javax.net.ssl.SSLException};
 * either way the listener hears of it: {@code onError}, then {@code onClose(1006, "", false)},
 * never {@code onOpen}.
 *
 * <p>Counterparts in the seeds: IRIS {@code %Net.WebSocket.Client} ({@code %New(url, credentials,
 * listener, protocols, request)}: {@link #connect(URI, WebSocketListener)}, {@link
 * Builder#basicAuth}, {@link Builder#subprotocols}, {@link Builder#sslContext}; the nonce is the
 * random key checked against {@code Sec-WebSocket-Accept}; {@code Next(timeout)} is {@link
 * #connectPull(URI)} with {@link WebSocket#receive}); 4D {@code 4D.WebSocket.new(url, handler)}
 * ({@link #connect(URI, WebSocketListener)}, handler {@code headers} and {@code Cookie}: {@link
 * Builder#header}, {@link Builder#cookie}, {@link ConnectRequest}); Qore {@code WebSocketClient}
 * ({@code connect()} returns the response headers: {@link WebSocket#handshakeHeaders()}; {@code
 * disconnect(code)}: {@link WebSocket#close(int, String)}; reconnect: {@link
 * ReconnectingWebSocket}; bad options fail at once with {@link IllegalArgumentException}).
 *
 * <p>Thread-safe.
 */
public final class WebSocketClient implements AutoCloseable {

    /** Default handshake timeout, from the TCP (and TLS) connection to the 101 response: 10 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final WebSocketListener NO_LISTENER = new WebSocketListener() {};

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ConnectionOptions connectionOptions;
    private final ProtocolOptions protocolOptions;
    private final Duration handshakeTimeout;
    private final HttpHeaders headers;
    private final Map<String, String> cookies;
    private final @Nullable String origin;
    private final String @Nullable [] basicAuth;
    private final @Nullable String bearerToken;
    private final List<String> subprotocols;
    private final @Nullable InetSocketAddress proxy;
    private final @Nullable String proxyAuthorization;
    private final @Nullable SSLContext sslContext;
    private final @Nullable SSLParameters sslParameters;
    private final boolean hostnameVerification;
    private final ReconnectPolicy reconnectPolicy;
    private final DeflateOptions compression;
    /** The permessage-deflate offer every handshake sends; null when compression is off. */
    private final @Nullable PerMessageDeflateOffer deflateOffer;

    private final Set<ConnectAttempt> attempts = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private WebSocketClient(Builder b) {
        this.protocolOptions = b.protocol.build();
        this.connectionOptions = ConnectionOptions.builder()
                .tcpNoDelay(b.tcpNoDelay)
                .connectTimeout(b.connectTimeout)
                .maxBufferedAmount(protocolOptions.maxBufferedAmount())
                .closeOnOverflow(false) // the engine applies OverflowPolicy.CLOSE itself
                .build();
        this.handshakeTimeout = b.handshakeTimeout;
        this.headers = HttpHeaders.copyOf(b.headers).readOnly();
        this.cookies = Map.copyOf(b.cookies);
        this.origin = b.origin;
        this.basicAuth = b.basicAuth;
        this.bearerToken = b.bearerToken;
        this.subprotocols = List.copyOf(b.subprotocols);
        this.proxy = b.proxy;
        this.proxyAuthorization = b.proxyAuthorization;
        this.sslContext = b.sslContext;
        this.sslParameters = b.sslParameters;
        this.hostnameVerification = b.hostnameVerification;
        this.reconnectPolicy = b.reconnectPolicy;
        this.compression = b.compression;
        this.deflateOffer = compression.enabled()
                ? new PerMessageDeflateOffer(
                        compression.serverNoContextTakeover(),
                        compression.clientNoContextTakeover(),
                        compression.serverMaxWindowBits())
                : null;
        EventLoopGroup shared = b.group;
        if (shared != null) {
            this.group = shared;
            this.ownsGroup = false;
        } else {
            this.group = new EventLoopGroup(
                    TransportOptions.builder().ioThreads(b.ioThreads).build());
            this.ownsGroup = true;
        }
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A client with every default; {@link #close()} it when done. */
    public static WebSocketClient create() {
        return builder().build();
    }

    /**
     * Connects to {@code uri}; events go to {@code listener}. Never blocks.
     *
     * @return completes with the open connection, or fails as the class comment says; cancelling
     *     it drops the connection under way
     * @throws IllegalArgumentException if the URI is not {@code ws}/{@code wss}, has no host, or
     *     has a fragment
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        return connect(ConnectRequest.to(uri), listener);
    }

    /** {@link #connect(URI, WebSocketListener)} with a URI string, parsed at once. */
    public CompletableFuture<WebSocket> connect(String uri, WebSocketListener listener) {
        return connect(ConnectRequest.to(uri), listener);
    }

    /** {@link #connect(URI, WebSocketListener)} with the request's extra headers, cookies and subprotocols. */
    public CompletableFuture<WebSocket> connect(ConnectRequest request, WebSocketListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        return start(request, listener, false).result();
    }

    /**
     * Connects for pull-style reading: messages wait for {@link WebSocket#receive(Duration)} (IRIS
     * {@code Next(timeout)}), parts of large messages marked by {@link
     * dev.duplex.websocket.Message#last()}. Otherwise as {@link #connect(URI, WebSocketListener)}.
     */
    public CompletableFuture<WebSocket> connectPull(URI uri) {
        return connectPull(ConnectRequest.to(uri));
    }

    /** {@link #connectPull(URI)} with the request's extra headers, cookies and subprotocols. */
    public CompletableFuture<WebSocket> connectPull(ConnectRequest request) {
        Objects.requireNonNull(request, "request");
        return start(request, NO_LISTENER, true).result();
    }

    /**
     * Connects and waits, at most the connect plus the handshake timeout, for the outcome.
     *
     * @throws HandshakeException if the server refused or broke the handshake, or did not answer
     * @throws IOException if the TCP or TLS connection failed (refused, timed out, unknown host)
     * @throws InterruptedException if the calling thread is interrupted; the connect is dropped
     */
    public WebSocket connectBlocking(URI uri, WebSocketListener listener) throws IOException, InterruptedException {
        return await(connect(uri, listener));
    }

    /** {@link #connectBlocking(URI, WebSocketListener)} for a {@link ConnectRequest}. */
    public WebSocket connectBlocking(ConnectRequest request, WebSocketListener listener)
            throws IOException, InterruptedException {
        return await(connect(request, listener));
    }

    private WebSocket await(CompletableFuture<WebSocket> future) throws IOException, InterruptedException {
        long bound = connectionOptions.connectTimeout().plus(handshakeTimeout).toMillis() + 5_000;
        try {
            return future.get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(false);
            throw e;
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new InterruptedIOException("The connect did not finish within " + bound + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /**
     * A connection to {@code uri} kept alive by reconnecting with the client's {@link
     * Builder#reconnectPolicy(ReconnectPolicy) reconnect policy}; see {@link ReconnectingWebSocket}.
     */
    public ReconnectingWebSocket connectReconnecting(
            ConnectRequest request, WebSocketListener listener, ReconnectListener reconnectListener) {
        return ReconnectingWebSocket.start(this, request, listener, reconnectPolicy, reconnectListener);
    }

    private ConnectAttempt start(ConnectRequest request, WebSocketListener listener, boolean pull) {
        if (closed) {
            throw new IllegalStateException("The client is closed");
        }
        WebSocketUri target = request.webSocketUri();
        ClientHandshake handshake = handshake(request);
        ProxyConnect tunnel = proxy == null ? null : ProxyConnect.to(target, proxyAuthorization);
        ConnectAttempt attempt = new ConnectAttempt(
                handshake, tunnel, protocolOptions, listener, pull, handshakeTimeout, deflateOffer, compression);
        attempts.add(attempt);
        attempt.result().whenComplete((ws, error) -> {
            if (ws == null) {
                attempts.remove(attempt);
            } else {
                ws.closeFuture().whenComplete((reason, e) -> attempts.remove(attempt));
            }
        });
        InetSocketAddress remote =
                proxy != null ? proxy : InetSocketAddress.createUnresolved(target.host(), target.port());
        try {
            // Through a proxy, TLS starts after the CONNECT exchange, for the target's name.
            CompletableFuture<Connection> connected = proxy != null && target.secure()
                    ? group.connectTunnel(
                            remote, target.host(), target.port(), connectionOptions, tls(), attempt::attach)
                    : group.connect(remote, connectionOptions, target.secure() ? tls() : null, attempt::attach);
            connected.whenComplete((connection, error) -> {
                if (error != null) {
                    attempt.fail(error);
                }
            });
        } catch (RejectedExecutionException e) {
            attempt.fail(new IllegalStateException("The client is closed", e));
        }
        return attempt;
    }

    private ClientHandshake handshake(ConnectRequest request) {
        ClientHandshake.Builder b = ClientHandshake.builder(request.uri());
        headers.forEach(b::header);
        cookies.forEach(b::cookie);
        if (origin != null) {
            b.origin(origin);
        }
        List<String> protocols = request.subprotocols();
        b.subprotocols(protocols != null ? protocols : subprotocols);
        PerMessageDeflateOffer deflate = deflateOffer;
        if (deflate != null) {
            b.extensions(List.of(deflate.offer()));
        }
        for (Map.Entry<String, String> h : request.headers()) {
            b.header(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, String> c : request.cookies()) {
            b.cookie(c.getKey(), c.getValue());
        }
        String[] basic = basicAuth;
        if (basic != null) {
            b.basicAuth(basic[0], basic[1]);
        } else if (bearerToken != null) {
            b.bearerToken(bearerToken);
        }
        return b.build();
    }

    private TlsOptions tls() {
        SSLContext context = sslContext;
        if (context == null) {
            try {
                context = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("The JDK has no default SSLContext", e);
            }
        }
        TlsOptions options = TlsOptions.of(context).withHostnameVerification(hostnameVerification);
        return sslParameters != null ? options.withParameters(sslParameters) : options;
    }

    /** The connections of this client that are open or closing, a snapshot. */
    public List<WebSocket> connections() {
        List<WebSocket> list = new ArrayList<>();
        for (ConnectAttempt a : attempts) {
            WebSocketConnection ws = a.webSocket();
            if (ws != null) {
                list.add(ws);
            }
        }
        return list;
    }

    /** The options every connection of this client runs with. */
    public ProtocolOptions protocolOptions() {
        return protocolOptions;
    }

    /** TCP connect plus, for {@code wss}, TLS handshake timeout; see {@link Builder#connectTimeout}. */
    public Duration connectTimeout() {
        return connectionOptions.connectTimeout();
    }

    /** From the open connection to the 101 response; see {@link Builder#handshakeTimeout}. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The headers added to every handshake, by name in the order first added; read-only. */
    public Map<String, List<String>> defaultHeaders() {
        return headers.toMap();
    }

    /** The subprotocols offered when a request names none, most preferred first. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** The HTTP proxy connections go through, or null for direct connections. */
    public @Nullable InetSocketAddress proxy() {
        return proxy;
    }

    /** The policy of {@link #connectReconnecting}. */
    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    /** The permessage-deflate settings of this client's handshakes and connections. */
    public DeflateOptions compression() {
        return compression;
    }

    /** The group whose threads serve this client's connections. */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every connection with 1001 (going away), drops connects under way, waits at most the
     * close timeout for the closing handshakes, and stops the I/O threads if this client started
     * them (a shared group is left running). Idempotent; later connects throw.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (ConnectAttempt a : attempts) {
            WebSocketConnection ws = a.webSocket();
            if (ws != null) {
                closing.add(ws.goingAway("Client closed"));
            } else {
                a.abort();
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture<?>[]::new))
                    .get(protocolOptions.closeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The close timeout aborts what is left; the group's shutdown below does too.
        }
        if (ownsGroup) {
            group.close();
        }
    }

    /**
     * Configures a {@link WebSocketClient}. Not thread-safe; every setter checks its argument at
     * once ({@link IllegalArgumentException} with the rule broken).
     */
    public static final class Builder {

        private ProtocolOptions.Builder protocol = ProtocolOptions.builder();
        private final HttpHeaders headers = new HttpHeaders();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private final ClientHandshake.Builder probe = ClientHandshake.builder(URI.create("ws://localhost/"));
        private Duration connectTimeout = ConnectionOptions.DEFAULT_CONNECT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private boolean tcpNoDelay = ConnectionOptions.DEFAULT_TCP_NO_DELAY;
        private @Nullable String origin;
        private String @Nullable [] basicAuth;
        private @Nullable String bearerToken;
        private List<String> subprotocols = List.of();
        private @Nullable InetSocketAddress proxy;
        private @Nullable String proxyAuthorization;
        private @Nullable SSLContext sslContext;
        private @Nullable SSLParameters sslParameters;
        private boolean hostnameVerification = true;
        private int ioThreads = Math.min(2, TransportOptions.DEFAULT_IO_THREADS);
        private @Nullable EventLoopGroup group;
        private ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
        private DeflateOptions compression = DeflateOptions.defaults();

        private Builder() {}

        /** TCP connect plus, for {@code wss}, the TLS handshake; {@link ConnectionOptions#DEFAULT_CONNECT_TIMEOUT} by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** From the open connection to the 101 response (proxy {@code CONNECT} included); {@link #DEFAULT_HANDSHAKE_TIMEOUT} by default. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Adds a header to every handshake; several calls with one name send several fields.
         *
         * @throws IllegalArgumentException if the name or value is not valid in HTTP, or the
         *     handshake writes that header itself
         */
        public Builder header(String name, String value) {
            probe.header(name, value);
            headers.add(name, value);
            return this;
        }

        /**
         * Adds a cookie to every handshake (one {@code Cookie} header, RFC 6265 §5.4).
         *
         * @throws IllegalArgumentException if the name is not a token or the value not cookie octets
         */
        public Builder cookie(String name, String value) {
            probe.cookie(name, value);
            cookies.put(name, value);
            return this;
        }

        /** The {@code Origin} to send, such as {@code https://app.example.com}; none by default. */
        public Builder origin(String origin) {
            probe.origin(origin);
            this.origin = origin;
            return this;
        }

        /** Sends {@code Authorization: Basic …} (RFC 7617), replacing other credentials. */
        public Builder basicAuth(String user, String password) {
            HttpAuthorization.basic(user, password); // validates
            this.basicAuth = new String[] {user, password};
            this.bearerToken = null;
            return this;
        }

        /** Sends {@code Authorization: Bearer …} (RFC 6750), replacing other credentials. */
        public Builder bearerToken(String token) {
            HttpAuthorization.bearer(token); // validates
            this.bearerToken = token;
            this.basicAuth = null;
            return this;
        }

        /**
         * The subprotocols to offer, most preferred first; none by default.
         *
         * @throws IllegalArgumentException if one is not an HTTP token or one is there twice
         */
        public Builder subprotocols(String... preferred) {
            List<String> list = List.of(preferred);
            probe.subprotocols(list);
            this.subprotocols = list;
            return this;
        }

        /**
         * Permessage-deflate (RFC 7692): whether it is offered, from which size and at which level
         * messages are compressed, and the parameters offered; {@link DeflateOptions#defaults()}
         * (offered, from 32 bytes, level 6) by default. A server that declines it leaves the
         * connection uncompressed.
         */
        public Builder compression(DeflateOptions options) {
            this.compression = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Offers permessage-deflate with the other compression settings, or not at all; on by default. */
        public Builder compression(boolean enabled) {
            this.compression = compression.toBuilder().enabled(enabled).build();
            return this;
        }

        /**
         * Connects through the HTTP proxy at {@code address} with {@code CONNECT} (RFC 9110
         * §9.3.6), for {@code ws} and {@code wss} alike: for {@code wss}, TLS starts inside the
         * tunnel and checks the certificate against the target's host name, not the proxy's.
         */
        public Builder proxy(InetSocketAddress address) {
            this.proxy = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Sends {@code Proxy-Authorization: Basic …} to the proxy. */
        public Builder proxyCredentials(String user, String password) {
            this.proxyAuthorization = HttpAuthorization.basic(user, password);
            return this;
        }

        /** The TLS context for {@code wss}; the JDK's default by default. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** TLS parameters (protocols, cipher suites…) for {@code wss}; the context's by default. */
        public Builder sslParameters(SSLParameters parameters) {
            this.sslParameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /**
         * Whether {@code wss} checks that the server's certificate names the host (on by default).
         * Turn it off only for tests and self-signed setups.
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** Whether {@code TCP_NODELAY} is set (on by default: Nagle's algorithm stalls round trips). */
        public Builder tcpNoDelay(boolean noDelay) {
            this.tcpNoDelay = noDelay;
            return this;
        }

        /** Every protocol setting at once, replacing what was set before; see {@link ProtocolOptions}. */
        public Builder protocolOptions(ProtocolOptions options) {
            this.protocol = options.toBuilder();
            return this;
        }

        /** @see ProtocolOptions#maxFrameSize() */
        public Builder maxFrameSize(int bytes) {
            protocol.maxFrameSize(bytes);
            return this;
        }

        /** Largest text and binary message accepted; see {@link ProtocolOptions#maxTextMessageSize()}. */
        public Builder maxMessageSize(int bytes) {
            protocol.maxMessageSize(bytes);
            return this;
        }

        /** @see ProtocolOptions#maxBufferedAmount() */
        public Builder maxBufferedAmount(long bytes) {
            protocol.maxBufferedAmount(bytes);
            return this;
        }

        /** @see ProtocolOptions#overflowPolicy() */
        public Builder overflowPolicy(OverflowPolicy policy) {
            protocol.overflowPolicy(policy);
            return this;
        }

        /** @see ProtocolOptions#pingInterval() */
        public Builder pingInterval(Duration interval) {
            protocol.pingInterval(interval);
            return this;
        }

        /** @see ProtocolOptions#pingTimeout() */
        public Builder pingTimeout(Duration timeout) {
            protocol.pingTimeout(timeout);
            return this;
        }

        /** @see ProtocolOptions#idleTimeout() */
        public Builder idleTimeout(Duration timeout) {
            protocol.idleTimeout(timeout);
            return this;
        }

        /** @see ProtocolOptions#closeTimeout() */
        public Builder closeTimeout(Duration timeout) {
            protocol.closeTimeout(timeout);
            return this;
        }

        /** Runs listener code on {@code executor}, one connection's events in order; see {@link ProtocolOptions#executor()}. */
        public Builder executor(Executor executor) {
            protocol.executor(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        /** @see ProtocolOptions#virtualThreads() */
        public Builder virtualThreads(boolean virtualThreads) {
            protocol.virtualThreads(virtualThreads);
            return this;
        }

        /** @see ProtocolOptions#directDispatch() */
        public Builder directDispatch(boolean direct) {
            protocol.directDispatch(direct);
            return this;
        }

        /** @see ProtocolOptions#jsonCodec() */
        public Builder jsonCodec(JsonCodec codec) {
            protocol.jsonCodec(codec);
            return this;
        }

        /**
         * Number of I/O threads the client starts (at most 2 by default); ignored with {@link
         * #eventLoopGroup}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("'ioThreads' must be at least 1, was " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /** Runs on {@code shared}, which the client does not stop on {@link WebSocketClient#close()}. */
        public Builder eventLoopGroup(EventLoopGroup shared) {
            this.group = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /** The policy of {@link WebSocketClient#connectReconnecting}; {@link ReconnectPolicy#defaults()} by default. */
        public Builder reconnectPolicy(ReconnectPolicy policy) {
            this.reconnectPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The client, which starts its I/O threads now unless a group was given. */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("'" + name + "' must be positive, was " + d);
            }
            return d;
        }
    }
}
