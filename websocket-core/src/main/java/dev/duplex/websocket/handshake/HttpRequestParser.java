package dev.duplex.websocket.handshake;

import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incremental, bounded parser of one HTTP/1.1 request head (RFC 9112 §2-§5), for the server
 * side of the handshake. Feed it the bytes read from a socket in any chunking; it answers null
 * ("need more") until the empty line that ends the head has arrived, then the request, leaving the
 * bytes after the head in the buffer.
 *
 * <p>It is strict: lines must end in CRLF (a bare CR or LF is a 400), obsolete line folding and
 * whitespace before a colon are rejected (400), values may not contain control characters (400),
 * and the request line must be {@code METHOD SP origin-form SP HTTP/x.y} with single spaces. It
 * never holds more than {@code maxHeadSize} bytes: a head that does not end within them, or one
 * with more than {@code maxHeaders} fields, fails with 431. Checking the method and version is
 * left to {@link ServerHandshake}, so that each gets its own status.
 *
 * <p>One instance parses one request; not thread-safe.
 */
public final class HttpRequestParser {

    /** The default limit on the size of a request head, CRLFs included: 8 KiB. */
    public static final int DEFAULT_MAX_HEAD_SIZE = 8192;
    /** The default limit on the number of header fields. */
    public static final int DEFAULT_MAX_HEADERS = 100;

    private final HeadAccumulator head;
    private boolean failed;

    /** A parser with {@link #DEFAULT_MAX_HEAD_SIZE} and {@link #DEFAULT_MAX_HEADERS}. */
    public HttpRequestParser() {
        this(DEFAULT_MAX_HEAD_SIZE, DEFAULT_MAX_HEADERS);
    }

    /**
     * @param maxHeadSize the most bytes the head may take, at least 16
     * @param maxHeaders the most header fields, at least 1
     * @throws IllegalArgumentException if a limit is out of range
     */
    public HttpRequestParser(int maxHeadSize, int maxHeaders) {
        this.head = new HeadAccumulator("request", maxHeadSize, maxHeaders, 431);
    }

    /**
     * Consumes bytes of the request head from {@code in}.
     *
     * @return the request once its head is complete (the bytes after it stay in {@code in}), or
     *     null if more bytes are needed (then {@code in} has been consumed entirely)
     * @throws HttpParseException if the head is malformed (400) or too large (431); the parser is
     *     then spent
     * @throws IllegalStateException if called after the request was returned or a failure
     */
    public @Nullable HttpRequest parse(ByteBuffer in) {
        if (failed) {
            throw new IllegalStateException("the parser already failed");
        }
        try {
            if (!head.feed(in)) {
                return null;
            }
            List<String> lines = head.lines();
            String[] parts = requestLine(lines.get(0));
            return new HttpRequest(parts[0], parts[1], parts[2], head.fields(lines));
        } catch (HttpParseException e) {
            failed = true;
            throw e;
        }
    }

    private static String[] requestLine(String line) {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpParseException(400, "Malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!HttpSyntax.isToken(method)) {
            throw new HttpParseException(400, "Malformed request line");
        }
        if (!isOriginForm(target)) {
            throw new HttpParseException(400, "Request target is not in origin-form");
        }
        if (!isHttpVersion(version)) {
            throw new HttpParseException(400, "Malformed HTTP version");
        }
        return new String[] {method, target, version};
    }

    /** RFC 9112 §2.3: {@code HTTP/} DIGIT {@code .} DIGIT. */
    static boolean isHttpVersion(String v) {
        return v.length() == 8
                && v.startsWith("HTTP/")
                && isDigit(v.charAt(5))
                && v.charAt(6) == '.'
                && isDigit(v.charAt(7));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * RFC 9112 §3.2.1 origin-form: an absolute path of RFC 3986 pchars and slashes, then an optional
     * {@code ?} and query; percent signs must start a valid escape.
     */
    static boolean isOriginForm(String t) {
        if (t.isEmpty() || t.charAt(0) != '/') {
            return false;
        }
        for (int i = 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '%') {
                if (i + 2 >= t.length() || !isHex(t.charAt(i + 1)) || !isHex(t.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isPcharOrDelimiter(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 3986 unreserved, sub-delims, {@code :}, {@code @}, {@code /} and {@code ?}. */
    private static boolean isPcharOrDelimiter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }
}
