package dev.duplex.websocket.server;

import dev.duplex.websocket.handshake.PathTemplate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint registration: its template and either a shared instance or a supplier of one
 * instance per connection. Immutable.
 */
record Route(
        PathTemplate template,
        @Nullable DuplexEndpoint shared,
        @Nullable Supplier<? extends DuplexEndpoint> supplier) {

    /** The instance for a new connection. */
    DuplexEndpoint instance() {
        if (shared != null) {
            return shared;
        }
        DuplexEndpoint fresh = java.util.Objects.requireNonNull(supplier).get();
        if (fresh == null) {
            throw new IllegalStateException("The endpoint supplier for " + template + " returned null");
        }
        return fresh;
    }
}
