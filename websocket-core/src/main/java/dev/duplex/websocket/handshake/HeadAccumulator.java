package dev.duplex.websocket.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the bytes of one HTTP/1.1 message head up to its empty line, from buffers in any
 * chunking, and splits it into lines. It never holds more than {@code maxHeadSize} bytes: the
 * head must end within that many.
 *
 * <p>Line ends must be CRLF (RFC 9112 §2.2): a bare LF or CR fails at once, because tolerating
 * them is how request smuggling between disagreeing parsers starts, and every real WebSocket
 * peer sends CRLF.
 */
final class HeadAccumulator {

    private static final int INITIAL_CAPACITY = 512;

    private final String what;
    private final int maxHeadSize;
    private final int maxHeaders;
    private final int tooLargeStatus;

    /** Head bytes received so far; grows by doubling up to {@link #maxHeadSize}. */
    private byte[] buf;

    private int length;
    /** Index of the next byte to examine for a line end. */
    private int scanned;
    /** Lines ended so far, the start line included. */
    private int lines;
    /** Where the last line ended (index after its LF), to recognise the empty line. */
    private int lineStart;

    private boolean done;

    /**
     * @param what "request" or "response", for messages
     * @param tooLargeStatus the status that answers a head past the limits
     */
    HeadAccumulator(String what, int maxHeadSize, int maxHeaders, int tooLargeStatus) {
        if (maxHeadSize < 16) {
            throw new IllegalArgumentException("'maxHeadSize' must be at least 16, was " + maxHeadSize);
        }
        if (maxHeaders < 1) {
            throw new IllegalArgumentException("'maxHeaders' must be at least 1, was " + maxHeaders);
        }
        this.what = what;
        this.maxHeadSize = maxHeadSize;
        this.maxHeaders = maxHeaders;
        this.tooLargeStatus = tooLargeStatus;
        this.buf = new byte[Math.min(INITIAL_CAPACITY, maxHeadSize)];
    }

    /**
     * Takes bytes from {@code in} until the head is complete, leaving any bytes after it in {@code
     * in}.
     *
     * @return whether the head is complete
     * @throws HttpParseException on a bare CR or LF, or when a limit is exceeded
     */
    boolean feed(ByteBuffer in) {
        if (done) {
            throw new IllegalStateException("the " + what + " head is already complete");
        }
        while (in.hasRemaining()) {
            int room = maxHeadSize - length;
            if (room == 0) {
                throw new HttpParseException(
                        tooLargeStatus, capitalized() + " head is larger than " + maxHeadSize + " bytes");
            }
            int n = Math.min(in.remaining(), room);
            if (buf.length < length + n) {
                buf = Arrays.copyOf(buf, Math.min(maxHeadSize, Math.max(buf.length * 2, length + n)));
            }
            in.get(buf, length, n);
            length += n;
            int end = scan();
            if (end >= 0) {
                // Give back what follows the head: a server may send frames right after its 101.
                in.position(in.position() - (length - end));
                length = end;
                done = true;
                return true;
            }
        }
        if (length == maxHeadSize) {
            throw new HttpParseException(
                    tooLargeStatus, capitalized() + " head is larger than " + maxHeadSize + " bytes");
        }
        return false;
    }

    /** Examines the new bytes; returns the index after the empty line, or -1. */
    private int scan() {
        byte[] b = buf;
        int j = scanned;
        for (; j < length; j++) {
            byte c = b[j];
            if (c == '\r') {
                if (j + 1 == length) {
                    break; // decide when the next byte is here
                }
                if (b[j + 1] != '\n') {
                    throw new HttpParseException(400, "Bare CR in " + what + " head");
                }
            } else if (c == '\n') {
                if (j == 0 || b[j - 1] != '\r') {
                    throw new HttpParseException(400, "Bare LF in " + what + " head");
                }
                boolean empty = j - 1 == lineStart;
                lines++;
                lineStart = j + 1;
                if (empty) {
                    scanned = j + 1;
                    return j + 1;
                }
                if (lines - 1 > maxHeaders) {
                    throw new HttpParseException(tooLargeStatus, "More than " + maxHeaders + " header fields");
                }
            }
        }
        scanned = j;
        return -1;
    }

