package dev.duplex.websocket.handshake;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A refused handshake: an error response with a status, extra headers and a short plain-text body
 * saying what was wrong. After writing it the server closes the connection, which its {@code
 * Connection: close} announces. Immutable.
 *
 * <p>{@link #toBytes()} writes the status line, {@code Content-Type: text/plain; charset=utf-8},
 * {@code Content-Length}, {@code Connection: close} (joined with the tokens of a {@code Connection}
 * extra header, as a 426 needs {@code Connection: Upgrade}), the extra headers, and the message as
 * body.
 *
 * @param status the HTTP status, 300 to 599
 * @param message a short sentence for the body, without line breaks
 * @param headers extra headers, read-only
 */
public record HandshakeRejection(int status, String message, HttpHeaders headers) implements HandshakeDecision {

    /**
     * @throws IllegalArgumentException if the status is not in [300, 600) or the message contains a
     *     line break or other control character
     */
    public HandshakeRejection {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("'status' must be in [300, 600), was " + status);
        }
        for (int i = 0; i < message.length(); i++) {
            if (Character.isISOControl(message.charAt(i))) {
                throw new IllegalArgumentException(
                        "'message' must not contain control characters, was " + HttpSyntax.quote(message));
            }
        }
        headers = headers.readOnly();
    }

    /** A rejection with no extra header. */
    public static HandshakeRejection of(int status, String message) {
        return new HandshakeRejection(status, message, new HttpHeaders());
    }

    /** The rejection that answers a malformed or oversize request head. */
    public static HandshakeRejection of(HttpParseException e) {
        return of(e.status(), String.valueOf(e.getMessage()));
    }

    /**
     * A copy with one more header.
     *
     * @throws IllegalArgumentException if the name or value is invalid, or the name is {@code
     *     Content-Type}, {@code Content-Length} or {@code Transfer-Encoding}, which the body fixes
     */
    public HandshakeRejection withHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")
                || name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("'name' must not be " + name + ", which the rejection sets");
        }
        return new HandshakeRejection(
                status, message, HttpHeaders.copyOf(headers).add(name, value));
    }

    @Override
    public byte[] toBytes() {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(HttpStatus.reason(status))
                .append("\r\n");
        HttpStatus.field(head, "Content-Type", "text/plain; charset=utf-8");
        HttpStatus.field(head, "Content-Length", Integer.toString(body.length));
        List<String> connection = headers.tokens("Connection");
        connection.removeIf(t -> t.equalsIgnoreCase("close"));
        connection.add("close");
        HttpStatus.field(head, "Connection", String.join(", ", connection));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Connection")) {
                HttpStatus.field(head, name, value);
            }
        });
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
