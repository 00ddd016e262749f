package dev.duplex.websocket.server;

import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.codec.CloseCodes;
import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.handshake.ExtensionNegotiator;
import dev.duplex.websocket.handshake.HandshakeRejection;
import dev.duplex.websocket.handshake.HttpRequestParser;
import dev.duplex.websocket.handshake.OriginMatcher;
import dev.duplex.websocket.handshake.PathTemplate;
import dev.duplex.websocket.handshake.PerMessageDeflateNegotiator;
import dev.duplex.websocket.handshake.ServerHandshake;
import dev.duplex.websocket.transport.AcceptHandler;
import dev.duplex.websocket.transport.Acceptor;
import dev.duplex.websocket.transport.AcceptorOptions;
import dev.duplex.websocket.transport.Connection;
import dev.duplex.websocket.transport.ConnectionHandler;
import dev.duplex.websocket.transport.ConnectionOptions;
import dev.duplex.websocket.transport.DispatchExecutors;
import dev.duplex.websocket.transport.EventLoopGroup;
import dev.duplex.websocket.transport.ProtocolOptions;
import dev.duplex.websocket.transport.TlsOptions;
import dev.duplex.websocket.transport.TransportOptions;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A standalone WebSocket server (no servlet container) hosting {@link DuplexEndpoint}s on one port,
 * over the shared non-blocking transport: a few I/O threads own every socket, and each connection's
 * hooks run in order off them.
 *
 * <pre>{@code
 * try (WebSocketServer server = WebSocketServer.builder()
 *         .port(8080)
 *         .endpoint("/echo", new EchoEndpoint())
 *         .endpoint("/chat/{room}", ChatEndpoint::new) // a fresh instance per connection
 *         .allowedOrigins("https://*.example.com")
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>Handshakes</h2>
 * A request goes to the endpoint whose path template matches, the most specific first (literal
 * paths before templates); no match is 404. Then the RFC 6455 checks ({@link ServerHandshake}: 405,
 * 400, 426, 403 for a refused {@code Origin} — by default only same-origin browser requests pass;
 * requests without {@code Origin} always do), then the endpoint's {@code onHandshake}. A head
 * larger than {@link Builder#maxHandshakeSize} is 431; one not complete within {@link
 * Builder#handshakeTimeout} is 408 and the connection is closed (a slow-loris client holds nothing
 * for long); a connection past {@link Builder#maxConnections} gets 503 and is closed.
 *
 * <h2>Life cycle</h2>
 * {@link #start()} binds; {@link #stop()} stops accepting, closes every open connection with 1001
 * (going away) and waits for the closing handshakes up to the drain timeout, aborts what is left
 * and releases the port. Thread-safe.
 *
 * <p>Counterparts in the seeds: the CSP Gateway that hosts IRIS {@code %CSP.WebSocket} classes,
 * the BedSheet/WebMod server of afWebSockets with its {@code allowedOrigins} and its {@code
 * WebSockets} service ({@link #registry()}).
 */
public final class WebSocketServer implements AutoCloseable {

    /** Default port: 8080. */
    public static final int DEFAULT_PORT = 8080;
    /** Default time a client has to send its whole request head: 10 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default time {@link #stop()} waits for closing handshakes: 5 seconds. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Default largest request head: {@link HttpRequestParser#DEFAULT_MAX_HEAD_SIZE} (8 KiB). */
    public static final int DEFAULT_MAX_HANDSHAKE_SIZE = HttpRequestParser.DEFAULT_MAX_HEAD_SIZE;

    private static final System.Logger LOG = System.getLogger(WebSocketServer.class.getName());
    private static final AtomicInteger SERVE_THREADS = new AtomicInteger();

    private final String host;
    private final int requestedPort;
    private final @Nullable SSLContext sslContext;
    private final List<Route> routes;
    private final ServerHandshake handshake;
    private final ProtocolOptions protocolOptions;
    private final DeflateOptions compression;
    private final Duration handshakeTimeout;
    private final int maxHandshakeSize;
    private final int maxConnections;
    private final int backlog;
    private final int ioThreads;
    private final Duration drainTimeout;
    private final ConnectionRegistry registry;
    private final Executor hookExecutor;
    /** This server's open connections, for stop(); the registry may be shared or remote. */
    private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();

    private final Object lifecycle = new Object();
    /** Guarded by lifecycle. */
    private @Nullable EventLoopGroup group;
    /** Guarded by lifecycle. */
    private @Nullable Acceptor acceptor;

    private volatile boolean stopping;

    private WebSocketServer(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.sslContext = b.sslContext;
        List<Route> sorted = new ArrayList<>(b.routes);
        sorted.sort((x, y) -> PathTemplate.SPECIFICITY.compare(x.template(), y.template()));
        this.routes = List.copyOf(sorted);
        this.compression = b.compression;
        this.handshake = ServerHandshake.builder()
                .origins(b.origins)
                .subprotocols(b.subprotocols)
                .extensions(
                        compression.enabled()
                                ? new PerMessageDeflateNegotiator(
                                        compression.serverNoContextTakeover(),
                                        compression.clientNoContextTakeover(),
                                        compression.clientMaxWindowBits())
                                : ExtensionNegotiator.NONE)
                .build();
        this.protocolOptions = b.protocolOptions;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxHandshakeSize = b.maxHandshakeSize;
        this.maxConnections = b.maxConnections;
        this.backlog = b.backlog;
        this.ioThreads = b.ioThreads;
        this.drainTimeout = b.drainTimeout;
        this.registry = b.registry != null ? b.registry : new InMemoryConnectionRegistry();
        Executor executor = protocolOptions.executor();
        this.hookExecutor = protocolOptions.directDispatch()
                ? Runnable::run
                : executor != null ? executor : DispatchExecutors.defaultExecutor(protocolOptions.virtualThreads());
    }

    /** A builder with the defaults: port 8080 on every interface, same-origin only, no endpoint. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving. Returns this.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when already started
     */
    public WebSocketServer start() throws IOException {
        synchronized (lifecycle) {
            if (group != null) {
                throw new IllegalStateException("The server was already started");
            }
            EventLoopGroup g = new EventLoopGroup(
                    TransportOptions.builder().ioThreads(ioThreads).build());
            ConnectionOptions connectionOptions = ConnectionOptions.builder()
                    .maxBufferedAmount(protocolOptions.maxBufferedAmount())
                    .closeOnOverflow(protocolOptions.overflowPolicy() == OverflowPolicy.CLOSE)
                    .build();
            AcceptorOptions acceptorOptions = AcceptorOptions.builder()
                    .backlog(backlog)
                    .maxConnections(maxConnections)
                    .build();
            try {
                acceptor = g.bind(
                        new InetSocketAddress(host, requestedPort),
                        acceptorOptions,
                        connectionOptions,
                        sslContext == null ? null : TlsOptions.of(sslContext),
                        new Accepting());
            } catch (IOException | RuntimeException e) {
                g.shutdownNow();
                throw e;
            }
            group = g;
            return this;
        }
    }

    /** The bound port (the real one when port 0 was asked for). */
    public int port() {
        return localAddress().getPort();
    }

    /**
     * The bound address.
     *
     * @throws IllegalStateException when the server is not started
     */
    public InetSocketAddress localAddress() {
        synchronized (lifecycle) {
            if (acceptor == null) {
                throw new IllegalStateException("The server is not started");
            }
            return acceptor.localAddress();
        }
    }

    /** Whether the server is started and not stopping. */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return acceptor != null && !stopping;
        }
    }

    /** The registry of this server's open connections. */
    public ConnectionRegistry registry() {
        return registry;
    }

    /** Number of this server's open WebSocket connections (handshakes in progress not counted). */
    public int openConnections() {
        return open.size();
    }

    /**
     * Stops gracefully: stops accepting, sends every open connection 1001 (going away), waits up to
     * the drain timeout for their closing handshakes, aborts the rest and releases the port. Blocks
     * until done; does nothing if not running.
     */
    public void stop() {
        EventLoopGroup g;
        Acceptor a;
        synchronized (lifecycle) {
            if (group == null || stopping) {
                return;
            }
            stopping = true;
            g = group;
            a = Objects.requireNonNull(acceptor);
        }
        a.close();
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (WebSocketConnection ws : open) {
            closing.add(goAway(ws));
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
                    .get(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Aborted below.
        }
        for (WebSocketConnection ws : open) {
            ws.abort();
        }
        // An aborted connection leaves on its hook thread, maybe after stop() returns: it is gone
        // already, so that openConnections() and the registry say so at once.
        for (WebSocketConnection ws : open) {
            registry.unregister(ws);
            open.remove(ws);
        }
        long left = Math.max(0, deadline - System.nanoTime());
        try {
            g.shutdownGracefully(Duration.ofNanos(left)).get(left + TimeUnit.SECONDS.toNanos(2), TimeUnit.NANOSECONDS);
            a.closeFuture().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            g.shutdownNow();
        } catch (ExecutionException | TimeoutException e) {
            g.shutdownNow();
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + host + ":" + requestedPort + ", " + routes.size() + " endpoints]";
    }

    private static CompletableFuture<?> goAway(WebSocketConnection ws) {
        if (ws.readyState() == ReadyState.OPEN) {
            return ws.closeWithStatus(CloseCodes.GOING_AWAY, "Server stopping");
        }
        return ws.closeFuture();
    }

    // ------------------------------------------------------------------ for the handshake phase

    /** A route and the path variables of a request. */
    record Match(Route route, Map<String, String> variables) {}

    /** The most specific route matching {@code rawPath}, or null. */
    @Nullable
    Match route(String rawPath) {
        for (Route r : routes) {
            Map<String, String> vars = r.template().match(rawPath);
            if (vars != null) {
                return new Match(r, vars);
            }
        }
        return null;
    }

    DuplexEndpoint instantiate(Route route) {
        DuplexEndpoint endpoint = route.instance();
        if (endpoint instanceof JsonEndpoint<?> json) {
            json.useJsonCodec(protocolOptions.jsonCodec());
        }
        return endpoint;
    }

    ServerHandshake handshake() {
        return handshake;
    }

    ProtocolOptions protocolOptions() {
        return protocolOptions;
    }

    /** The permessage-deflate settings of this server's handshakes and connections. */
    DeflateOptions compression() {
        return compression;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    int maxHandshakeSize() {
        return maxHandshakeSize;
    }

    Executor hookExecutor() {
        return hookExecutor;
    }

    /** A hook for metrics: a handshake was refused with {@code status}. */
    void handshakeRejected(int status) {
        LOG.log(System.Logger.Level.DEBUG, "Handshake rejected with {0}", status);
    }

    /** A connection opened; loop thread, before its onOpen. */
    void opened(WebSocketConnection ws, String endpoint) {
        open.add(ws);
        registry.register(ws, endpoint);
        if (stopping) {
            goAway(ws);
        }
    }

    /** A connection closed; before its endpoint's onClose. */
    void closed(WebSocket ws) {
        registry.unregister(ws);
        if (ws instanceof WebSocketConnection c) {
            open.remove(c);
        }
    }

    /** Runs an endpoint's {@code serve} on a thread of its own; {@code done} runs after it. */
    void startServing(WebSocket ws, DuplexEndpoint endpoint, Runnable done) {
        Runnable task = () -> {
            try {
                endpoint.serve(ws);
                if (ws.readyState() == ReadyState.OPEN) {
                    ws.close();
                }
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(System.Logger.Level.WARNING, "serve failed on " + ws, t);
                if (ws.readyState() == ReadyState.OPEN) {
                    EndpointListener.internalError(ws);
                }
            } finally {
                done.run();
            }
        };
        Optional<Executor> virtual = DispatchExecutors.virtualThreads();
        if (virtual.isPresent()) {
            virtual.get().execute(task);
        } else {
            Thread thread = new Thread(task, "duplex-serve-" + SERVE_THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Hands accepted connections their handshake handler, and answers those past the limit. */
    private final class Accepting implements AcceptHandler {
        @Override
        public ConnectionHandler accepted(Connection connection) {
            return new HandshakeHandler(WebSocketServer.this, connection);
        }

        @Override
        public ConnectionHandler rejected(Connection connection) {
            handshakeRejected(503);
            byte[] response = HandshakeRejection.of(503, "Too many connections").toBytes();
            connection.write(0, ByteBuffer.wrap(response));
            connection.close();
            return new Discarding();
        }

        @Override
        public void acceptFailed(Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, "Accepting a connection failed", cause);
        }
    }

    /** Reads and drops whatever a refused client still sends. */
    private static final class Discarding implements ConnectionHandler {
        @Override
        public void onRead(ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void onClosed(@Nullable Throwable cause) {}
    }

    /** Configures a {@link WebSocketServer}. Not thread-safe; each setter checks its argument at once. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private @Nullable SSLContext sslContext;
        private final List<Route> routes = new ArrayList<>();
        private OriginMatcher origins = OriginMatcher.sameOrigin();
        private List<String> subprotocols = List.of();
        private ProtocolOptions protocolOptions = ProtocolOptions.defaults();
        private DeflateOptions compression = DeflateOptions.defaults();
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxHandshakeSize = DEFAULT_MAX_HANDSHAKE_SIZE;
        private int maxConnections = AcceptorOptions.DEFAULT_MAX_CONNECTIONS;
        private int backlog = AcceptorOptions.DEFAULT_BACKLOG;
        private int ioThreads = TransportOptions.DEFAULT_IO_THREADS;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private @Nullable ConnectionRegistry registry;

        private Builder() {}

        /** The address to listen on: a host name or literal; {@code 0.0.0.0} (every interface) by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port; 0 picks a free one, reported by {@link WebSocketServer#port()}.
         *
         * @throws IllegalArgumentException when outside [0, 65535]
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("'port' must be in [0, 65535], was " + port);
            }
            this.port = port;
            return this;
        }

        /** Serves {@code wss} with this context's server certificate; null (the default) serves plain {@code ws}. */
        public Builder tls(@Nullable SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * Hosts one shared endpoint instance at a path template ({@code /chat/{room}}).
         *
         * @throws IllegalArgumentException if the template is invalid or already registered
         */
        public Builder endpoint(String pathTemplate, DuplexEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            return add(new Route(PathTemplate.compile(pathTemplate), endpoint, null));
        }

        /**
         * Hosts an endpoint with a fresh instance per connection, from {@code factory}.
         *
         * @throws IllegalArgumentException if the template is invalid or already registered
         */
        public Builder endpoint(String pathTemplate, Supplier<? extends DuplexEndpoint> factory) {
            Objects.requireNonNull(factory, "factory");
            return add(new Route(PathTemplate.compile(pathTemplate), null, factory));
        }

        private Builder add(Route route) {
            for (Route r : routes) {
                if (r.template().equals(route.template())) {
                    throw new IllegalArgumentException("'pathTemplate' " + route.template() + " is already registered");
                }
            }
            routes.add(route);
            return this;
        }

        /**
         * The origins browsers may connect from, as globs ({@code https://*.example.com}, {@code
         * http://localhost:*}, {@code *}); none (the default) allows the same origin only. Requests
         * without {@code Origin} always pass.
         *
         * @throws IllegalArgumentException if a pattern is invalid
         */
        public Builder allowedOrigins(String... patterns) {
            this.origins = OriginMatcher.of(patterns);
            return this;
        }

        /** As {@link #allowedOrigins(String...)}. */
        public Builder allowedOrigins(List<String> patterns) {
            this.origins = OriginMatcher.of(patterns);
            return this;
        }

        /**
         * The subprotocols the server speaks, most preferred first; the first one the client offers
         * is chosen (an endpoint's {@code onHandshake} may choose another).
         *
         * @throws IllegalArgumentException if one is not an HTTP token or is repeated
         */
        public Builder subprotocols(String... preferred) {
            ServerHandshake.builder().subprotocols(preferred); // validates
            this.subprotocols = List.of(preferred);
            return this;
        }

        /**
         * The limits and behaviour of every connection: frame and message sizes, buffered amount and
         * overflow policy, idle timeout, keep-alive pings, close timeout, dispatch, JSON codec.
         */
        public Builder protocolOptions(ProtocolOptions options) {
            this.protocolOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Permessage-deflate (RFC 7692): whether a client's offer is accepted, from which size and
         * at which level messages are compressed, and the parameters this server declares or asks
         * for; {@link DeflateOptions#defaults()} (accepted, from 32 bytes, level 6) by default.
         * Offers this server cannot honour (a {@code server_max_window_bits} below 15) are declined.
         */
        public Builder compression(DeflateOptions options) {
            this.compression = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Accepts permessage-deflate with the other compression settings, or declines it; on by default. */
        public Builder compression(boolean enabled) {
            this.compression = compression.toBuilder().enabled(enabled).build();
            return this;
        }

        /**
         * How long a client has to send its whole request head; then it gets 408 and is closed.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("'handshakeTimeout' must be positive, was " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * The largest request head in bytes; a larger one gets 431.
         *
         * @throws IllegalArgumentException when less than 256
         */
        public Builder maxHandshakeSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("'maxHandshakeSize' must be at least 256, was " + bytes);
            }
            this.maxHandshakeSize = bytes;
            return this;
        }

        /**
         * The most connections open at once (handshakes included); past it a client gets 503.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("'maxConnections' must be at least 1, was " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * How many connections the kernel completes ahead of their acceptance (the listen
         * backlog), {@link AcceptorOptions#DEFAULT_BACKLOG} by default; raise it for bursts of
         * connections. The kernel may cap it ({@code net.core.somaxconn} on Linux).
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("'backlog' must be at least 1, was " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Number of I/O threads; the number of processors by default.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("'ioThreads' must be at least 1, was " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * How long {@link WebSocketServer#stop()} waits for closing handshakes before aborting.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder drainTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("'drainTimeout' must not be negative, was " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /** The registry to keep open connections in; a fresh {@link InMemoryConnectionRegistry} by default. */
        public Builder registry(ConnectionRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The server; not started.
         *
         * @throws IllegalStateException when no endpoint was added
         */
        public WebSocketServer build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("A server needs at least one endpoint");
            }
            return new WebSocketServer(this);
        }
    }
}
