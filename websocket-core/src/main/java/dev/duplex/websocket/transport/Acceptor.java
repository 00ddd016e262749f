package dev.duplex.websocket.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A listening socket. It accepts on one loop and spreads the accepted connections over its
 * group's loops, round-robin; each reaches {@link AcceptHandler#accepted(Connection)} once ready
 * for bytes, or {@link AcceptHandler#rejected(Connection)} past {@link
 * AcceptorOptions#maxConnections()}. Created by {@link EventLoopGroup#bind}. Thread-safe.
 */
public final class Acceptor implements AutoCloseable {

    /** Accepts per readiness event, so that a flood of connects does not starve the loop. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /** Pause after accept() fails (out of file descriptors, say) before trying again. */
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final InetSocketAddress localAddress;
    private final AcceptorOptions acceptorOptions;
    private final ConnectionOptions connectionOptions;
    private final @Nullable TlsOptions tls;
    private final AcceptHandler handler;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Loop thread only. */
    private @Nullable SelectionKey key;

    private Acceptor(
            EventLoopGroup group,
            ServerSocketChannel server,
            AcceptorOptions acceptorOptions,
            ConnectionOptions connectionOptions,
            @Nullable TlsOptions tls,
            AcceptHandler handler)
            throws IOException {
        this.group = group;
        this.loop = group.next();
        this.server = server;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.acceptorOptions = acceptorOptions;
        this.connectionOptions = connectionOptions;
        this.tls = tls;
        this.handler = handler;
    }

    static Acceptor open(
            EventLoopGroup group,
            InetSocketAddress local,
            AcceptorOptions acceptorOptions,
            ConnectionOptions connectionOptions,
            @Nullable TlsOptions tls,
            AcceptHandler handler)
            throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(acceptorOptions, "acceptorOptions");
        Objects.requireNonNull(connectionOptions, "connectionOptions");
        Objects.requireNonNull(handler, "handler");
        ServerSocketChannel server = ServerSocketChannel.open();
        Acceptor acceptor;
        try {
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(local, acceptorOptions.backlog());
            acceptor = new Acceptor(group, server, acceptorOptions, connectionOptions, tls, handler);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        acceptor.loop.execute(acceptor::register);
        return acceptor;
    }

    /** The bound address, with the real port when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The bound port. */
    public int port() {
        return localAddress.getPort();
    }

    /** Accepted connections open now (not counting rejected ones). */
    public int openConnections() {
        return openConnections.get();
    }

    /** Whether the socket still listens. */
    public boolean isOpen() {
        return server.isOpen();
    }

    /**
     * Stops listening and releases the port; connections already accepted stay open. Returns at
     * once; idempotent.
     */
    @Override
    public void close() {
        if (!loop.runOnLoop(this::closeOnLoop)) {
            closeOnLoop(); // the loop is gone: nobody else touches the socket any more
        }
    }

    /** Completes when the port has been released. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    private void register() {
        if (!server.isOpen()) {
            return;
        }
        try {
            key = loop.register(server, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            closeOnLoop();
            handler.acceptFailed(e);
        }
    }

    void closeOnLoop() {
        SelectionKey k = key;
        if (k != null) {
            k.cancel();
        }
        try {
            server.close();
        } catch (IOException e) {
            // Released anyway.
        }
        closed.complete(null);
    }

    void onAcceptable() {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                pauseAccepting();
                notifyFailure(e);
                return;
            }
            if (channel == null) {
                return;
            }
            handOver(channel);
        }
    }

    private void handOver(SocketChannel channel) {
        boolean admitted = openConnections.incrementAndGet() <= acceptorOptions.maxConnections();
        if (!admitted) {
            openConnections.decrementAndGet();
        }
        try {
            Connector.configure(channel, connectionOptions);
            EventLoop target = group.next();
            Connection c = tls == null
                    ? new PlainConnection(target, channel, connectionOptions)
                    : new TlsConnection(target, channel, connectionOptions, tls.serverEngine(), false);
            Function<Connection, @Nullable ConnectionHandler> factory =
                    admitted ? handler::accepted : handler::rejected;
            c.opening = new Opening(null, factory, null, this::notifyFailure);
            if (admitted) {
                c.closeHook = openConnections::decrementAndGet;
            }
            if (!c.submit(c::startAccepted)) {
                throw new IOException("the event loop group is shut down");
            }
        } catch (IOException | RuntimeException e) {
            if (admitted) {
                openConnections.decrementAndGet();
            }
            Connector.closeQuietly(channel);
            notifyFailure(e);
        }
    }

    private void pauseAccepting() {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        k.interestOps(0);
        loop.schedule(
                () -> {
                    if (k.isValid()) {
                        k.interestOps(SelectionKey.OP_ACCEPT);
                    }
                },
                ACCEPT_RETRY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void notifyFailure(Throwable cause) {
        try {
            handler.acceptFailed(cause);
        } catch (RuntimeException e) {
            System.getLogger(Acceptor.class.getName())
                    .log(System.Logger.Level.WARNING, "acceptFailed of " + handler + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "Acceptor[" + Addresses.format(localAddress) + "]";
    }
}
