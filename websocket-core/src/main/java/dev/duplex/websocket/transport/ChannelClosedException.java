package dev.duplex.websocket.transport;

import dev.duplex.websocket.ConnectionClosedException;
import org.jspecify.annotations.Nullable;

/**
 * A write could not complete because its connection closed first (or was already closed). Its
 * cause, when there is one, is what closed the connection.
 */
public class ChannelClosedException extends ConnectionClosedException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and what closed the connection, if known. */
    public ChannelClosedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
