package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a browser's {@code Origin} (RFC 6454, RFC 6455 §4.2.1 item 7 and §10.2) may
 * open a connection. Immutable and thread-safe.
 *
 * <p>Patterns are origins in which {@code *} matches any run of characters: {@code
 * https://*.example.com} (any subdomain, not {@code example.com} itself), {@code http://localhost:*}
 * (any port), {@code *} (any origin). Scheme and host compare ignoring case; a pattern or origin
 * without a port stands for the scheme's default port, so {@code https://a.com} and {@code
 * https://a.com:443} are the same. The opaque origin {@code null} (sandboxed pages, files) is
 * allowed only by the pattern {@code null}: {@code *} does not cover it.
 *
 * <p>A request without {@code Origin} comes from a program rather than a browser page and is
 * always allowed: origin checks protect browsers' users, and any program can forge the header.
 * With no pattern configured ({@link #sameOrigin()}), the secure default, an origin is allowed only
 * if its host and port are those of the request's own {@code Host} header (when {@code Host} has no
 * port, the origin must use the default port of its scheme).
 */
public final class OriginMatcher {

    private static final OriginMatcher SAME_ORIGIN = new OriginMatcher(List.of(), List.of());

    /** The patterns as given, for {@link #toString()}. */
    private final List<String> patterns;

    private final List<Pattern> compiled;

    private OriginMatcher(List<String> patterns, List<Pattern> compiled) {
        this.patterns = patterns;
        this.compiled = compiled;
    }

    /** The secure default: only origins whose host and port are the request's {@code Host}. */
    public static OriginMatcher sameOrigin() {
        return SAME_ORIGIN;
    }

    /** Any origin except {@code null}: the pattern {@code *}. Unsafe for cookie-authenticated endpoints. */
    public static OriginMatcher anyOrigin() {
        return of(List.of("*"));
    }

    /**
     * A matcher allowing the origins that match any of {@code patterns}; no pattern at all means
     * {@link #sameOrigin()}.
     *
     * @throws IllegalArgumentException if a pattern is not {@code *}, {@code null} or {@code
     *     scheme://host[:port]} (with {@code *} in any part), or has a path
     */
    public static OriginMatcher of(Collection<String> patterns) {
        if (patterns.isEmpty()) {
            return SAME_ORIGIN;
        }
        List<Pattern> compiled = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            compiled.add(Pattern.compile(p));
        }
        return new OriginMatcher(List.copyOf(patterns), List.copyOf(compiled));
    }

    /** As {@link #of(Collection)}. */
    public static OriginMatcher of(String... patterns) {
        return of(List.of(patterns));
    }

    /**
     * Whether a request with this {@code Origin} and {@code Host} may open a connection.
     *
     * @param origin the {@code Origin} header value, or null if the request has none (always allowed)
     * @param host the request's {@code Host} header value, or null if it has none
     */
    public boolean allows(@Nullable String origin, @Nullable String host) {
        if (origin == null) {
            return true;
        }
        if (origin.equals("null")) {
            for (Pattern p : compiled) {
                if (p.nullOrigin) {
                    return true;
                }
            }
            return false;
        }
        Origin o = Origin.parse(origin);
        if (o == null) {
            return false;
        }
        if (compiled.isEmpty()) {
            HostPort h = host == null ? null : HostPort.parse(host);
            if (h == null || !h.host().equals(o.host)) {
                return false;
            }
            return h.port() < 0 ? o.port == HostPort.defaultPort(o.scheme) : h.port() == o.port;
        }
        for (Pattern p : compiled) {
            if (p.matches(o)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this is the same-origin default, without patterns. */
    public boolean isSameOrigin() {
        return compiled.isEmpty();
    }

    @Override
    public String toString() {
        return compiled.isEmpty() ? "OriginMatcher[same origin]" : "OriginMatcher" + patterns;
    }

    /** A serialised origin, lower case, with its port made explicit when the scheme has a default. */
    private record Origin(String scheme, String host, int port) {

        static @Nullable Origin parse(String s) {
            int sep = s.indexOf("://");
            if (sep <= 0) {
                return null;
            }
            String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
            for (int i = 0; i < scheme.length(); i++) {
                char c = scheme.charAt(i);
                if (!((c >= 'a' && c <= 'z')
                        || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
                    return null;
                }
            }
            HostPort hp = HostPort.parse(s.substring(sep + 3));
            if (hp == null) {
                return null;
            }
            return new Origin(scheme, hp.host(), hp.port() < 0 ? HostPort.defaultPort(scheme) : hp.port());
        }
    }

    /** One compiled pattern. */
    private static final class Pattern {
        final boolean anyOrigin;
        final boolean nullOrigin;
        final String scheme;
        final String host;
        /** A port, -1 for "the scheme's default, which it has none of", or {@link #ANY_PORT}. */
        final int port;

        static final int ANY_PORT = -2;

        private Pattern(boolean anyOrigin, boolean nullOrigin, String scheme, String host, int port) {
            this.anyOrigin = anyOrigin;
            this.nullOrigin = nullOrigin;
            this.scheme = scheme;
            this.host = host;
            this.port = port;
        }

        static Pattern compile(String p) {
            if (p.equals("*")) {
                return new Pattern(true, false, "", "", ANY_PORT);
            }
            if (p.equals("null")) {
                return new Pattern(false, true, "", "", ANY_PORT);
            }
            String lower = p.toLowerCase(Locale.ROOT);
            int sep = lower.indexOf("://");
            if (sep <= 0) {
                throw invalid(p);
            }
            String scheme = lower.substring(0, sep);
            String authority = lower.substring(sep + 3);
            if (authority.isEmpty()
                    || authority.indexOf('/') >= 0
                    || authority.indexOf('?') >= 0
                    || authority.indexOf('#') >= 0) {
                throw invalid(p);
            }
            int colon = authority.startsWith("[")
                    ? authority.indexOf(':', authority.indexOf(']'))
                    : authority.lastIndexOf(':');
            String host = colon < 0 ? authority : authority.substring(0, colon);
            int port;
            if (colon < 0) {
                port = scheme.contains("*") ? ANY_PORT : HostPort.defaultPort(scheme);
            } else {
                String portText = authority.substring(colon + 1);
                if (portText.equals("*")) {
                    port = ANY_PORT;
                } else {
                    try {
                        port = Integer.parseInt(portText);
                    } catch (NumberFormatException e) {
                        throw invalid(p);
                    }
                    if (port < 0 || port > 65535) {
                        throw invalid(p);
                    }
                }
            }
            if (host.isEmpty()) {
                throw invalid(p);
            }
            return new Pattern(false, false, scheme, host, port);
        }

        private static IllegalArgumentException invalid(String p) {
            return new IllegalArgumentException(
                    "'allowedOrigins' must hold \"*\", \"null\" or scheme://host[:port] patterns, was "
                            + HttpSyntax.quote(p));
        }

        boolean matches(Origin o) {
            if (anyOrigin) {
                return true;
            }
            if (nullOrigin) {
                return false;
            }
            return glob(scheme, o.scheme) && glob(host, o.host) && (port == ANY_PORT || port == o.port);
        }

        /** Whether {@code text} matches {@code pattern}, where {@code *} matches any run of characters. */
        static boolean glob(String pattern, String text) {
            int p = 0;
            int t = 0;
            int star = -1;
            int mark = 0;
            while (t < text.length()) {
                if (p < pattern.length() && pattern.charAt(p) == '*') {
                    star = p++;
                    mark = t;
                } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                    p++;
                    t++;
                } else if (star >= 0) {
                    p = star + 1;
                    t = ++mark;
                } else {
                    return false;
                }
            }
            while (p < pattern.length() && pattern.charAt(p) == '*') {
                p++;
            }
            return p == pattern.length();
        }
    }
}
