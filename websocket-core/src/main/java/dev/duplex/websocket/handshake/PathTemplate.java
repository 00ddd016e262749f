package dev.duplex.websocket.handshake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A server routing template such as {@code /chat/{room}} or {@code /a/{x}/b/{y}}, compiled once
 * and matched against request paths. Immutable and thread-safe.
 *
 * <p>A template is an absolute path whose segments hold literal text and {@code {name}} variables
 * (names of letters, digits and {@code _}, each once); a segment may mix them, as in {@code
 * /files/{name}.{ext}}. A request path matches if it has as many segments and each matches: the
 * request's segments are percent-decoded (UTF-8) one by one, so a variable never spans a {@code
 * /}, while an encoded {@code %2F} inside a segment is part of its value. A variable matches one or
 * more characters. Literal text compares exactly, after percent-decoding the template's own
 * escapes; a trailing slash is significant.
 *
 * <p>{@link #SPECIFICITY} orders templates so that a router trying them in order picks the most
 * specific match: literal paths before templates.
 */
public final class PathTemplate {

    /**
     * Most specific first: literal paths, then fewer variables, then the one whose first differing
     * segment is literal, then more segments, then more literal characters; ties by template text.
     */
    public static final Comparator<PathTemplate> SPECIFICITY = PathTemplate::compareSpecificity;

    private final String template;
    private final List<String> variables;
    /** One per segment: the decoded literal, or null if the segment holds a variable. */
    private final List<@Nullable String> literals;
    /** One per segment: the pattern of a segment with variables, or null for a literal one. */
    private final List<@Nullable Pattern> patterns;
    /** One per segment: the names of the variables of that segment, in order. */
    private final List<List<String>> segmentVariables;

    private final int literalChars;

    private PathTemplate(
            String template,
            List<String> variables,
            List<@Nullable String> literals,
            List<@Nullable Pattern> patterns,
            List<List<String>> segmentVariables,
            int literalChars) {
        this.template = template;
        this.variables = variables;
        this.literals = literals;
        this.patterns = patterns;
        this.segmentVariables = segmentVariables;
        this.literalChars = literalChars;
    }

    /**
     * Compiles {@code template}.
     *
     * @throws IllegalArgumentException if it does not start with {@code /}, has a query or fragment,
     *     unbalanced or nested braces, an empty or invalid variable name, or a name twice
     */
    public static PathTemplate compile(String template) {
        if (!template.startsWith("/")) {
            throw invalid(template, "must start with '/'");
        }
        if (template.indexOf('?') >= 0 || template.indexOf('#') >= 0) {
            throw invalid(template, "must be a path without query or fragment");
        }
        List<String> variables = new ArrayList<>();
        List<@Nullable String> literals = new ArrayList<>();
        List<@Nullable Pattern> patterns = new ArrayList<>();
        List<List<String>> segmentVariables = new ArrayList<>();
        int literalChars = 0;
        int i = 1;
        while (true) {
            StringBuilder regex = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            List<String> names = new ArrayList<>();
            while (i < template.length() && template.charAt(i) != '/') {
                char c = template.charAt(i);
                if (c == '}') {
                    throw invalid(template, "has an unbalanced '}' at index " + i);
                }
                if (c == '{') {
                    int close = template.indexOf('}', i + 1);
                    int nested = template.indexOf('{', i + 1);
                    int slash = template.indexOf('/', i + 1);
                    if (close < 0 || (nested >= 0 && nested < close) || (slash >= 0 && slash < close)) {
                        throw invalid(template, "has an unbalanced '{' at index " + i);
                    }
                    String name = template.substring(i + 1, close);
                    if (name.isEmpty()) {
                        throw invalid(template, "has an empty variable name at index " + i);
                    }
                    if (!isName(name)) {
                        throw invalid(template, "has an invalid variable name {" + name + "}");
                    }
                    if (variables.contains(name)) {
                        throw invalid(template, "repeats the variable {" + name + "}");
                    }
                    variables.add(name);
                    names.add(name);
                    regex.append(Pattern.quote(decodeLiteral(template, literal.toString())))
                            .append("(.+)");
                    literalChars += literal.length();
                    literal.setLength(0);
                    i = close + 1;
                } else {
                    literal.append(c);
                    i++;
                }
            }
            literalChars += literal.length();
            String tail = decodeLiteral(template, literal.toString());
            if (names.isEmpty()) {
                literals.add(tail);
                patterns.add(null);
            } else {
                regex.append(Pattern.quote(tail));
                literals.add(null);
                patterns.add(Pattern.compile(regex.toString(), Pattern.DOTALL));
            }
            segmentVariables.add(List.copyOf(names));
            if (i >= template.length()) {
                break;
            }
            i++; // the slash
        }
        return new PathTemplate(
                template,
                List.copyOf(variables),
                Collections.unmodifiableList(literals),
                Collections.unmodifiableList(patterns),
                List.copyOf(segmentVariables),
                literalChars);
    }

    private static boolean isName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String decodeLiteral(String template, String literal) {
        String decoded = decode(literal);
        if (decoded == null) {
            throw invalid(template, "has a malformed percent escape in " + HttpSyntax.quote(literal));
        }
        return decoded;
    }

    private static IllegalArgumentException invalid(String template, String problem) {
        return new IllegalArgumentException("'template' " + problem + ", was " + HttpSyntax.quote(template));
    }

    /** The template as written. */
    public String template() {
        return template;
    }

    /** The variable names in order of appearance. */
    public List<String> variableNames() {
        return variables;
    }

    /** Whether the template has no variable: it matches one path only. */
    public boolean isLiteral() {
        return variables.isEmpty();
    }

    /**
     * Matches a request path.
     *
     * @param rawPath the path as received, still percent-encoded, without query ({@link
     *     HttpRequest#path()})
     * @return the variables by name, in template order, decoded; empty for a literal template; null
     *     if the path does not match (or has a malformed escape or invalid UTF-8)
     */
    public @Nullable Map<String, String> match(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        int segments = literals.size();
        Map<String, String> values = variables.isEmpty() ? Map.of() : new LinkedHashMap<>();
        int start = 1;
        for (int s = 0; s < segments; s++) {
            int slash = rawPath.indexOf('/', start);
            boolean last = s == segments - 1;
            if (last != (slash < 0)) {
                return null; // more or fewer segments than the template
            }
            int end = last ? rawPath.length() : slash;
            String segment = decode(rawPath.substring(start, end));
            if (segment == null) {
                return null;
            }
            String literal = literals.get(s);
            Pattern pattern = patterns.get(s);
            if (pattern == null) {
                if (!segment.equals(literal)) {
                    return null;
                }
            } else {
                Matcher m = pattern.matcher(segment);
                if (!m.matches()) {
                    return null;
                }
                List<String> names = segmentVariables.get(s);
                for (int v = 0; v < names.size(); v++) {
                    values.put(names.get(v), m.group(v + 1));
                }
            }
            start = end + 1;
        }
        return values.isEmpty() ? Map.of() : Collections.unmodifiableMap(values);
    }

    /** Whether {@code rawPath} matches. */
    public boolean matches(String rawPath) {
        return match(rawPath) != null;
    }

    /** RFC 3986 §2.1 percent-decoding to UTF-8; null on a malformed escape or invalid UTF-8. */
    static @Nullable String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int compareSpecificity(PathTemplate a, PathTemplate b) {
        if (a.isLiteral() != b.isLiteral()) {
            return a.isLiteral() ? -1 : 1;
        }
        int c = Integer.compare(a.variables.size(), b.variables.size());
        if (c != 0) {
            return c;
        }
        int n = Math.min(a.literals.size(), b.literals.size());
        for (int s = 0; s < n; s++) {
            boolean la = a.literals.get(s) != null;
            boolean lb = b.literals.get(s) != null;
            if (la != lb) {
                return la ? -1 : 1;
            }
        }
        c = Integer.compare(b.literals.size(), a.literals.size());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(b.literalChars, a.literalChars);
        return c != 0 ? c : a.template.compareTo(b.template);
    }

    /** Equal if the template text is the same. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PathTemplate other && other.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
