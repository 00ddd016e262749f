package dev.duplex.websocket;

import org.jspecify.annotations.Nullable;

/**
 * A violation of RFC 6455 (or of a negotiated extension, or of a configured limit) by the other
 * side. It carries the close code the connection is closed with, for example 1002 (protocol
 * error), 1007 (invalid payload data) or 1009 (message too big), and a sentence a person
 * understands.
 */
public class ProtocolException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    /** RFC 6455 §7.4.1: the endpoint is terminating the connection due to a protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** RFC 6455 §7.4.1: data within a message was not consistent with its type (bad UTF-8). */
    public static final int INVALID_PAYLOAD = 1007;
    /** RFC 6455 §7.4.1: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** RFC 6455 §7.4.1: a frame or message is too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;

    private final int closeCode;

    public ProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public ProtocolException(int closeCode, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** The close code the connection is (or was) closed with because of this violation. */
    public int closeCode() {
        return closeCode;
    }
}
