package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension name
 * and its parameters in order. A client sends offers; a server answers with the same shape for
 * each extension it accepts, so this type serves both. Immutable.
 *
 * <p>{@link #parse(List)} reads the headers of a message; {@link #format(List)} writes one header
 * value. Parameter values are tokens; the parser also accepts them as quoted strings, as §9.1
 * allows, and unquotes them.
 *
 * @param name the extension name, an HTTP token ({@code permessage-deflate})
 * @param parameters its parameters in the order written
 */
public record ExtensionOffer(String name, List<ExtensionParameter> parameters) {

    private static final String MALFORMED = "Malformed Sec-WebSocket-Extensions: ";

    /**
     * @throws IllegalArgumentException if the name is not a token
     */
    public ExtensionOffer {
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("'name' must be an HTTP token, was " + HttpSyntax.quote(name));
        }
        parameters = List.copyOf(parameters);
    }

    /** An offer of {@code name} with {@code parameters}. */
    public static ExtensionOffer of(String name, ExtensionParameter... parameters) {
        return new ExtensionOffer(name, Arrays.asList(parameters));
    }

    /** Whether a parameter of that name (compared ignoring case) is present, with or without value. */
    public boolean hasParameter(String parameterName) {
        for (ExtensionParameter p : parameters) {
            if (p.name().equalsIgnoreCase(parameterName)) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first parameter of that name (ignoring case), or null if it is absent or bare. */
    public @Nullable String parameterValue(String parameterName) {
        for (ExtensionParameter p : parameters) {
            if (p.name().equalsIgnoreCase(parameterName)) {
                return p.value();
            }
        }
        return null;
    }

    /** The element as written in the header: {@code permessage-deflate; client_max_window_bits=10}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        for (ExtensionParameter p : parameters) {
            b.append("; ").append(p);
        }
        return b.toString();
    }

    /** One header value listing {@code offers} in order, separated by {@code ", "}. */
    public static String format(List<ExtensionOffer> offers) {
        StringBuilder b = new StringBuilder();
        for (ExtensionOffer offer : offers) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(offer);
        }
        return b.toString();
    }

    /**
     * The extensions listed in the given {@code Sec-WebSocket-Extensions} header values, in order;
     * empty list elements are skipped (RFC 9110 §5.6.1).
     *
     * @throws IllegalArgumentException if a value breaks the RFC 6455 §9.1 grammar; the message
     *     starts with {@code Malformed Sec-WebSocket-Extensions: } and says where
     */
    public static List<ExtensionOffer> parse(List<String> headerValues) {
        List<ExtensionOffer> out = new ArrayList<>();
        for (String value : headerValues) {
            new Reader(value).readList(out);
        }
        return out;
    }

    /** A cursor over one header value. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        void readList(List<ExtensionOffer> out) {
            while (true) {
                skipOws();
                if (i == s.length()) {
                    return;
                }
                if (s.charAt(i) == ',') {
                    i++; // an empty element
                    continue;
                }
                String name = token("an extension name");
                List<ExtensionParameter> parameters = new ArrayList<>();
                skipOws();
                while (i < s.length() && s.charAt(i) == ';') {
                    i++;
                    skipOws();
                    String parameter = token("a parameter name");
                    skipOws();
                    String value = null;
                    if (i < s.length() && s.charAt(i) == '=') {
                        i++;
                        skipOws();
                        value = i < s.length() && s.charAt(i) == '"' ? quoted() : token("a parameter value");
                        skipOws();
                    }
                    parameters.add(new ExtensionParameter(parameter, value));
                }
                out.add(new ExtensionOffer(name, parameters));
                if (i < s.length()) {
                    if (s.charAt(i) != ',') {
                        throw fail("expected ';' or ',' at index " + i);
                    }
                    i++;
                }
            }
        }

        private String token(String what) {
            int start = i;
            while (i < s.length() && HttpSyntax.isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw fail("expected " + what + " at index " + start);
            }
            return s.substring(start, i);
        }

        /** RFC 9110 §5.6.4 quoted-string, whose content must be a token (RFC 6455 §9.1). */
        private String quoted() {
            int start = i++;
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    if (!HttpSyntax.isToken(b.toString())) {
                        throw fail("quoted value at index " + start + " is not a token");
                    }
                    return b.toString();
                }
                if (c == '\\') {
                    if (i == s.length()) {
                        break;
                    }
                    c = s.charAt(i++);
                }
                b.append(c);
            }
            throw fail("unterminated quoted value at index " + start);
        }

        private void skipOws() {
            while (i < s.length() && HttpSyntax.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException fail(String detail) {
            return new IllegalArgumentException(MALFORMED + detail + " of " + HttpSyntax.quote(HttpSyntax.shorten(s)));
        }
    }
}
