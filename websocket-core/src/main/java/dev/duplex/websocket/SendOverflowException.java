package dev.duplex.websocket;

/**
 * A send was refused because it would have pushed the connection's buffered amount past its
 * configured maximum (see {@link OverflowPolicy}).
 */
public class SendOverflowException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final long bufferedAmount;
    private final long maxBufferedAmount;

    public SendOverflowException(long bufferedAmount, long messageBytes, long maxBufferedAmount) {
        super("Send of " + messageBytes + " bytes refused: " + bufferedAmount
                + " bytes are already buffered and the maximum is " + maxBufferedAmount);
        this.bufferedAmount = bufferedAmount;
        this.maxBufferedAmount = maxBufferedAmount;
    }

    /** The buffered amount when the send was refused. */
    public long bufferedAmount() {
        return bufferedAmount;
    }

    /** The configured maximum buffered amount. */
    public long maxBufferedAmount() {
        return maxBufferedAmount;
    }
}
