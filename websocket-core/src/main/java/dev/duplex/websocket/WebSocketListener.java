package dev.duplex.websocket;

import java.nio.ByteBuffer;

/**
 * Receives the events of one connection. Every method has an empty default, so a listener
 * overrides only what it needs.
 *
 * <h2>Order and threads</h2>
 * For each connection: {@link #onOpen} exactly once; then zero or more {@link #onText},
 * {@link #onBinary}, {@link #onPing} and {@link #onPong} in the order of the wire; then at most
 * one {@link #onError}; then {@link #onClose} exactly once — also when the connection never
 * opened (the handshake failed; {@code onOpen} is then not called) or the peer vanished. Events
 * of one connection never run concurrently, and each sees the effects of the one before. They
 * run off the I/O threads by default, so a listener may block without stalling other
 * connections (it does delay the next event of its own connection).
 *
 * <p>Counterparts in the seeds: IRIS {@code %Net.WebSocket.IEventListener}, 4D's connection
 * handler ({@code onOpen}, {@code onMessage}, {@code onError}, {@code onTerminate}),
 * afWebSockets' {@code onOpen/onMessage/onError/onClose} hooks, and Qore's callback (its
 * "no message on close" call is {@link #onClose}).
 */
public interface WebSocketListener {

    /** The opening handshake completed; the connection is {@link ReadyState#OPEN}. */
    default void onOpen(WebSocket webSocket) {}

    /** A whole text message arrived (already validated as UTF-8). */
    default void onText(WebSocket webSocket, String text) {}

    /**
     * A whole binary message arrived. The buffer belongs to the listener only during the call;
     * copy what must outlive it (a listener run on the I/O thread gets a view of the buffer the
     * connection reads into, read into again after the call, so sending {@code data} itself
     * back is not safe there).
     */
    default void onBinary(WebSocket webSocket, ByteBuffer data) {}

    /** A ping arrived. The pong has already been queued: do not answer it yourself. */
    default void onPing(WebSocket webSocket, ByteBuffer payload) {}

    /** A pong arrived, in answer to a ping or unsolicited. */
    default void onPong(WebSocket webSocket, ByteBuffer payload) {}

    /**
     * The connection failed: a protocol violation by the peer ({@link ProtocolException} with its
     * close code), a failed handshake ({@code HandshakeException}), an I/O error or a timeout.
     * Called at most once, and always followed by {@link #onClose}.
     */
    default void onError(WebSocket webSocket, Throwable error) {}

    /**
     * The connection is closed. Called exactly once, last.
     *
     * @param code the close code received, 1005 when the peer's close frame had none, or 1006
     *     when the connection ended without a closing handshake
     * @param reason the reason phrase, empty when none
     * @param wasClean whether the closing handshake completed (a close frame went each way)
     */
    default void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {}
}
