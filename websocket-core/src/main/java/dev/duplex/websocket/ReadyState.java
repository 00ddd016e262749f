package dev.duplex.websocket;

/**
 * The state of a connection, as the W3C WebSocket API names it. A connection moves forward
 * only: {@code CONNECTING → OPEN → CLOSING → CLOSED}, and may skip straight to {@code CLOSED}
 * when the handshake fails or the link drops.
 *
 * <p>Counterparts in the seeds: 4D's {@code .status} strings ("Connecting", "Connected",
 * "Closing", "Closed") are {@link #statusText()}; afWebSockets' {@code readyState}; Qore's
 * {@code isOpen()} is {@code readyState() == OPEN}.
 */
public enum ReadyState {
    /** The opening handshake has not completed yet. */
    CONNECTING("Connecting"),
    /** The handshake completed; messages may be sent and received. */
    OPEN("Connected"),
    /** A close frame was sent or received; the closing handshake is under way. */
    CLOSING("Closing"),
    /** The connection is closed, or could not be opened. */
    CLOSED("Closed");

    private final String statusText;

    ReadyState(String statusText) {
        this.statusText = statusText;
    }

    /** A short human-readable status: "Connecting", "Connected", "Closing" or "Closed". */
    public String statusText() {
        return statusText;
    }
}
