package dev.duplex.websocket.server;

import dev.duplex.websocket.ConnectionClosedException;

/**
 * A registry was asked for a connection it does not hold: the id never existed, or the connection
 * has closed since (IRIS {@code OpenServer} on a WebSocket that is gone).
 */
public final class UnknownConnectionException extends ConnectionClosedException {

    private static final long serialVersionUID = 1L;

    private final String id;

    /** @param id the id that was looked up */
    public UnknownConnectionException(String id) {
        super("No open connection with id " + id);
        this.id = id;
    }

    /** The id that was looked up. */
    public String id() {
        return id;
    }
}
