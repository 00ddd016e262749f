package dev.duplex.websocket.handshake;

import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incremental, bounded parser of one HTTP/1.1 response head (RFC 9112 §4), for the client side
 * of the handshake and for HTTP proxies. Feed it the bytes read from a socket in any chunking; it
 * answers null ("need more") until the head is complete, then the response, leaving the bytes
 * after the head (the first WebSocket frames, or the body) in the buffer.
 *
 * <p>The same strictness and limits as {@link HttpRequestParser} apply; the status line must be
 * {@code HTTP/x.y SP 3DIGIT [SP reason]}. One instance parses one response; not thread-safe.
 */
public final class HttpResponseParser {

    private final HeadAccumulator head;
    private boolean failed;

    /** A parser with the limits of {@link HttpRequestParser#DEFAULT_MAX_HEAD_SIZE} and fields. */
    public HttpResponseParser() {
        this(HttpRequestParser.DEFAULT_MAX_HEAD_SIZE, HttpRequestParser.DEFAULT_MAX_HEADERS);
    }

    /**
     * @param maxHeadSize the most bytes the head may take, at least 16
     * @param maxHeaders the most header fields, at least 1
     * @throws IllegalArgumentException if a limit is out of range
     */
    public HttpResponseParser(int maxHeadSize, int maxHeaders) {
        this.head = new HeadAccumulator("response", maxHeadSize, maxHeaders, 400);
    }

    /**
     * Consumes bytes of the response head from {@code in}.
     *
     * @return the response once its head is complete (the bytes after it stay in {@code in}), or
     *     null if more bytes are needed (then {@code in} has been consumed entirely)
     * @throws HttpParseException if the head is malformed or past a limit; the parser is then spent
     * @throws IllegalStateException if called after the response was returned or a failure
     */
    public @Nullable HttpResponse parse(ByteBuffer in) {
        if (failed) {
            throw new IllegalStateException("the parser already failed");
        }
        try {
            if (!head.feed(in)) {
                return null;
            }
            List<String> lines = head.lines();
            String line = lines.get(0);
            // HTTP-version SP status-code SP [reason-phrase]; a missing last SP is tolerated.
            if (line.length() < 12
                    || !HttpRequestParser.isHttpVersion(line.substring(0, 8))
                    || line.charAt(8) != ' '
                    || !isStatus(line, 9)
                    || (line.length() > 12 && line.charAt(12) != ' ')) {
                throw new HttpParseException(400, "Malformed status line");
            }
            String reason = line.length() > 13 ? line.substring(13) : "";
            for (int i = 0; i < reason.length(); i++) {
                if (!HttpSyntax.isFieldValueChar(reason.charAt(i))) {
                    throw new HttpParseException(400, "Malformed status line");
                }
            }
            int status = Integer.parseInt(line.substring(9, 12));
            return new HttpResponse(line.substring(0, 8), status, reason, head.fields(lines));
        } catch (HttpParseException e) {
            failed = true;
            throw e;
        }
    }

    private static boolean isStatus(String line, int at) {
        for (int i = at; i < at + 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return line.charAt(at) >= '1';
    }
}
