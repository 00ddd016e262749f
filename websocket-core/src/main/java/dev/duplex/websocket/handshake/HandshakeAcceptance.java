package dev.duplex.websocket.handshake;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An accepted handshake: the {@code 101 Switching Protocols} response with its {@code
 * Sec-WebSocket-Accept}, the chosen subprotocol and extensions, and extra headers from the
 * application. Immutable; the {@code with…} methods return adjusted copies, which is how an
 * endpoint's handshake hook changes the server's choice.
 *
 * @param request the request being answered
 * @param accept the {@code Sec-WebSocket-Accept} value (RFC 6455 §4.2.2)
 * @param subprotocol the chosen subprotocol, one the client offered, or null for none
 * @param extensions the accepted extensions with their response parameters, in order
 * @param headers extra headers, read-only
 */
public record HandshakeAcceptance(
        HttpRequest request,
        String accept,
        @Nullable String subprotocol,
        List<ExtensionOffer> extensions,
        HttpHeaders headers)
        implements HandshakeDecision {

    /**
     * @throws IllegalArgumentException if the subprotocol was not offered, or a header is one the
     *     handshake writes itself ({@link HandshakeHeaders#isReserved})
     */
    public HandshakeAcceptance {
        if (subprotocol != null && !request.offeredSubprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("'subprotocol' must be one the client offered "
                    + request.offeredSubprotocols() + ", was " + HttpSyntax.quote(subprotocol));
        }
        extensions = List.copyOf(extensions);
        Set<String> names = new HashSet<>();
        for (ExtensionOffer e : extensions) {
            if (!names.add(e.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "'extensions' must name each extension once, " + e.name() + " is there twice");
            }
        }
        headers.forEach((name, value) -> {
            if (HandshakeHeaders.isReserved(name)) {
                throw new IllegalArgumentException("'headers' must not set " + name + ", which the handshake writes");
            }
        });
        headers = headers.readOnly();
    }

    /** Always 101. */
    @Override
    public int status() {
        return 101;
    }

    /**
     * A copy with another subprotocol.
     *
     * @param chosen one of the client's offers, or null for none
     * @throws IllegalArgumentException if the client did not offer it
     */
    public HandshakeAcceptance withSubprotocol(@Nullable String chosen) {
        return new HandshakeAcceptance(request, accept, chosen, extensions, headers);
    }

    /** A copy with other accepted extensions. */
    public HandshakeAcceptance withExtensions(List<ExtensionOffer> accepted) {
        return new HandshakeAcceptance(request, accept, subprotocol, accepted, headers);
    }

    /**
     * A copy with one more header, such as {@code Set-Cookie}.
     *
     * @throws IllegalArgumentException if the name or value is invalid or the name is reserved
     */
    public HandshakeAcceptance withHeader(String name, String value) {
        return new HandshakeAcceptance(
                request,
                accept,
                subprotocol,
                extensions,
                HttpHeaders.copyOf(headers).add(name, value));
    }

    @Override
    public byte[] toBytes() {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 101 Switching Protocols\r\n");
        HttpStatus.field(head, "Upgrade", "websocket");
        HttpStatus.field(head, "Connection", "Upgrade");
        HttpStatus.field(head, HandshakeHeaders.SEC_WEBSOCKET_ACCEPT, accept);
        if (subprotocol != null) {
            HttpStatus.field(head, HandshakeHeaders.SEC_WEBSOCKET_PROTOCOL, subprotocol);
        }
        if (!extensions.isEmpty()) {
            HttpStatus.field(head, HandshakeHeaders.SEC_WEBSOCKET_EXTENSIONS, ExtensionOffer.format(extensions));
        }
        headers.forEach((name, value) -> HttpStatus.field(head, name, value));
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
