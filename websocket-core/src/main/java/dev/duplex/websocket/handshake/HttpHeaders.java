package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The header fields of an HTTP/1.1 message: names compared ignoring case (RFC 9110 §5.1), several
 * values per name, every field kept in the order it was added.
 *
 * <p>Fields added through the public methods are checked: a name must be an RFC 9110 token, a value
 * must not contain control characters (so no CR or LF can split a message) nor start or end with
 * whitespace; a violation is an {@link IllegalArgumentException}. Lookups are linear, which is the
 * fastest choice for the few dozen fields of a handshake.
 *
 * <p>Not thread-safe while being modified. {@link #readOnly()} gives an unmodifiable copy that may
 * be shared between threads; its mutators throw {@link UnsupportedOperationException}.
 */
public final class HttpHeaders {

    private final ArrayList<String> names;
    private final ArrayList<String> values;
    private final boolean readOnly;

    /** An empty, modifiable set of headers. */
    public HttpHeaders() {
        this(new ArrayList<>(), new ArrayList<>(), false);
    }

    private HttpHeaders(ArrayList<String> names, ArrayList<String> values, boolean readOnly) {
        this.names = names;
        this.values = values;
        this.readOnly = readOnly;
    }

    /** A modifiable copy of {@code other}. */
    public static HttpHeaders copyOf(HttpHeaders other) {
        return new HttpHeaders(new ArrayList<>(other.names), new ArrayList<>(other.values), false);
    }

    /** An unmodifiable copy of these headers (or these headers, if they are already read-only). */
    public HttpHeaders readOnly() {
        return readOnly ? this : new HttpHeaders(new ArrayList<>(names), new ArrayList<>(values), true);
    }

    /** Whether the mutators of this instance throw {@link UnsupportedOperationException}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Appends a field, keeping any earlier field of that name.
     *
     * @return this
     * @throws IllegalArgumentException if {@code name} is not a token or {@code value} contains a
     *     control character or surrounding whitespace
     */
    public HttpHeaders add(String name, String value) {
        return addUnchecked(HttpSyntax.checkName(name), HttpSyntax.checkValue("value", value));
    }

    /**
     * Replaces every field of {@code name} by one with {@code value}, at the place of the first one
     * (or at the end if there was none).
     *
     * @return this
     * @throws IllegalArgumentException as {@link #add}
     */
    public HttpHeaders set(String name, String value) {
        HttpSyntax.checkName(name);
        HttpSyntax.checkValue("value", value);
        checkWritable();
        int first = indexOf(name);
        if (first < 0) {
            return addUnchecked(name, value);
        }
        remove(name);
        names.add(first, name);
        values.add(first, value);
        return this;
    }

    /**
     * Removes every field of {@code name}.
     *
     * @return whether there was one
     */
    public boolean remove(String name) {
        checkWritable();
        boolean removed = false;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /** Appends a field already known to be valid (from the parser or a constant). */
    HttpHeaders addUnchecked(String name, String value) {
        checkWritable();
        names.add(name);
        values.add(value);
        return this;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("these headers are read-only");
        }
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The number of fields (a name with two values counts twice). */
    public int size() {
        return names.size();
    }

    /** Whether there is no field. */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** The name of the field at {@code index}, as it was added. */
    public String name(int index) {
        return names.get(index);
    }

    /** The value of the field at {@code index}. */
    public String value(int index) {
        return values.get(index);
    }

    /** Whether there is a field of {@code name}. */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of the first field of {@code name}, or null if there is none. */
    public @Nullable String first(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values.get(i);
    }

    /** The values of every field of {@code name}, in order; empty if there is none. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    /** How many fields of {@code name} there are. */
    public int count(String name) {
        int n = 0;
        for (String each : names) {
            if (each.equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The elements of the comma-separated lists (RFC 9110 §5.6.1) in every field of {@code name},
     * in order, trimmed, empty elements skipped: {@code Connection: keep-alive, Upgrade} gives
     * {@code [keep-alive, Upgrade]}.
     */
    public List<String> tokens(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.addAll(HttpSyntax.splitList(values.get(i)));
            }
        }
        return out;
    }

    /**
     * Whether a field of {@code name} lists {@code token} in its comma-separated value, ignoring
     * case: {@code containsToken("connection", "upgrade")} holds for {@code Connection: keep-alive,
     * Upgrade}.
     */
    public boolean containsToken(String name, String token) {
        for (String element : tokens(name)) {
            if (element.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** The distinct names, compared ignoring case, in the spelling of their first field. */
    public Set<String> names() {
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            if (seen.add(name)) {
                out.add(name);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Calls {@code action} with each field's name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    /**
     * A read-only copy as a map from each name (spelled as in its first field) to its values, in
     * order; lookups ignore the case of the name ({@code get("sec-websocket-key")} finds {@code
     * Sec-WebSocket-Key}). The form {@link dev.duplex.websocket.WebSocket#handshakeHeaders()},
     * {@link dev.duplex.websocket.HandshakeException} and other JDK-typed APIs use.
     */
    public Map<String, List<String>> toMap() {
        return new CaseInsensitiveMap(readOnly());
    }

    /** Equal if the other holds the same fields in the same order, names compared ignoring case. */
    @Override
    public boolean equals(@Nullable Object o) {
        if (!(o instanceof HttpHeaders other) || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equalsIgnoreCase(other.names.get(i))
                    || !values.get(i).equals(other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < names.size(); i++) {
            h = 31 * h + names.get(i).toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + values.get(i).hashCode();
        }
        return h;
    }

    /**
     * The fields as {@code Name: value} lines, for logs; the values of credentials and cookies
     * ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie}) are
     * replaced by {@code <redacted>}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        forEach((name, value) -> b.append(name)
                .append(": ")
                .append(isSecret(name) ? "<redacted>" : value)
                .append('\n'));
        return b.toString();
    }

    private static boolean isSecret(String name) {
        return name.equalsIgnoreCase("Authorization")
                || name.equalsIgnoreCase("Proxy-Authorization")
                || name.equalsIgnoreCase("Cookie")
                || name.equalsIgnoreCase("Set-Cookie");
    }
}
