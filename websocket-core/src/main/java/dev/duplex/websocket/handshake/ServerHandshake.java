package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks a parsed request and decides
 * the response, a {@link HandshakeAcceptance} or a {@link HandshakeRejection} with exactly the
 * status each rule names. Immutable and thread-safe; one instance serves every request of an
 * endpoint.
 *
 * <p>The checks, in this order (the first that fails decides):
 *
 * <ol>
 *   <li>version: {@code HTTP/1.1} only (RFC 6455 §4.1); another 1.x (such as {@code HTTP/1.0}) is
 *       400, any other version 505 (HTTP Version Not Supported);
 *   <li>method: {@code GET} only, else 405 with {@code Allow: GET};
 *   <li>{@code Host}: exactly one, a valid {@code host[:port]}, else 400;
 *   <li>{@code Upgrade} listing {@code websocket} and {@code Connection} listing {@code upgrade}
 *       (any case), else 426 with {@code Upgrade: websocket} and {@code Connection: Upgrade}: a
 *       plain HTTP request reached a WebSocket path;
 *   <li>{@code Sec-WebSocket-Version}: repeated is 400; missing or not exactly {@code 13} is 426
 *       with {@code Sec-WebSocket-Version: 13} (RFC 6455 §4.4);
 *   <li>{@code Sec-WebSocket-Key}: exactly one, the base64 of 16 bytes, else 400;
 *   <li>{@code Origin}: repeated is 400, refused by the {@link OriginMatcher} 403;
 *   <li>{@code Sec-WebSocket-Protocol} and {@code Sec-WebSocket-Extensions} must be well-formed,
 *       else 400.
 * </ol>
 *
 * <p>The subprotocol is the first of the server's subprotocols, in the server's order of
 * preference, that the client offered (compared exactly); none means no {@code
 * Sec-WebSocket-Protocol} in the response and the connection still opens (RFC 6455 §4.2.2). The
 * extensions are whatever the {@link ExtensionNegotiator} accepts.
 */
public final class ServerHandshake {

    private final OriginMatcher origins;
    private final List<String> subprotocols;
    private final ExtensionNegotiator negotiator;

    private ServerHandshake(Builder b) {
        this.origins = b.origins;
        this.subprotocols = List.copyOf(b.subprotocols);
        this.negotiator = b.negotiator;
    }

    /** A builder with the secure defaults: same origin only, no subprotocol, no extension. */
    public static Builder builder() {
        return new Builder();
    }

    /** The origin policy. */
    public OriginMatcher origins() {
        return origins;
    }

    /** The server's subprotocols in its order of preference. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /**
     * Decides the response to {@code request}.
     *
     * @throws IllegalStateException if the {@link ExtensionNegotiator} answers with an extension
     *     that was not offered, or with one twice
     */
    public HandshakeDecision decide(HttpRequest request) {
        HttpHeaders h = request.headers();
        String version = request.version();
        if (!version.equals("HTTP/1.1")) {
            int status = version.startsWith("HTTP/1.") ? 400 : 505;
            return HandshakeRejection.of(
                    status, version + " is not supported; a WebSocket handshake requires HTTP/1.1");
        }
        if (!request.method().equals("GET")) {
            return HandshakeRejection.of(
                            405, "Method " + request.method() + " is not allowed; a WebSocket handshake uses GET")
                    .withHeader("Allow", "GET");
        }
        int hosts = h.count("Host");
        if (hosts != 1) {
            return HandshakeRejection.of(400, hosts == 0 ? "Missing Host header" : "Multiple Host headers");
        }
        String host = h.first("Host");
        if (host == null || HostPort.parse(host) == null) {
            return HandshakeRejection.of(400, "Invalid Host header");
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            return upgradeRequired("Missing Upgrade: websocket");
        }
        if (!h.containsToken("Connection", "upgrade")) {
            return upgradeRequired("Missing Connection: Upgrade");
        }
        HandshakeRejection versionProblem = checkVersion(h);
        if (versionProblem != null) {
            return versionProblem;
        }
        int keys = h.count(HandshakeHeaders.SEC_WEBSOCKET_KEY);
        if (keys != 1) {
            return HandshakeRejection.of(
                    400, keys == 0 ? "Missing Sec-WebSocket-Key header" : "Multiple Sec-WebSocket-Key headers");
        }
        String key = h.first(HandshakeHeaders.SEC_WEBSOCKET_KEY);
        if (key == null || !AcceptKey.isValidKey(key)) {
            return HandshakeRejection.of(400, "Sec-WebSocket-Key is not base64 of 16 bytes");
        }
        if (h.count("Origin") > 1) {
            return HandshakeRejection.of(400, "Multiple Origin headers");
        }
        String origin = h.first("Origin");
        if (!origins.allows(origin, host)) {
            return HandshakeRejection.of(
                    403, "Origin " + HttpSyntax.shorten(String.valueOf(origin)) + " is not allowed");
        }
        List<String> offered = request.offeredSubprotocols();
        for (String p : offered) {
            if (!HttpSyntax.isToken(p)) {
                return HandshakeRejection.of(
                        400, "Malformed Sec-WebSocket-Protocol: " + HttpSyntax.shorten(p) + " is not a token");
            }
        }
        List<ExtensionOffer> offers;
        try {
            offers = ExtensionOffer.parse(h.all(HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS));
        } catch (IllegalArgumentException e) {
            return HandshakeRejection.of(400, String.valueOf(e.getMessage()));
        }
        List<ExtensionOffer> accepted = offers.isEmpty() ? List.of() : negotiator.negotiate(List.copyOf(offers));
        checkAccepted(offers, accepted);
        return new HandshakeAcceptance(
                request, AcceptKey.accept(key), selectSubprotocol(offered), accepted, new HttpHeaders());
    }

