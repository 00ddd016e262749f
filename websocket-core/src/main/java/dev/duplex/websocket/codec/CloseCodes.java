package dev.duplex.websocket.codec;

/**
 * Close status codes (RFC 6455 §7.4.1, and 1012–1014 from the IANA registry of §11.7) and the
 * checks of which may appear where. Thread-safe: constants and pure functions only.
 */
public final class CloseCodes {

    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutting down, page navigated away). */
    public static final int GOING_AWAY = 1001;
    /** 1002: a protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a type of data the endpoint cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: no status code was present; reported locally, never sent (RFC 6455 §7.4.1). */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: the connection closed without a close frame; reported locally, never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: data within a message was not consistent with its type, such as bad UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected the server to negotiate an extension it did not. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (IANA registry). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (IANA registry). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway received an invalid response (IANA registry). */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: the TLS handshake failed; reported locally, never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCodes() {}

    /**
     * Whether a close frame may carry this code: 1000–1003, 1007–1014 (defined and registered) or
     * 3000–4999 (libraries, frameworks and applications). 1004, 1005, 1006 and 1015 never may.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** Whether an application may close with this code: 1000, or 3000–4999. */
    public static boolean isValidForApplication(int code) {
        return code == NORMAL_CLOSURE || (code >= 3000 && code <= 4999);
    }
}
