package dev.duplex.websocket.handshake;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A host and optional port as in a {@code Host} header or an origin (RFC 3986 §3.2.2): a
 * registered name or IPv4 address in lower case, or an IPv6 literal with its brackets.
 *
 * @param host the host, lower case, IPv6 literals in brackets
 * @param port the port, or -1 if none was written
 */
record HostPort(String host, int port) {

    /** Parses {@code host[:port]}; null if it is not one. */
    static @Nullable HostPort parse(String s) {
        String host;
        String rest;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = s.substring(0, close + 1);
            for (int i = 1; i < close; i++) {
                char c = s.charAt(i);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return null;
                }
            }
            rest = s.substring(close + 1);
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            rest = colon < 0 ? "" : s.substring(colon);
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128 || "-._~!$&'()*+,;=%".indexOf(c) >= 0)) {
                    return null;
                }
            }
        }
        if (host.isEmpty() || host.equals("[]")) {
            return null;
        }
        int port = -1;
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != ':' || rest.length() < 2 || rest.length() > 6) {
                return null;
            }
            port = 0;
            for (int i = 1; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                port = port * 10 + (c - '0');
            }
            if (port > 65535) {
                return null;
            }
        }
        return new HostPort(host.toLowerCase(Locale.ROOT), port);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The default port of a URI scheme (RFC 9110 §4.2, RFC 6455 §3), or -1 if it has none. */
    static int defaultPort(String scheme) {
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
