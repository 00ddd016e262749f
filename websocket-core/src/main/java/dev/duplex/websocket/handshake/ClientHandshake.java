package dev.duplex.websocket.handshake;

import dev.duplex.websocket.HandshakeException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of one opening handshake (RFC 6455 §4.1): the request bytes to write, then
 * the validation of the server's response as its bytes arrive. No I/O: the transport writes
 * {@link #requestBytes()} and feeds what it reads to {@link #receive(ByteBuffer)}.
 *
 * <p>The response must be {@code HTTP/1.1 101} with {@code Upgrade: websocket} and {@code
 * Connection: upgrade} (token lists, any case), exactly one {@code Sec-WebSocket-Accept} matching
 * the key sent, at most one subprotocol and only one that was offered, and extensions only among
 * those offered, each once. Any other answer is a {@link HandshakeException} with the status, the
 * response headers and, for a refusal, the start of the body.
 *
 * <p>One instance serves one connection attempt; not thread-safe. Build it with {@link
 * #builder(URI)}.
 */
public final class ClientHandshake {

    private enum State {
        HEAD,
        ERROR_BODY,
        DONE,
        FAILED
    }

    private final WebSocketUri uri;
    private final String key;
    private final List<String> subprotocols;
    private final List<ExtensionOffer> extensions;
    private final byte[] request;
    private final HttpResponseParser parser;

    private State state = State.HEAD;
    /** The response head once received; null before. */
    private @Nullable HttpResponse response;
    /** The body collector of a refusal; null unless the state is {@link State#ERROR_BODY}. */
    private @Nullable ErrorBody errorBody;

    private @Nullable String subprotocol;
    private List<ExtensionOffer> accepted = List.of();

    private ClientHandshake(Builder b, String key, String request) {
        this.uri = b.uri;
        this.key = key;
        this.subprotocols = List.copyOf(b.subprotocols);
        this.extensions = List.copyOf(b.extensions);
        this.request = request.getBytes(StandardCharsets.ISO_8859_1);
        this.parser = new HttpResponseParser(b.maxResponseHeadSize, HttpRequestParser.DEFAULT_MAX_HEADERS);
    }

    /**
     * A builder for a handshake with {@code uri}.
     *
     * @throws IllegalArgumentException if the URI is not a valid {@code ws}/{@code wss} URI
     *     ({@link WebSocketUri#of(URI)})
     */
    public static Builder builder(URI uri) {
        return new Builder(WebSocketUri.of(uri));
    }

    /** The validated URI. */
    public WebSocketUri uri() {
        return uri;
    }

    /** The {@code Sec-WebSocket-Key} sent. */
    public String key() {
        return key;
    }

    /** The request head to write, a fresh copy. */
    public byte[] requestBytes() {
        return request.clone();
    }

    /**
     * Consumes response bytes from {@code in}.
     *
     * @return true once the server has accepted the handshake; the bytes after the response head
     *     (the first frames) then stay in {@code in}. False if more bytes are needed.
     * @throws HandshakeException if the response is malformed or refuses or breaks the handshake;
     *     for a refusal, thrown once the start of the body has arrived
     * @throws IllegalStateException if called after it returned true or threw
     */
    public boolean receive(ByteBuffer in) {
        try {
            return switch (state) {
                case HEAD -> receiveHead(in);
                case ERROR_BODY -> receiveBody(in);
                case DONE, FAILED -> throw new IllegalStateException("the handshake is over");
            };
        } catch (HandshakeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private boolean receiveHead(ByteBuffer in) {
        HttpResponse r;
        try {
            r = parser.parse(in);
        } catch (HttpParseException e) {
            throw new HandshakeException("Malformed handshake response: " + e.getMessage());
        }
        if (r == null) {
            return false;
        }
        response = r;
        if (r.status() != 101) {
            String message = "Expected HTTP 101 Switching Protocols, the server answered " + r.status()
                    + (r.reason().isEmpty() ? "" : " " + HttpSyntax.shorten(r.reason()));
            errorBody = new ErrorBody(r, message);
            state = State.ERROR_BODY;
            return receiveBody(in);
        }
        validate(r);
        state = State.DONE;
        return true;
    }

    private boolean receiveBody(ByteBuffer in) {
        ErrorBody body = errorBody;
        if (body != null && body.feed(in)) {
            throw body.failure();
        }
        return false;
    }

    private void validate(HttpResponse r) {
        HttpHeaders h = r.headers();
        if (!r.version().equals("HTTP/1.1")) {
            throw invalid(r, "The server answered with " + r.version() + " instead of HTTP/1.1");
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            throw invalid(r, "The server's response lacks Upgrade: websocket");
        }
        if (!h.containsToken("Connection", "upgrade")) {
            throw invalid(r, "The server's response lacks Connection: Upgrade");
        }
        List<String> accepts = h.all(HandshakeHeaders.SEC_WEBSOCKET_ACCEPT);
        if (accepts.isEmpty()) {
            throw invalid(r, "The server's response lacks Sec-WebSocket-Accept");
        }
        if (accepts.size() > 1 || !accepts.get(0).equals(AcceptKey.accept(key))) {
            throw invalid(r, "The server's Sec-WebSocket-Accept does not match the key sent");
        }
        List<String> protocols = h.tokens(HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL);
        if (protocols.size() > 1) {
            throw invalid(
                    r, "The server selected several subprotocols: " + HttpSyntax.shorten(String.join(", ", protocols)));
        }
        if (protocols.size() == 1) {
            String chosen = protocols.get(0);
            if (!subprotocols.contains(chosen)) {
                throw invalid(
                        r, "The server selected subprotocol " + HttpSyntax.shorten(chosen) + ", which was not offered");
            }
            subprotocol = chosen;
        }
        List<ExtensionOffer> answered;
        try {
            answered = ExtensionOffer.parse(h.all(HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS));
        } catch (IllegalArgumentException e) {
            throw invalid(r, String.valueOf(e.getMessage()));
        }
        Set<String> offered = new HashSet<>();
        for (ExtensionOffer o : extensions) {
            offered.add(o.name().toLowerCase(Locale.ROOT));
        }
        Set<String> seen = new HashSet<>();
        for (ExtensionOffer a : answered) {
            String name = a.name().toLowerCase(Locale.ROOT);
            if (!offered.contains(name)) {
                throw invalid(r, "The server accepted extension " + a.name() + ", which was not offered");
            }
            if (!seen.add(name)) {
                throw invalid(r, "The server accepted extension " + a.name() + " twice");
            }
        }
        accepted = List.copyOf(answered);
    }

    private static HandshakeException invalid(HttpResponse r, String message) {
        return new HandshakeException(r.status(), message, r.headers().toMap(), new byte[0]);
    }

    /**
     * The failure to report when the input ends (the server closed the connection) or the
     * handshake times out before {@link #receive} decided: a refusal with the part of its body
     * that arrived, or a failure saying that no complete response came.
     */
    public HandshakeException endOfInput() {
        ErrorBody body = errorBody;
        state = State.FAILED;
        if (body != null) {
            return body.failure();
        }
        return new HandshakeException("The server sent no complete handshake response");
    }

    /** Whether the server accepted the handshake. */
    public boolean isAccepted() {
        return state == State.DONE;
    }

    /**
     * The response head.
     *
     * @throws IllegalStateException if none has been received yet
     */
    public HttpResponse response() {
        HttpResponse r = response;
        if (r == null) {
            throw new IllegalStateException("no response has been received");
        }
        return r;
    }

    /** The subprotocol the server selected, or null if none (or not accepted yet). */
    public @Nullable String subprotocol() {
        return subprotocol;
    }

    /** The extensions the server accepted, with its parameters, in order; empty until accepted. */
    public List<ExtensionOffer> extensions() {
        return accepted;
    }

    /**
     * Configures the request of a {@link ClientHandshake}; not thread-safe. Every name and value is
     * checked as it is given, so that no caller can inject a line into the request: a bad one is an
     * {@link IllegalArgumentException}.
     */
    public static final class Builder {
        private final WebSocketUri uri;
        private @Nullable String key;
        private @Nullable String origin;
        private List<String> subprotocols = List.of();
        private List<ExtensionOffer> extensions = List.of();
        private final HttpHeaders headers = new HttpHeaders();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private @Nullable String authorization;
        private int maxResponseHeadSize = HttpRequestParser.DEFAULT_MAX_HEAD_SIZE;

        private Builder(WebSocketUri uri) {
            this.uri = uri;
        }

        /** The {@code Origin} to send, such as {@code https://app.example.com}; none by default. */
        public Builder origin(String value) {
            this.origin = HttpSyntax.checkValue("origin", value);
            return this;
        }

        /**
         * The subprotocols to offer, most preferred first.
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
            this.subprotocols = List.copyOf(preferred);
            return this;
        }

        /** The extensions to offer, in order. */
        public Builder extensions(List<ExtensionOffer> offers) {
            this.extensions = List.copyOf(offers);
            return this;
        }

        /**
         * Adds a header; several calls with one name send several fields.
         *
         * @throws IllegalArgumentException if the name or value is invalid, or the name is one the
         *     handshake writes ({@link HandshakeHeaders#isReserved}, {@code Origin}, {@code Authorization}
         *     when credentials are set)
         */
        public Builder header(String name, String value) {
            if (HandshakeHeaders.isReserved(name) || name.equalsIgnoreCase("Origin")) {
                throw new IllegalArgumentException("'name' must not be " + name + ", which the handshake writes");
            }
            headers.add(name, value);
            return this;
        }

        /**
         * Adds a cookie; all cookies go in one {@code Cookie} header, {@code a=1; b=2} (RFC 6265
         * §5.4), after any {@code Cookie} header added by {@link #header}.
         *
         * @throws IllegalArgumentException if the name is not a token or the value not cookie octets
         */
        public Builder cookie(String name, String value) {
            if (!HttpSyntax.isToken(name)) {
                throw new IllegalArgumentException("'name' must be an HTTP token, was " + HttpSyntax.quote(name));
            }
            String bare = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                    ? value.substring(1, value.length() - 1)
                    : value;
            for (int i = 0; i < bare.length(); i++) {
                char c = bare.charAt(i);
                // RFC 6265 §4.1.1 cookie-octet: no controls, whitespace, DQUOTE, comma, semicolon or backslash
                if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                    throw new IllegalArgumentException(
                            "'value' must be cookie octets (RFC 6265 §4.1.1), was " + HttpSyntax.quote(value));
                }
            }
            cookies.put(name, value);
            return this;
        }

        /** Sends {@code Authorization: Basic …} ({@link HttpAuthorization#basic}). */
        public Builder basicAuth(String user, String password) {
            this.authorization = HttpAuthorization.basic(user, password);
            return this;
        }

        /** Sends {@code Authorization: Bearer …} ({@link HttpAuthorization#bearer}). */
        public Builder bearerToken(String token) {
            this.authorization = HttpAuthorization.bearer(token);
            return this;
        }

        /**
         * The {@code Sec-WebSocket-Key} to send instead of a fresh random one: for tests only, since
         * RFC 6455 §4.1 requires a new random key per connection.
         *
         * @throws IllegalArgumentException if it is not the base64 of 16 bytes
         */
        public Builder key(String fixedKey) {
            if (!AcceptKey.isValidKey(fixedKey)) {
                throw new IllegalArgumentException(
                        "'key' must be base64 of 16 bytes, was " + HttpSyntax.quote(fixedKey));
            }
            this.key = fixedKey;
            return this;
        }

        /**
         * The most bytes the response head may take; {@link HttpRequestParser#DEFAULT_MAX_HEAD_SIZE}
         * by default.
         *
         * @throws IllegalArgumentException if below 16
         */
        public Builder maxResponseHeadSize(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("'maxResponseHeadSize' must be at least 16, was " + bytes);
            }
            this.maxResponseHeadSize = bytes;
            return this;
        }

        /**
         * The handshake, with a fresh key unless one was fixed. Without {@link #basicAuth} or {@link #bearerToken}, user information in the
         * URI ({@code ws://user:password@host/}) becomes basic credentials.
         *
         * @throws IllegalArgumentException if credentials are set and an {@code Authorization}
         *     header was added too
         */
        public ClientHandshake build() {
            String auth = authorization;
            String userInfo = uri.userInfo();
            if (auth == null && userInfo != null) {
                int colon = userInfo.indexOf(':');
                auth = colon < 0
                        ? HttpAuthorization.basic(userInfo, "")
                        : HttpAuthorization.basic(userInfo.substring(0, colon), userInfo.substring(colon + 1));
            }
            if (auth != null && headers.contains("Authorization")) {
                throw new IllegalArgumentException("'Authorization' must not be both a header and credentials");
            }
            String chosenKey = key == null ? AcceptKey.newKey() : key;
            StringBuilder b = new StringBuilder(256);
            b.append("GET ").append(uri.requestTarget()).append(" HTTP/1.1\r\n");
            HttpStatus.field(b, "Host", uri.hostHeader());
            HttpStatus.field(b, "Upgrade", "websocket");
            HttpStatus.field(b, "Connection", "Upgrade");
            HttpStatus.field(b, HandshakeHeaders.SEC_WEBSOCKET_KEY, chosenKey);
            HttpStatus.field(b, HandshakeHeaders.SEC_WEBSOCKET_VERSION, HandshakeHeaders.VERSION_13);
            if (origin != null) {
                HttpStatus.field(b, "Origin", origin);
            }
            if (!subprotocols.isEmpty()) {
                HttpStatus.field(b, HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL, String.join(", ", subprotocols));
            }
            if (!extensions.isEmpty()) {
                HttpStatus.field(b, HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS, ExtensionOffer.format(extensions));
            }
            if (auth != null) {
                HttpStatus.field(b, "Authorization", auth);
            }
            List<String> cookieParts = new ArrayList<>(headers.all("Cookie"));
            cookies.forEach((name, value) -> cookieParts.add(name + "=" + value));
            if (!cookieParts.isEmpty()) {
                HttpStatus.field(b, "Cookie", String.join("; ", cookieParts));
            }
            headers.forEach((name, value) -> {
                if (!name.equalsIgnoreCase("Cookie")) {
                    HttpStatus.field(b, name, value);
                }
            });
            b.append("\r\n");
            return new ClientHandshake(this, chosenKey, b.toString());
        }
    }
}
