package dev.duplex.websocket.handshake;

import dev.duplex.websocket.HandshakeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Collects the start of the body of a refusing response, at most {@link
 * HandshakeException#MAX_BODY_BYTES} bytes of it, so that the failure can show what the server
 * said. It reads up to {@code Content-Length}, the end of a chunked body, the limit, or the end of
 * input, whichever comes first; a chunked body is decoded as far as it arrived.
 */
final class ErrorBody {

    private final HttpResponse response;
    private final String message;
    private final boolean chunked;
    /** Raw body bytes to read at most: the smaller of Content-Length and the limit. */
    private final int wanted;

    private final byte[] raw;
    private int length;

    ErrorBody(HttpResponse response, String message) {
        this.response = response;
        this.message = message;
        HttpHeaders h = response.headers();
        int status = response.status();
        this.chunked = h.containsToken("Transfer-Encoding", "chunked");
        int limit = HandshakeException.MAX_BODY_BYTES;
        if (status < 200 || status == 204 || status == 304) {
            limit = 0; // RFC 9112 §6.3: these never have a body
        } else if (!chunked && h.count("Content-Length") == 1) {
            try {
                limit = (int) Math.min(limit, Long.parseLong(String.valueOf(h.first("Content-Length"))));
            } catch (NumberFormatException e) {
                // a broken length: read up to the limit or the end of input
            }
        }
        this.wanted = Math.max(0, limit);
        this.raw = new byte[wanted];
    }

    /**
     * Takes body bytes from {@code in}.
     *
     * @return whether enough of the body is here
     */
    boolean feed(ByteBuffer in) {
        int n = Math.min(in.remaining(), wanted - length);
        in.get(raw, length, n);
        length += n;
        return isComplete();
    }

    boolean isComplete() {
        return length == wanted || (chunked && decode(true) != null);
    }

    /** The failure to report, with the body read so far. */
    HandshakeException failure() {
        byte[] body = chunked ? decode(false) : Arrays.copyOf(raw, length);
        return new HandshakeException(
                response.status(), message, response.headers().toMap(), body == null ? new byte[0] : body);
    }

    /**
     * Decodes the chunked body read so far (RFC 9112 §7.1), ignoring chunk extensions.
     *
     * @param onlyIfEnded answer null unless the last chunk was seen
     */
    private byte @Nullable [] decode(boolean onlyIfEnded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int size = 0;
            int start = i;
            while (i < length && Character.digit(raw[i], 16) >= 0 && i - start < 7) {
                size = size * 16 + Character.digit(raw[i], 16);
                i++;
            }
            if (i == start) {
                return onlyIfEnded ? null : out.toByteArray();
            }
            while (i < length && raw[i] != '\n') {
                i++;
            }
            if (i >= length) {
                return onlyIfEnded ? null : out.toByteArray();
            }
            i++;
            if (size == 0) {
                return out.toByteArray();
            }
            int n = Math.min(size, length - i);
            out.write(raw, i, n);
            i += n + 2; // the chunk's CRLF
            if (n < size || i > length) {
                return onlyIfEnded ? null : out.toByteArray();
            }
        }
    }
}
