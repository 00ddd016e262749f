package dev.duplex.websocket.server;

import java.net.URI;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The URI of an upgrade request ({@code ws://host/target}, {@code wss://} over TLS), made when it is
 * first asked for and kept. A server holds one per open connection, and a URI made up front would
 * cost several hundred bytes per connection (the URI and its parsed parts) that idle connections
 * keep for nothing; the host and target strings it keeps instead are the request's own. Thread-safe.
 */
final class RequestUri implements Supplier<URI> {

    private final boolean secure;
    private final @Nullable String host;
    private final String target;
    /** Null until first asked for; written once, under this object's lock. */
    private volatile @Nullable URI uri;

    RequestUri(boolean secure, @Nullable String host, String target) {
        this.secure = secure;
        this.host = host;
        this.target = target;
    }

    /** The URI; the same instance every time. */
    @Override
    public URI get() {
        URI u = uri;
        if (u == null) {
            synchronized (this) {
                u = uri;
                if (u == null) {
                    u = make();
                    uri = u;
                }
            }
        }
        return u;
    }

    private URI make() {
        try {
            return URI.create((secure ? "wss" : "ws") + "://" + host + target);
        } catch (IllegalArgumentException e) {
            // A Host that does not form a URI (the handshake does not check its syntax): the path alone.
            int query = target.indexOf('?');
            try {
                return URI.create(query < 0 ? target : target.substring(0, query));
            } catch (IllegalArgumentException again) {
                return URI.create("/");
            }
        }
    }

    @Override
    public String toString() {
        return get().toString();
    }
}
