package dev.duplex.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A close status code and its reason phrase (RFC 6455 §7.1.5, §7.1.6, §7.4).
 *
 * <p>Instances describe how a connection ended, as reported to {@code onClose}; they may carry
 * codes that never appear on the wire, such as {@link #NO_STATUS_RECEIVED 1005} (the peer's close
 * frame had no code) and {@link #ABNORMAL_CLOSURE 1006} (no close frame at all). Codes an
 * application may send are checked by {@link #requireSendable(int, String)}.
 *
 * @param code the close status code
 * @param reason the reason phrase, empty when none was given; never {@code null}
 */
public record CloseReason(int code, String reason) {

    /** RFC 6455 §7.4.1: normal closure. */
    public static final int NORMAL_CLOSURE = 1000;
    /** RFC 6455 §7.4.1: an endpoint is going away (server shutdown, page navigation). */
    public static final int GOING_AWAY = 1001;
    /** RFC 6455 §7.4.1: protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** RFC 6455 §7.4.1: a data type the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** RFC 6455 §7.4.1: no status code was present. Never sent on the wire. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** RFC 6455 §7.4.1: the connection closed without a close frame. Never sent on the wire. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** RFC 6455 §7.4.1: data inconsistent with the message type, such as invalid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** RFC 6455 §7.4.1: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** RFC 6455 §7.4.1: a message too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** RFC 6455 §7.4.1: the client expected the server to negotiate an extension. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** RFC 6455 §7.4.1: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** RFC 6455 §7.4.1: the TLS handshake failed. Never sent on the wire. */
    public static final int TLS_HANDSHAKE_FAILURE = 1015;

    /** The largest reason phrase, in UTF-8 bytes, that fits a control frame (125 - 2). */
    public static final int MAX_REASON_BYTES = 123;

    /** {@code 1000}, no reason. */
    public static final CloseReason NORMAL = new CloseReason(NORMAL_CLOSURE, "");

    public CloseReason {
        Objects.requireNonNull(reason, "reason");
    }

    /** A reason for {@code code} with an empty reason phrase. */
    public static CloseReason of(int code) {
        return new CloseReason(code, "");
    }

    /** Whether the connection ended with a normal closure (1000). */
    public boolean isNormal() {
        return code == NORMAL_CLOSURE;
    }

    /**
     * Checks a code and reason an application asks to send: the code must be 1000 or in
     * [3000, 5000) (RFC 6455 §7.4.2; the other registered codes are the library's to send), and
     * the reason at most {@value #MAX_REASON_BYTES} bytes of UTF-8.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static void requireSendable(int code, String reason) {
        if (code != NORMAL_CLOSURE && (code < 3000 || code >= 5000)) {
            throw new IllegalArgumentException("'code' must be 1000 or in [3000, 5000), was " + code);
        }
        requireReasonFits(reason);
    }

    /**
     * Checks that a reason phrase fits a close frame: at most {@value #MAX_REASON_BYTES} bytes
     * once encoded as UTF-8.
     *
     * @throws IllegalArgumentException when it does not
     */
    public static void requireReasonFits(String reason) {
        Objects.requireNonNull(reason, "reason");
        // A String of n chars encodes to at most 3n bytes, so short ones need no encoding.
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return;
        }
        int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "'reason' must be at most " + MAX_REASON_BYTES + " bytes of UTF-8, was " + bytes);
        }
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? String.valueOf(code) : code + " " + reason;
    }
}
