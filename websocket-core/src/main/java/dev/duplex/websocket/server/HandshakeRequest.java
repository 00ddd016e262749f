package dev.duplex.websocket.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of the HTTP upgrade request an endpoint's {@link
 * DuplexEndpoint#onHandshake(HandshakeRequest, HandshakeResponse) onHandshake} decides on. It holds
 * only JDK types, so the same endpoint runs on the standalone {@link WebSocketServer} and on any
 * other host (the Spring starter implements this interface over spring-websocket's request).
 *
 * <p>Counterparts in the seeds: what IRIS {@code %CSP.WebSocket} reads from {@code %request} in
 * {@code OnPreServer}, and the {@code WebReq} given to afWebSockets' {@code upgrade(req, res)}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface HandshakeRequest {

    /** The request URI: {@code ws://host/path?query}, or {@code wss://…} over TLS. */
    URI uri();

    /** The request path, still percent-encoded, without the query: {@code /chat/room%201}. */
    String path();

    /** The path template of the endpoint that matched: {@code /chat/{room}}. */
    String pathTemplate();

    /** The template's variables by name, percent-decoded ({@code room -> "room 1"}); empty if none. */
    Map<String, String> pathVariables();

    /** One path variable, or null when the template has no variable of that name. */
    default @Nullable String pathVariable(String name) {
        return pathVariables().get(name);
    }

    /** The query without {@code ?}, still percent-encoded, or null when the request has none. */
    @Nullable
    String query();

    /**
     * The query's parameters, decoded as HTML forms encode them ({@code +} is a space), in order;
     * a name without {@code =} has the empty value. Read-only.
     */
    default Map<String, List<String>> queryParameters() {
        String q = query();
        if (q == null || q.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
                value = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue; // a malformed escape: skip the pair rather than guess
            }
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        params.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(params);
    }

    /** The first value of a query parameter, or null when absent. */
    default @Nullable String queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null ? null : values.get(0);
    }

    /** The request headers, names compared ignoring case, values in order. Read-only. */
    Map<String, List<String>> headers();

    /** The first value of a header, or null when absent. */
    default @Nullable String header(String name) {
        List<String> values = headers().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The cookies of the {@code Cookie} headers by name, in the order sent. Read-only. */
    Map<String, String> cookies();

    /** The client's address, or null when the host does not know it. */
    @Nullable
    InetSocketAddress remoteAddress();

    /** The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order. */
    List<String> offeredSubprotocols();

    /** Whether the request arrived over TLS. */
    boolean isSecure();
}
