package dev.duplex.websocket.handshake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A validated {@code ws://} or {@code wss://} URI (RFC 6455 §3) and what a client derives from it:
 * where to connect, the request target and the {@code Host} header. Immutable.
 *
 * @param uri the URI as given
 * @param secure whether the scheme is {@code wss}
 * @param host the host to connect to, IPv6 literals without brackets
 * @param port the port to connect to, the scheme's default (80 or 443) if the URI has none
 * @param requestTarget the origin-form target: the raw path ({@code /} if empty) and raw query
 * @param hostHeader the {@code Host} value: the host (IPv6 in brackets) and the port only when it
 *     is not the scheme's default
 */
public record WebSocketUri(URI uri, boolean secure, String host, int port, String requestTarget, String hostHeader) {

    /**
     * Validates {@code uri}.
     *
     * @throws IllegalArgumentException if the scheme is not {@code ws} or {@code wss}, the URI is
     *     opaque or has no host, or it has a fragment (RFC 6455 §3)
     */
    public static WebSocketUri of(URI uri) {
        String scheme = uri.getScheme();
        String lower = scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        if (lower == null || !(lower.equals("ws") || lower.equals("wss"))) {
            throw new IllegalArgumentException(
                    "'uri' must use the ws or wss scheme, was " + (scheme == null ? "none" : scheme) + " in " + uri);
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("'uri' must look like " + lower + "://host/path, was " + uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("'uri' must have a host, was " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'uri' must not have a fragment, was " + uri);
        }
        boolean secure = lower.equals("wss");
        int defaultPort = secure ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        String target = query == null ? path : path + "?" + query;
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new WebSocketUri(uri, secure, bare, port, target, hostHeader);
    }

    /**
     * Parses and validates {@code uri}.
     *
     * @throws IllegalArgumentException if it is not a URI, or as {@link #of(URI)}
     */
    public static WebSocketUri of(String uri) {
        try {
            return of(new URI(uri));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'uri' must be a URI: " + e.getMessage(), e);
        }
    }

    /** The user information of the URI ({@code user:password}), decoded, or null if it has none. */
    public @Nullable String userInfo() {
        return uri.getUserInfo();
    }
}
