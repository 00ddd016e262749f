package dev.duplex.websocket.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A fixed set of {@link EventLoop}s serving any number of connections: each connection is
 * assigned to one loop, round-robin, for its whole life, so 10,000 idle connections cost the same
 * few threads as ten. Clients and servers may share one group.
 *
 * <p>Thread-safe. {@link #close()} shuts down gracefully and waits; {@link #shutdownNow()} aborts
 * every connection.
 */
public final class EventLoopGroup implements AutoCloseable {

    /** How long {@link #close()} lets connections flush before aborting them. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    /** Resolves host names off the I/O threads; its few threads exist only while lookups run. */
    private static final Executor RESOLVER = resolverExecutor();

    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final CompletableFuture<Void> termination;
    private volatile boolean shutdown;

    /** Starts a group with {@link TransportOptions#defaults()}. */
    public EventLoopGroup() {
        this(TransportOptions.defaults());
    }

    /** Starts a group of {@link TransportOptions#ioThreads()} loops. */
    public EventLoopGroup(TransportOptions options) {
        Objects.requireNonNull(options, "options");
        loops = new EventLoop[options.ioThreads()];
        CompletableFuture<?>[] terminations = new CompletableFuture<?>[loops.length];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(this, "duplex-io-" + THREAD_NUMBERS.incrementAndGet(), options.readBufferSize());
            terminations[i] = loops[i].terminationFuture();
        }
        termination = CompletableFuture.allOf(terminations);
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    /** Number of loops (threads). */
    public int size() {
        return loops.length;
    }

    /** The loop the next connection goes to (round-robin). */
    public EventLoop next() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    /**
     * Opens a plain client connection to {@code proxy} that will carry TLS for {@code host:port}
     * once the plain exchange with the proxy (an HTTP {@code CONNECT}) is done. The future
     * completes, and {@code handlerFactory} is called, as soon as TCP is connected; the handler
     * then calls {@link Connection#startTls()}. The TLS engine is made for {@code host} and {@code
     * port} — the server behind the proxy, not the proxy — so SNI and hostname verification check
     * the same name as a direct connection would. Otherwise as {@link #connect}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the group is shut down
     */
    public CompletableFuture<Connection> connectTunnel(
            InetSocketAddress proxy,
            String host,
            int port,
            ConnectionOptions options,
            TlsOptions tls,
            Function<Connection, ConnectionHandler> handlerFactory) {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(handlerFactory, "handlerFactory");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'port' must be in [1, 65535], was " + port);
        }
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the event loop group is shut down");
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        InetSocketAddress literal = proxy.isUnresolved() ? Addresses.resolveLiteral(proxy) : proxy;
        if (literal != null) {
            Connector.start(next(), literal, host, port, true, options, tls, handlerFactory, result);
            return result;
        }
        CompletableFuture.supplyAsync(() -> Connector.resolve(proxy), RESOLVER).whenComplete((resolved, failure) -> {
            if (failure != null) {
                result.completeExceptionally(
                        failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);
            } else {
                Connector.start(next(), resolved, host, port, true, options, tls, handlerFactory, result);
            }
        });
        return result;
    }

    /**
     * Opens a client connection to {@code remote}. An unresolved address is resolved off the I/O
     * threads (an IP literal at once, as no lookup is needed). The future completes, on the connection's loop, once TCP is connected and (with
     * {@code tls}) the TLS handshake is done; {@code handlerFactory} is called just before, on the
     * same thread, and reads start after it returns. It fails with a {@link
     * java.net.SocketTimeoutException} after {@link ConnectionOptions#connectTimeout()}, a {@link
     * java.net.ConnectException} when refused, a {@link java.net.UnknownHostException} when the
     * name does not resolve, or the TLS handshake's {@link javax.net.ssl.SSLException}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the group is shut down
     */
    public CompletableFuture<Connection> connect(
            InetSocketAddress remote,
            ConnectionOptions options,
            @Nullable TlsOptions tls,
            Function<Connection, ConnectionHandler> handlerFactory) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlerFactory, "handlerFactory");
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the event loop group is shut down");
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (!remote.isUnresolved()) {
            Connector.start(next(), remote, remote.getHostString(), options, tls, handlerFactory, result);
            return result;
        }
        String host = remote.getHostString();
        InetSocketAddress literal = Addresses.resolveLiteral(remote);
        if (literal != null) {
            Connector.start(next(), literal, host, options, tls, handlerFactory, result);
            return result;
        }
        CompletableFuture.supplyAsync(() -> Connector.resolve(remote), RESOLVER).whenComplete((resolved, failure) -> {
            if (failure != null) {
                result.completeExceptionally(
                        failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);
            } else {
                Connector.start(next(), resolved, host, options, tls, handlerFactory, result);
            }
        });
        return result;
    }

    /**
     * Listens on {@code local} (port 0 picks a free port: see {@link Acceptor#localAddress()}) and
     * hands each accepted connection, spread over the loops, to {@code handler}.
     *
     * @throws IOException when the address cannot be bound
     * @throws java.util.concurrent.RejectedExecutionException when the group is shut down
     */
    public Acceptor bind(
            InetSocketAddress local,
            AcceptorOptions acceptorOptions,
            ConnectionOptions connectionOptions,
            @Nullable TlsOptions tls,
            AcceptHandler handler)
            throws IOException {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("the event loop group is shut down");
        }
        return Acceptor.open(this, local, acceptorOptions, connectionOptions, tls, handler);
    }

    /** Whether a shutdown has begun. */
    public boolean isShutdown() {
        return shutdown;
    }

    /**
     * Stops accepting work and closes every connection gracefully: each flushes its queued writes
     * and closes; connections still open after {@code timeout} are aborted. Returns at once.
     *
     * @return completes when every loop thread has ended
     */
    public CompletableFuture<Void> shutdownGracefully(Duration timeout) {
        shutdown = true;
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        for (EventLoop loop : loops) {
            loop.shutdownGracefully(deadline);
        }
        return termination;
    }

    /**
     * Aborts every connection (pending writes fail) and ends the loop threads. Returns at once.
     *
     * @return completes when every loop thread has ended
     */
    public CompletableFuture<Void> shutdownNow() {
        shutdown = true;
        for (EventLoop loop : loops) {
            loop.shutdownNow();
        }
        return termination;
    }

    /** Completes when every loop thread has ended. */
    public CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /**
     * Shuts down gracefully with {@link #DEFAULT_SHUTDOWN_TIMEOUT} and waits for the threads to end
     * (unless called from one of them, which cannot wait for itself).
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdownGracefully(DEFAULT_SHUTDOWN_TIMEOUT);
        for (EventLoop loop : loops) {
            if (loop.inEventLoop()) {
                return;
            }
        }
        try {
            done.get(DEFAULT_SHUTDOWN_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            shutdownNow();
        }
    }

    private static Executor resolverExecutor() {
        AtomicInteger numbers = new AtomicInteger();
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "duplex-resolver-" + numbers.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
