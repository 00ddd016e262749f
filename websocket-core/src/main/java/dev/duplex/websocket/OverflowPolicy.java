package dev.duplex.websocket;

/**
 * What happens to a send that would push {@link WebSocket#bufferedAmount()} past the configured
 * maximum. Either way nothing is lost silently: the send's future says what happened, and the
 * memory a connection holds for its peer stays bounded.
 */
public enum OverflowPolicy {
    /**
     * The send is refused: nothing of it is queued and its future fails with a
     * {@link SendOverflowException}. The connection stays open, so the caller may retry later,
     * drop the message, or close.
     */
    FAIL,
    /**
     * The send is refused as with {@link #FAIL}, and the connection is closed with 1008 (policy
     * violation): a peer that cannot keep up is cut off.
     */
    CLOSE
}