    /** The lines of the complete head, without their CRLF and without the final empty line. */
    List<String> lines() {
        if (!done) {
            throw new IllegalStateException("the " + what + " head is not complete");
        }
        List<String> out = new ArrayList<>(lines);
        int start = 0;
        for (int j = 1; j < length; j++) {
            if (buf[j] == '\n') {
                if (j - 1 > start) {
                    out.add(new String(buf, start, j - 1 - start, StandardCharsets.ISO_8859_1));
                } else if (out.isEmpty()) {
                    out.add(""); // an empty start line
                }
                start = j + 1;
            }
        }
        return out;
    }

    /** Bytes held, for tests that prove the bound. */
    int bufferedBytes() {
        return buf.length;
    }

    private String capitalized() {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    /**
     * The header fields of a complete head (its lines after the start line).
     *
     * @throws HttpParseException (400) on obsolete line folding, whitespace before the colon, a bad
     *     name, or a control character in a value
     */
    HttpHeaders fields(List<String> lines) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (HttpSyntax.isWhitespace(line.charAt(0))) {
                // RFC 9112 §5.2: obs-fold; rejecting it is allowed and avoids ambiguity.
                throw new HttpParseException(400, "Obsolete line folding in " + what + " head");
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new HttpParseException(400, "Header field without a colon in " + what + " head");
            }
            if (colon == 0) {
                throw new HttpParseException(400, "Empty header field name in " + what + " head");
            }
            if (HttpSyntax.isWhitespace(line.charAt(colon - 1))) {
                // RFC 9112 §5.1: a server MUST reject whitespace between name and colon with 400.
                throw new HttpParseException(400, "Whitespace before colon in " + what + " head");
            }
            String name = line.substring(0, colon);
            if (!HttpSyntax.isToken(name)) {
                throw new HttpParseException(400, "Malformed header field name in " + what + " head");
            }
            String value = HttpSyntax.trimOws(line, colon + 1, line.length());
            for (int k = 0; k < value.length(); k++) {
                if (!HttpSyntax.isFieldValueChar(value.charAt(k))) {
                    throw new HttpParseException(400, "Control character in header field " + name);
                }
            }
            headers.addUnchecked(common(name), common(value));
        }
        return headers.readOnly();
    }

    /**
     * The fields every upgrade carries, and their usual values: a head's copies are swapped for
     * these shared constants, since an open connection keeps its handshake headers.
     */
    private static final Map<String, String> COMMON = common(
            "Host",
            "Upgrade",
            "Connection",
            "Origin",
            "Sec-WebSocket-Key",
            "Sec-WebSocket-Version",
            "Sec-WebSocket-Protocol",
            "Sec-WebSocket-Extensions",
            "Sec-WebSocket-Accept",
            "User-Agent",
            "Cookie",
            "Pragma",
            "Cache-Control",
            "Accept-Encoding",
            "Accept-Language",
            "Authorization",
            "websocket",
            "upgrade",
            "keep-alive, Upgrade",
            "13",
            "no-cache",
            "gzip, deflate",
            "gzip, deflate, br",
            "permessage-deflate",
            "permessage-deflate; client_max_window_bits",
            "host",
            "upgrade",
            "connection",
            "origin",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-protocol",
            "sec-websocket-extensions",
            "sec-websocket-accept",
            "user-agent");

    private static Map<String, String> common(String... strings) {
        Map<String, String> map = new HashMap<>();
        for (String each : strings) {
            map.put(each, each);
        }
        return Map.copyOf(map);
    }

    private static String common(String s) {
        return COMMON.getOrDefault(s, s);
    }
}
