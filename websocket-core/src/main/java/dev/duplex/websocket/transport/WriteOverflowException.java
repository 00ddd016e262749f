package dev.duplex.websocket.transport;

import dev.duplex.websocket.WebSocketException;

/**
 * A write was refused because it would have pushed the connection's buffered amount past {@link
 * ConnectionOptions#maxBufferedAmount()}. Nothing of it was queued.
 */
public class WriteOverflowException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final long bufferedAmount;
    private final long maxBufferedAmount;

    /**
     * Creates the exception.
     *
     * @param bufferedAmount the buffered amount when the write was refused
     * @param writeBytes the payload bytes of the refused write
     * @param maxBufferedAmount the ceiling
     */
    public WriteOverflowException(long bufferedAmount, long writeBytes, long maxBufferedAmount) {
        super("Send of " + writeBytes + " bytes refused: " + bufferedAmount
                + " bytes are already buffered and the maximum is " + maxBufferedAmount);
        this.bufferedAmount = bufferedAmount;
        this.maxBufferedAmount = maxBufferedAmount;
    }

    /** The buffered amount when the write was refused. */
    public long bufferedAmount() {
        return bufferedAmount;
    }

    /** The ceiling that refused it. */
    public long maxBufferedAmount() {
        return maxBufferedAmount;
    }
}