    private static HandshakeRejection upgradeRequired(String message) {
        return HandshakeRejection.of(426, message)
                .withHeader("Upgrade", "websocket")
                .withHeader("Connection", "Upgrade");
    }

    private static @Nullable HandshakeRejection checkVersion(HttpHeaders h) {
        List<String> versions = h.all(HandshakeHeaders.SEC_WEBSOCKET_VERSION);
        if (versions.size() > 1) {
            return HandshakeRejection.of(400, "Multiple Sec-WebSocket-Version headers");
        }
        String message;
        if (versions.isEmpty()) {
            message = "Missing Sec-WebSocket-Version header";
        } else if (!versions.get(0).equals(HandshakeHeaders.VERSION_13)) {
            message = "Unsupported Sec-WebSocket-Version " + HttpSyntax.shorten(versions.get(0))
                    + "; only 13 is supported";
        } else {
            return null;
        }
        return HandshakeRejection.of(426, message)
                .withHeader(HandshakeHeaders.SEC_WEBSOCKET_VERSION, HandshakeHeaders.VERSION_13);
    }

    private @Nullable String selectSubprotocol(List<String> offered) {
        for (String mine : subprotocols) {
            if (offered.contains(mine)) {
                return mine;
            }
        }
        return null;
    }

    private static void checkAccepted(List<ExtensionOffer> offers, List<ExtensionOffer> accepted) {
        Set<String> offeredNames = new HashSet<>();
        for (ExtensionOffer o : offers) {
            offeredNames.add(o.name().toLowerCase(Locale.ROOT));
        }
        Set<String> seen = new HashSet<>();
        for (ExtensionOffer a : accepted) {
            String name = a.name().toLowerCase(Locale.ROOT);
            if (!offeredNames.contains(name)) {
                throw new IllegalStateException(
                        "the extension negotiator accepted " + a.name() + ", which was not offered");
            }
            if (!seen.add(name)) {
                throw new IllegalStateException("the extension negotiator accepted " + a.name() + " twice");
            }
        }
    }

    /** Configures a {@link ServerHandshake}; not thread-safe. */
    public static final class Builder {
        private OriginMatcher origins = OriginMatcher.sameOrigin();
        private List<String> subprotocols = List.of();
        private ExtensionNegotiator negotiator = ExtensionNegotiator.NONE;

        private Builder() {}

        /** The origin policy; {@link OriginMatcher#sameOrigin()} by default. */
        public Builder origins(OriginMatcher matcher) {
            this.origins = matcher;
            return this;
        }

        /**
         * Allowed origins as patterns ({@link OriginMatcher#of(java.util.Collection)}); none means
         * same origin only.
         *
         * @throws IllegalArgumentException if a pattern is invalid
         */
        public Builder allowedOrigins(String... patterns) {
            return origins(OriginMatcher.of(patterns));
        }

        /**
         * The subprotocols this server speaks, most preferred first.
         *
         * @throws IllegalArgumentException if one is not an HTTP token or one is there twice
         */
        public Builder subprotocols(List<String> preferred) {
            Set<String> seen = new HashSet<>();
            for (String p : preferred) {
                if (!HttpSyntax.isToken(p)) {
                    throw new IllegalArgumentException(
                            "'subprotocols' must hold HTTP tokens, was " + HttpSyntax.quote(p));
                }
                if (!seen.add(p)) {
                    throw new IllegalArgumentException("'subprotocols' must not repeat " + p);
                }
            }
            this.subprotocols = new ArrayList<>(preferred);
            return this;
        }

        /** As {@link #subprotocols(List)}. */
        public Builder subprotocols(String... preferred) {
            return subprotocols(List.of(preferred));
        }

        /** The extension negotiation hook; {@link ExtensionNegotiator#NONE} by default. */
        public Builder extensions(ExtensionNegotiator extensionNegotiator) {
            this.negotiator = extensionNegotiator;
            return this;
        }

        /** A handshake with this configuration; the builder may be reused. */
        public ServerHandshake build() {
            return new ServerHandshake(this);
        }
    }
}
