package dev.duplex.websocket.handshake;

import dev.duplex.websocket.HandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The tunnel request to an HTTP proxy (RFC 9110 §9.3.6) that precedes the WebSocket handshake
 * when a client connects through one: {@code CONNECT host:port HTTP/1.1} with {@code Host} and
 * optional {@code Proxy-Authorization}, then the check of the proxy's answer. Any 2xx opens the
 * tunnel; anything else is a {@link HandshakeException} with the proxy's status, headers and the
 * start of its body. No I/O; one instance serves one attempt; not thread-safe.
 */
public final class ProxyConnect {

    private final String authority;
    private final byte[] request;
    private final HttpResponseParser parser = new HttpResponseParser();
    private @Nullable ErrorBody errorBody;
    private boolean over;

    /**
     * @param host the target host (a name, IPv4 address, or IPv6 address with or without brackets)
     * @param port the target port, 1 to 65535
     * @param proxyAuthorization the {@code Proxy-Authorization} value (see {@link
     *     HttpAuthorization#basic}), or null to send none
     * @throws IllegalArgumentException if the host or port is invalid or the authorization has
     *     control characters
     */
    public ProxyConnect(String host, int port, @Nullable String proxyAuthorization) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'port' must be in [1, 65536), was " + port);
        }
        String bracketed = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        if (HostPort.parse(bracketed) == null || bracketed.indexOf(':', bracketed.indexOf(']') + 1) >= 0) {
            throw new IllegalArgumentException("'host' must be a host name or address, was " + HttpSyntax.quote(host));
        }
        this.authority = bracketed + ":" + port;
        StringBuilder b = new StringBuilder(128);
        b.append("CONNECT ").append(authority).append(" HTTP/1.1\r\n");
        HttpStatus.field(b, "Host", authority);
        if (proxyAuthorization != null) {
            HttpStatus.field(b, "Proxy-Authorization", HttpSyntax.checkValue("proxyAuthorization", proxyAuthorization));
        }
        b.append("\r\n");
        this.request = b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A tunnel to the host and port of {@code target}. */
    public static ProxyConnect to(WebSocketUri target, @Nullable String proxyAuthorization) {
        return new ProxyConnect(target.host(), target.port(), proxyAuthorization);
    }

    /** The request head to write to the proxy, a fresh copy. */
    public byte[] requestBytes() {
        return request.clone();
    }

    /**
     * Consumes the proxy's answer from {@code in}.
     *
     * @return true once the proxy answered 2xx: the tunnel is open and the bytes after the head
     *     stay in {@code in}. False if more bytes are needed.
     * @throws HandshakeException if the answer is malformed or not 2xx; for a refusal, thrown once
     *     the start of the body has arrived
     * @throws IllegalStateException if called after it returned true or threw
     */
    public boolean receive(ByteBuffer in) {
        if (over) {
            throw new IllegalStateException("the CONNECT exchange is over");
        }
        ErrorBody body = errorBody;
        if (body == null) {
            HttpResponse r;
            try {
                r = parser.parse(in);
            } catch (HttpParseException e) {
                over = true;
                throw new HandshakeException("Malformed proxy response: " + e.getMessage());
            }
            if (r == null) {
                return false;
            }
            if (r.status() / 100 == 2) {
                over = true;
                return true;
            }
            body = new ErrorBody(
                    r,
                    "The proxy refused CONNECT " + authority + ": " + r.status()
                            + (r.reason().isEmpty() ? "" : " " + HttpSyntax.shorten(r.reason())));
            errorBody = body;
        }
        if (body.feed(in)) {
            over = true;
            throw body.failure();
        }
        return false;
    }

    /** The failure to report when the proxy closes the connection or times out first. */
    public HandshakeException endOfInput() {
        over = true;
        ErrorBody body = errorBody;
        return body != null
                ? body.failure()
                : new HandshakeException("The proxy sent no complete response to CONNECT " + authority);
    }
}
