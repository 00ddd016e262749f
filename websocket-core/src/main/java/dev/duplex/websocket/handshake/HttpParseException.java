package dev.duplex.websocket.handshake;

import dev.duplex.websocket.WebSocketException;

/**
 * An HTTP/1.1 message head that breaks RFC 9112 or a configured limit. For a request, {@link
 * #status()} is the status a server answers with: 400 (Bad Request), 431 (Request Header Fields
 * Too Large) or 505 (HTTP Version Not Supported).
 */
public final class HttpParseException extends WebSocketException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status that answers the bad message
     * @param message a short sentence saying what was wrong
     */
    public HttpParseException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status that answers the bad message: 400, 431 or 505. */
    public int status() {
        return status;
    }
}
