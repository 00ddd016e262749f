package dev.duplex.websocket.client;

import dev.duplex.websocket.handshake.ClientHandshake;
import dev.duplex.websocket.handshake.WebSocketUri;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One connect's target and what it adds to the client's defaults: extra headers (several with
 * one name send several fields), cookies, and subprotocols that replace the client's. Immutable
 * and thread-safe; each {@code with…} returns a copy and checks its argument at once.
 *
 * <p>Counterparts in the seeds: 4D's connection handler {@code headers} (values as collections,
 * {@code Cookie}), Qore's {@code connect(opts.hdr)} and IRIS's {@code AcceptedProtocols}.
 */
public final class ConnectRequest {

    private final WebSocketUri uri;
    private final List<Map.Entry<String, String>> headers;
    private final List<Map.Entry<String, String>> cookies;
    private final @Nullable List<String> subprotocols;

    private ConnectRequest(
            WebSocketUri uri,
            List<Map.Entry<String, String>> headers,
            List<Map.Entry<String, String>> cookies,
            @Nullable List<String> subprotocols) {
        this.uri = uri;
        this.headers = headers;
        this.cookies = cookies;
        this.subprotocols = subprotocols;
    }

    /**
     * A request to connect to {@code uri}.
     *
     * @throws IllegalArgumentException if the scheme is not {@code ws} or {@code wss}, the URI has
     *     no host, or it has a fragment
     */
    public static ConnectRequest to(URI uri) {
        Objects.requireNonNull(uri, "uri");
        return new ConnectRequest(WebSocketUri.of(uri), List.of(), List.of(), null);
    }

    /**
     * A request to connect to {@code uri}.
     *
     * @throws IllegalArgumentException if {@code uri} is not a URI, or as {@link #to(URI)}
     */
    public static ConnectRequest to(String uri) {
        Objects.requireNonNull(uri, "uri");
        return new ConnectRequest(WebSocketUri.of(uri), List.of(), List.of(), null);
    }

    /**
     * A copy that also sends the header {@code name: value}.
     *
     * @throws IllegalArgumentException if the name or value is not valid in HTTP, or the name is
     *     one the handshake writes itself ({@code Host}, {@code Upgrade}, {@code Sec-WebSocket-*},
     *     {@code Origin}…)
     */
    public ConnectRequest withHeader(String name, String value) {
        ClientHandshake.builder(uri.uri()).header(name, value); // validates
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
        copy.add(Map.entry(name, value));
        return new ConnectRequest(uri, List.copyOf(copy), cookies, subprotocols);
    }

    /**
     * A copy that also sends the cookie {@code name=value}.
     *
     * @throws IllegalArgumentException if the name is not a token or the value not cookie octets
     *     (RFC 6265 §4.1.1)
     */
    public ConnectRequest withCookie(String name, String value) {
        ClientHandshake.builder(uri.uri()).cookie(name, value); // validates
        List<Map.Entry<String, String>> copy = new ArrayList<>(cookies);
        copy.add(Map.entry(name, value));
        return new ConnectRequest(uri, headers, List.copyOf(copy), subprotocols);
    }

    /**
     * A copy that offers {@code preferred} (most preferred first) instead of the client's
     * subprotocols; none offers none.
     *
     * @throws IllegalArgumentException if one is not an HTTP token or one is there twice
     */
    public ConnectRequest withSubprotocols(String... preferred) {
        List<String> list = Arrays.asList(preferred.clone());
        ClientHandshake.builder(uri.uri()).subprotocols(list); // validates
        return new ConnectRequest(uri, headers, cookies, List.copyOf(list));
    }

    /** The URI to connect to. */
    public URI uri() {
        return uri.uri();
    }

    /** The validated URI. */
    WebSocketUri webSocketUri() {
        return uri;
    }

    /** The extra headers, in order. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The extra cookies, in order. */
    public List<Map.Entry<String, String>> cookies() {
        return cookies;
    }

    /** The subprotocols to offer instead of the client's, or null to offer the client's. */
    public @Nullable List<String> subprotocols() {
        return subprotocols;
    }

    @Override
    public String toString() {
        return "ConnectRequest[" + uri.uri() + ", headers=" + headers.size() + ", cookies=" + cookies.size()
                + ", subprotocols=" + subprotocols + "]";
    }
}
