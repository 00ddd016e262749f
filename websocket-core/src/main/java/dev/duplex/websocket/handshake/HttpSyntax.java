package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.List;

/** Character classes and small scanners of the HTTP/1.1 grammar (RFC 9110 §5.6). */
final class HttpSyntax {

    /** RFC 9110 §5.6.2 tchar, indexed by US-ASCII code. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpSyntax() {}

    static boolean isTokenChar(int c) {
        return c >= 0 && c < 128 && TCHAR[c];
    }

    /** Whether {@code s} is a non-empty RFC 9110 token. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 §5.5 field-vchar, SP or HTAB: any octet but the controls (obs-text allowed). */
    static boolean isFieldValueChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff);
    }

    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Checks a header value a caller wants to send: RFC 9110 §5.5 field content, without leading
     * or trailing whitespace so that it survives a round trip.
     */
    static String checkValue(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isFieldValueChar(c)) {
                throw new IllegalArgumentException(
                        "'" + what + "' must not contain control characters such as CR or LF, was " + quote(value));
            }
        }
        if (!value.isEmpty() && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(value.length() - 1)))) {
            throw new IllegalArgumentException(
                    "'" + what + "' must not start or end with whitespace, was " + quote(value));
        }
        return value;
    }

    /** Checks a header name a caller wants to send: an RFC 9110 token. */
    static String checkName(String name) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("'name' must be an HTTP token, was " + quote(name));
        }
        return name;
    }

    /** Java-style quoting with control characters escaped, for messages that show bad input. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * The elements of an RFC 9110 §5.6.1 comma-separated list, each trimmed of whitespace, empty
     * elements skipped. Quoted strings are not special here: callers use it for token lists.
     */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>(2);
        int start = 0;
        int n = value.length();
        while (start <= n) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            String element = trimOws(value, start, end);
            if (!element.isEmpty()) {
                out.add(element);
            }
            start = end + 1;
        }
        return out;
    }

    /** {@code s[start, end)} without the SP and HTAB (RFC 9110 §5.6.3 OWS) at either end. */
    static String trimOws(String s, int start, int end) {
        while (start < end && isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Bad input echoed in a message is cut to 64 characters to keep messages short. */
    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
