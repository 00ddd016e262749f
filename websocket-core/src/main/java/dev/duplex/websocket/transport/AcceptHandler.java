package dev.duplex.websocket.transport;

import org.jspecify.annotations.Nullable;

/**
 * Receives the connections an {@link Acceptor} accepts. Called on the accepted connection's loop
 * thread once it is ready for bytes (for TLS: after the TLS handshake); must not block.
 */
public interface AcceptHandler {

    /** A connection was accepted; returns the handler of its bytes. */
    ConnectionHandler accepted(Connection connection);

    /**
     * A connection was accepted past {@link AcceptorOptions#maxConnections()}. The handler may
     * answer it (an HTTP 503, say) and close it; returning null, the default, aborts it at once.
     */
    default @Nullable ConnectionHandler rejected(Connection connection) {
        return null;
    }

    /**
     * Accepting, or preparing an accepted connection (its TLS handshake, say), failed. The
     * connection, if any, is closed; the acceptor keeps listening. Called on a loop thread.
     */
    default void acceptFailed(Throwable cause) {}
}
