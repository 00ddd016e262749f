package dev.duplex.websocket;

import java.time.Duration;

/**
 * Watches the life of connections for metrics and logs: opens, closes, messages and bytes each
 * way, failed handshakes, ping round trips. Configured once per client or server (the Spring
 * starter plugs in Micrometer); every method has an empty default.
 *
 * <p>Methods are called on I/O and dispatch threads, concurrently for different connections:
 * they must be thread-safe, fast and must not block. An exception thrown here is logged and
 * otherwise ignored. {@code endpoint} is a bounded label: the path template on a server
 * (`/chat/{room}`), the client's name on a client — never a connection id or a concrete path.
 */
public interface WebSocketObserver {

    /** Which side of the connection this process plays. */
    enum Side {
        /** The side that opened the connection. */
        CLIENT,
        /** The side that accepted it. */
        SERVER
    }

    /** The kind of a data message. */
    enum MessageKind {
        /** A text message. */
        TEXT,
        /** A binary message. */
        BINARY
    }

    /** An observer that does nothing. */
    WebSocketObserver NONE = new WebSocketObserver() {};

    /** A connection opened (its handshake succeeded). */
    default void opened(WebSocket webSocket, Side side, String endpoint) {}

    /** A connection closed, with the code reported to {@code onClose}. Called once per opened connection. */
    default void closed(WebSocket webSocket, Side side, String endpoint, int code) {}

    /** A whole message was received: {@code bytes} of payload (UTF-8 bytes for text). */
    default void messageReceived(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {}

    /** A message was queued for sending: {@code bytes} of payload. */
    default void messageSent(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {}

    /**
     * An opening handshake failed.
     *
     * @param reason a bounded label: the HTTP status on a server ({@code "403"}), or on a client
     *     the status received or a short kind such as {@code "timeout"} or {@code "refused"}
     */
    default void handshakeFailed(Side side, String endpoint, String reason) {}

    /** A ping sent by {@link WebSocket#ping} was answered after {@code roundTrip}. */
    default void pingRoundTrip(WebSocket webSocket, Side side, String endpoint, Duration roundTrip) {}
}
