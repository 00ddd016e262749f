package dev.duplex.websocket.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** What a connection needs only until it opens: its handler factory, who to tell, the timer. */
final class Opening {

    /** The address connected to; null on the server side. */
    final @Nullable InetSocketAddress remote;

    final Function<Connection, @Nullable ConnectionHandler> handlerFactory;
    /** Completed when the connection opens or fails to; null on the server side. */
    final @Nullable CompletableFuture<Connection> future;
    /** Told when the connection fails to open; null on the client side. */
    final @Nullable Consumer<Throwable> failureListener;
    /** Connect (and TLS handshake) timeout; loop thread only. */
    @Nullable
    Timeout timer;

    Opening(
            @Nullable InetSocketAddress remote,
            Function<Connection, @Nullable ConnectionHandler> handlerFactory,
            @Nullable CompletableFuture<Connection> future,
            @Nullable Consumer<Throwable> failureListener) {
        this.remote = remote;
        this.handlerFactory = handlerFactory;
        this.future = future;
        this.failureListener = failureListener;
    }

    void fail(Throwable cause) {
        if (future != null) {
            future.completeExceptionally(cause);
        }
        if (failureListener != null) {
            failureListener.accept(cause);
        }
    }
}
