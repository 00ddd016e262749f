package dev.duplex.websocket.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Client-side connection set-up: resolution, socket options, handing the socket to a loop. */
final class Connector {

    private Connector() {}

    /** Resolves {@code address}; blocking, so never called on a loop thread. */
    static InetSocketAddress resolve(InetSocketAddress address) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address.getHostString()), address.getPort());
        } catch (UnknownHostException e) {
            UnknownHostException failure = new UnknownHostException("could not resolve " + address.getHostString());
            failure.initCause(e);
            throw new CompletionException(failure);
        }
    }

    static void start(
            EventLoop loop,
            InetSocketAddress remote,
            String host,
            ConnectionOptions options,
            @Nullable TlsOptions tls,
            Function<Connection, ConnectionHandler> handlerFactory,
            CompletableFuture<Connection> result) {
        start(loop, remote, host, remote.getPort(), false, options, tls, handlerFactory, result);
    }

    /**
     * Connects to {@code remote}; with {@code tls}, the engine is made for {@code host:port} (SNI and
     * hostname verification), which is not {@code remote} when tunnelling through a proxy, and its
     * handshake waits for {@link Connection#startTls()} when {@code deferTls} is set.
     */
    static void start(
            EventLoop loop,
            InetSocketAddress remote,
            String host,
            int port,
            boolean deferTls,
            ConnectionOptions options,
            @Nullable TlsOptions tls,
            Function<Connection, ConnectionHandler> handlerFactory,
            CompletableFuture<Connection> result) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            configure(channel, options);
            Connection c = tls == null
                    ? new PlainConnection(loop, channel, options)
                    : new TlsConnection(loop, channel, options, tls.clientEngine(host, port), deferTls);
            c.opening = new Opening(remote, handlerFactory::apply, result, null);
            if (!c.submit(() -> c.startConnect(remote))) {
                channel.close();
                result.completeExceptionally(new RejectedExecutionException("the event loop group is shut down"));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            result.completeExceptionally(e);
        }
    }

    static void configure(SocketChannel channel, ConnectionOptions options) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
    }

    static void closeQuietly(@Nullable SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to do.
            }
        }
    }
}
