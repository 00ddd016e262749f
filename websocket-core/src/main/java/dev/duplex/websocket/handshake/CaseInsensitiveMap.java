package dev.duplex.websocket.handshake;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A read-only map of header names to values whose lookups ignore the case of the name (RFC 9110
 * §5.1) while iteration keeps the order and spelling of the fields: what {@link HttpHeaders#toMap()}
 * returns and {@link dev.duplex.websocket.WebSocket#handshakeHeaders()} promises.
 */
final class CaseInsensitiveMap extends AbstractMap<String, List<String>> {

    /** In field order, names as first spelled. */
    private final Map<String, List<String>> ordered;
    /** The same entries, for lookups. */
    private final Map<String, List<String>> index = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** Copies {@code entries}, whose keys must be distinct ignoring case. */
    CaseInsensitiveMap(LinkedHashMap<String, List<String>> entries) {
        this.ordered = Collections.unmodifiableMap(entries);
        index.putAll(entries);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return ordered.entrySet();
    }

    @Override
    public int size() {
        return ordered.size();
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return key instanceof String name && index.containsKey(name);
    }

    @Override
    public @Nullable List<String> get(@Nullable Object key) {
        return key instanceof String name ? index.get(name) : null;
    }
}
