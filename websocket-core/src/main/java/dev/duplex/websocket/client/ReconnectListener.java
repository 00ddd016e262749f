package dev.duplex.websocket.client;

import dev.duplex.websocket.WebSocket;
import java.time.Duration;

/**
 * Hears about each attempt of a {@link ReconnectingWebSocket}; the connection's own events still
 * go to its {@link dev.duplex.websocket.WebSocketListener}. Every method has an empty default.
 * Methods may be called from any thread, one attempt's in order: {@link #onAttempt}, then {@link
 * #onConnected} or {@link #onAttemptFailed} (or {@link #onGiveUp}).
 */
public interface ReconnectListener {

    /** Attempt number {@code attempt} (from 1, counting since the last open connection) starts. */
    default void onAttempt(int attempt) {}

    /** Attempt {@code attempt} opened {@code webSocket}; the count starts over. */
    default void onConnected(WebSocket webSocket, int attempt) {}

    /** Attempt {@code attempt} failed with {@code error}; the next one starts after {@code nextDelay}. */
    default void onAttemptFailed(int attempt, Throwable error, Duration nextDelay) {}

    /**
     * No further attempt will be made: the policy's maximum was reached, the client was closed
     * ({@code attempts} 0), or an open connection closed with a code the policy does not reconnect
     * after ({@code attempts} 0, {@code lastError} a {@link dev.duplex.websocket.ConnectionClosedException}).
     * Called at most once; not called after {@link ReconnectingWebSocket#close()}.
     */
    default void onGiveUp(int attempts, Throwable lastError) {}
}
