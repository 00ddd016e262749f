package dev.duplex.websocket.handshake;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A read-only map view of read-only {@link HttpHeaders}: lookups ignore the case of the name (RFC
 * 9110 §5.1), iteration keeps the order and spelling of the fields. What {@link HttpHeaders#toMap()}
 * returns and {@link dev.duplex.websocket.WebSocket#handshakeHeaders()} promises.
 *
 * <p>It holds nothing but the headers and builds each value list when asked: every open connection
 * keeps its handshake headers, and a few dozen fields are looked up faster by a scan than by a hash.
 */
final class CaseInsensitiveMap extends AbstractMap<String, List<String>> {

    private final HttpHeaders headers;

    /** A view of {@code headers}, which must be read-only. */
    CaseInsensitiveMap(HttpHeaders headers) {
        if (!headers.isReadOnly()) {
            throw new IllegalArgumentException("'headers' must be read-only");
        }
        this.headers = headers;
    }

    @Override
    public int size() {
        return headers.names().size();
    }

    @Override
    public boolean isEmpty() {
        return headers.isEmpty();
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
        return key instanceof String name && headers.contains(name);
    }

    @Override
    public @Nullable List<String> get(@Nullable Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        List<String> values = headers.all(name);
        return values.isEmpty() ? null : List.copyOf(values);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        List<String> names = List.copyOf(headers.names());
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.size();
            }

            @Override
            public Iterator<Entry<String, List<String>>> iterator() {
                Iterator<String> each = names.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return each.hasNext();
                    }

                    @Override
                    public Entry<String, List<String>> next() {
                        if (!each.hasNext()) {
                            throw new NoSuchElementException();
                        }
                        String name = each.next();
                        return Map.entry(name, List.copyOf(headers.all(name)));
                    }
                };
            }
        };
    }
}
