package dev.duplex.websocket.server;

import dev.duplex.websocket.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ConnectionRegistry} in this JVM's memory: hash maps from id, endpoint and group name to
 * connections, so every lookup, join and leave takes constant time; broadcasts and snapshots take
 * time linear in their size. Thread-safe. Unregistering removes the connection from every group it
 * joined; empty groups and endpoints are dropped, so nothing accumulates over any number of
 * connections.
 */
public final class InMemoryConnectionRegistry implements ConnectionRegistry {

    private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<WebSocket>> byEndpoint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<WebSocket>> groups = new ConcurrentHashMap<>();

    /** An empty registry. */
    public InMemoryConnectionRegistry() {}

    /** One registered connection; its fields are guarded by the entry itself. */
    private static final class Entry {
        final WebSocket webSocket;
        final String endpoint;
        /** Made on the first join: most connections never join a group. Guarded by this entry. */
        @Nullable
        Set<String> groups;

        boolean removed;

        Entry(WebSocket webSocket, String endpoint) {
            this.webSocket = webSocket;
            this.endpoint = endpoint;
        }
    }

    @Override
    public void register(WebSocket webSocket, String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        Entry entry = new Entry(webSocket, endpoint);
        if (byId.putIfAbsent(webSocket.id(), entry) != null) {
            throw new IllegalStateException("A connection with id " + webSocket.id() + " is already registered");
        }
        add(byEndpoint, endpoint, webSocket);
    }

    @Override
    public void unregister(WebSocket webSocket) {
        Entry entry = byId.get(webSocket.id());
        if (entry == null || entry.webSocket != webSocket || !byId.remove(webSocket.id(), entry)) {
            return;
        }
        List<String> joined;
        synchronized (entry) {
            entry.removed = true;
            joined = entry.groups == null ? List.of() : new ArrayList<>(entry.groups);
            entry.groups = null;
        }
        for (String group : joined) {
            remove(groups, group, webSocket);
        }
        remove(byEndpoint, entry.endpoint, webSocket);
    }

    @Override
    public Optional<WebSocket> find(String id) {
        Entry entry = byId.get(id);
        return entry == null ? Optional.empty() : Optional.of(entry.webSocket);
    }

    @Override
    public CompletableFuture<Void> sendText(String id, CharSequence text) {
        return sendTo(id, ws -> ws.sendText(text));
    }

    @Override
    public CompletableFuture<Void> sendBinary(String id, ByteBuffer data) {
        return sendTo(id, ws -> ws.sendBinary(data));
    }

    @Override
    public CompletableFuture<Void> sendObject(String id, Object value) {
        return sendTo(id, ws -> ws.sendObject(value));
    }

    private CompletableFuture<Void> sendTo(String id, Function<WebSocket, CompletableFuture<Void>> send) {
        Entry entry = byId.get(id);
        if (entry == null) {
            return CompletableFuture.failedFuture(new UnknownConnectionException(id));
        }
        return send.apply(entry.webSocket);
    }

    @Override
    public Collection<WebSocket> connections(String endpoint) {
        return snapshot(byEndpoint.get(endpoint));
    }

    @Override
    public Collection<WebSocket> connections() {
        List<WebSocket> all = new ArrayList<>(byId.size());
        for (Entry e : byId.values()) {
            all.add(e.webSocket);
        }
        return List.copyOf(all);
    }

    @Override
    public boolean join(String group, WebSocket webSocket) {
        Objects.requireNonNull(group, "group");
        Entry entry = byId.get(webSocket.id());
        if (entry == null || entry.webSocket != webSocket) {
            return false;
        }
        // Under the entry's lock, so that a concurrent unregister either sees this group or makes
        // this join fail: a closed connection never stays in a group.
        synchronized (entry) {
            if (entry.removed) {
                return false;
            }
            if (entry.groups == null) {
                entry.groups = new HashSet<>(2);
            }
            if (entry.groups.add(group)) {
                add(groups, group, webSocket);
            }
        }
        return true;
    }

    @Override
    public boolean leave(String group, WebSocket webSocket) {
        Entry entry = byId.get(webSocket.id());
        if (entry == null || entry.webSocket != webSocket) {
            return false;
        }
        synchronized (entry) {
            if (entry.removed || entry.groups == null || !entry.groups.remove(group)) {
                return false;
            }
            remove(groups, group, webSocket);
        }
        return true;
    }

    @Override
    public Collection<WebSocket> group(String group) {
        return snapshot(groups.get(group));
    }

    @Override
    public Collection<String> groupsOf(WebSocket webSocket) {
        Entry entry = byId.get(webSocket.id());
        if (entry == null) {
            return List.of();
        }
        synchronized (entry) {
            return entry.groups == null ? List.of() : List.copyOf(entry.groups);
        }
    }

    @Override
    public CompletableFuture<Void> broadcastText(String endpoint, CharSequence text) {
        String copy = text.toString();
        return broadcast(byEndpoint.get(endpoint), ws -> ws.sendText(copy));
    }

    @Override
    public CompletableFuture<Void> broadcastTextToGroup(String group, CharSequence text) {
        String copy = text.toString();
        return broadcast(groups.get(group), ws -> ws.sendText(copy));
    }

    @Override
    public CompletableFuture<Void> broadcastBinary(String endpoint, ByteBuffer data) {
        return broadcast(byEndpoint.get(endpoint), ws -> ws.sendBinary(data.duplicate()));
    }

    @Override
    public CompletableFuture<Void> broadcastBinaryToGroup(String group, ByteBuffer data) {
        return broadcast(groups.get(group), ws -> ws.sendBinary(data.duplicate()));
    }

    private static CompletableFuture<Void> broadcast(
            @Nullable Set<WebSocket> members, Function<WebSocket, CompletableFuture<Void>> send) {
        if (members == null || members.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>(members.size());
        for (WebSocket ws : members) {
            // A failed send (the connection closing) must not fail the broadcast.
            sends.add(send.apply(ws).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]));
    }

    @Override
    public int size() {
        return byId.size();
    }

    @Override
    public int size(String endpoint) {
        Set<WebSocket> set = byEndpoint.get(endpoint);
        return set == null ? 0 : set.size();
    }

    @Override
    public int groupSize(String group) {
        Set<WebSocket> set = groups.get(group);
        return set == null ? 0 : set.size();
    }

    @Override
    public int groupCount() {
        return groups.size();
    }

    @Override
    public String toString() {
        return "InMemoryConnectionRegistry[" + byId.size() + " connections, " + groups.size() + " groups]";
    }

    private static Collection<WebSocket> snapshot(@Nullable Set<WebSocket> set) {
        return set == null ? List.of() : List.copyOf(set);
    }

    private static void add(ConcurrentHashMap<String, Set<WebSocket>> map, String key, WebSocket ws) {
        map.compute(key, (k, set) -> {
            Set<WebSocket> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(ws);
            return s;
        });
    }

    private static void remove(ConcurrentHashMap<String, Set<WebSocket>> map, String key, WebSocket ws) {
        map.computeIfPresent(key, (k, set) -> {
            set.remove(ws);
            return set.isEmpty() ? null : set;
        });
    }
}
