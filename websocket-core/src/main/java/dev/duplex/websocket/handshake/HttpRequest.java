package dev.duplex.websocket.handshake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The head of an HTTP/1.1 request as received: method, origin-form target, version and headers.
 * Immutable; the headers are {@linkplain HttpHeaders#readOnly() read-only}.
 *
 * @param method the method token, case-sensitive ({@code GET})
 * @param target the request target in origin-form, still percent-encoded ({@code /chat?room=1})
 * @param version the HTTP version as sent ({@code HTTP/1.1})
 * @param headers the header fields in the order received
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers) {

    /** Copies {@code headers} into a read-only instance. */
    public HttpRequest {
        headers = headers.readOnly();
    }

    /** The path part of {@link #target()}, still percent-encoded: {@code /chat} for {@code /chat?x=1}. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query of {@link #target()} without the {@code ?}, still percent-encoded, or null if none. */
    public @Nullable String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /**
     * The subprotocols the client offers in {@code Sec-WebSocket-Protocol} (RFC 6455 §4.1), from
     * every such header, in the client's order.
     */
    public List<String> offeredSubprotocols() {
        return headers.tokens(HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL);
    }

    /**
     * The cookies of the {@code Cookie} headers (RFC 6265 §5.4: {@code a=1; b=2}), by name in the
     * order sent; the first of two cookies with one name wins. Pairs without {@code =} are skipped.
     */
    public Map<String, String> cookies() {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : headers.all("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String name = pair.substring(0, eq).strip();
                    String value = pair.substring(eq + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    if (!name.isEmpty()) {
                        cookies.putIfAbsent(name, value);
                    }
                }
            }
        }
        return cookies;
    }
}
