package dev.duplex.websocket;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception Duplex raises for a failure of the protocol, the handshake or the
 * connection. Caller mistakes (a bad argument, a call in the wrong state) are reported with the
 * JDK's {@link IllegalArgumentException} and {@link IllegalStateException} instead.
 */
public class WebSocketException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebSocketException(String message) {
        super(message);
    }

    public WebSocketException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
