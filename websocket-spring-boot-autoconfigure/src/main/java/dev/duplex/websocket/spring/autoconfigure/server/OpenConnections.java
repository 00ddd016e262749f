package dev.duplex.websocket.spring.autoconfigure.server;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections open on this application's endpoints, whatever registry the application uses
 * (a cluster-wide one may hold other nodes' connections too): what a shutdown closes.
 */
final class OpenConnections {

    private final Set<SpringWebSocket> open = ConcurrentHashMap.newKeySet();

    void add(SpringWebSocket ws) {
        open.add(ws);
    }

    void remove(SpringWebSocket ws) {
        open.remove(ws);
    }

    List<SpringWebSocket> snapshot() {
        return List.copyOf(open);
    }

    int size() {
        return open.size();
    }
}
