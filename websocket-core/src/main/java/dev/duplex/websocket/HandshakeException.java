package dev.duplex.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The opening handshake failed: the server (or an HTTP proxy) answered with something other than
 * a valid upgrade, or the answer broke RFC 6455 §4.1 (wrong {@code Sec-WebSocket-Accept}, a
 * subprotocol or extension that was not offered, …).
 *
 * <p>It carries what the peer sent so that a caller can react to it: the HTTP status (0 when no
 * valid status line was received), the response headers in the order received, and the start of
 * the response body, at most {@value #MAX_BODY_BYTES} bytes. Instances are immutable.
 */
public class HandshakeException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    /** The most body bytes an instance keeps; the rest of a long error page is not read. */
    public static final int MAX_BODY_BYTES = 1024;

    private final int status;
    /** Names as first received, mapped to every value of that name in order; unmodifiable. */
    private final Map<String, List<String>> headers;

    private final byte[] body;

    /** A failure before or without a valid HTTP response: status 0, no headers, no body. */
    public HandshakeException(String message) {
        this(0, message, Map.of(), new byte[0], null);
    }

    /** A failure before or without a valid HTTP response, caused by {@code cause}. */
    public HandshakeException(String message, @Nullable Throwable cause) {
        this(0, message, Map.of(), new byte[0], cause);
    }

    /**
     * A failed handshake for which a response was received.
     *
     * @param status the HTTP status received, or 0 if none was
     * @param headers the response headers; copied, names compared ignoring case on lookup
     * @param body the start of the response body; only the first {@value #MAX_BODY_BYTES} bytes
     *     are kept
     */
    public HandshakeException(int status, String message, Map<String, List<String>> headers, byte[] body) {
        this(status, message, headers, body, null);
    }

    private HandshakeException(
            int status, String message, Map<String, List<String>> headers, byte[] body, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = Arrays.copyOf(body, Math.min(body.length, MAX_BODY_BYTES));
    }

    /** The HTTP status the server (or proxy) answered with, or 0 if no valid status line arrived. */
    public int status() {
        return status;
    }

    /**
     * The response headers: each name as first received, with all its values in order. Use {@link
     * #headerValues(String)} for a lookup that ignores case.
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Every value of the header {@code name}, compared ignoring case; empty if there is none. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        headers.forEach((key, list) -> {
            if (key.equalsIgnoreCase(name)) {
                values.addAll(list);
            }
        });
        return values;
    }

    /** A copy of the start of the response body: at most {@value #MAX_BODY_BYTES} bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** The start of the response body decoded as UTF-8, malformed bytes replaced. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
