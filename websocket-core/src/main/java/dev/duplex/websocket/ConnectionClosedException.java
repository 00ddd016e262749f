package dev.duplex.websocket;

import org.jspecify.annotations.Nullable;

/**
 * An operation could not complete because the connection is closing or closed: a send, a ping,
 * a lookup in the registry by an id that is gone. Pending sends fail with it when the connection
 * ends before their bytes reach the socket.
 */
public class ConnectionClosedException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
