package dev.duplex.websocket.handshake;

/**
 * The head of an HTTP/1.1 response as received: version, status, reason phrase and headers.
 * Immutable; the headers are {@linkplain HttpHeaders#readOnly() read-only}.
 *
 * @param version the HTTP version as sent ({@code HTTP/1.1})
 * @param status the three-digit status code
 * @param reason the reason phrase, possibly empty
 * @param headers the header fields in the order received
 */
public record HttpResponse(String version, int status, String reason, HttpHeaders headers) {

    /** Copies {@code headers} into a read-only instance. */
    public HttpResponse {
        headers = headers.readOnly();
    }
}
