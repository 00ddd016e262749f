package dev.duplex.websocket.server;

import dev.duplex.websocket.WebSocket;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The open connections of a server, by id, by endpoint and in named groups, reachable from any
 * thread: find one and send to it, broadcast to an endpoint or a group, count them.
 *
 * <p>The host {@linkplain #register registers} a connection just before {@code onOpen} and
 * {@linkplain #unregister unregisters} it when it closes, before {@code onClose}; a connection
 * leaves every group then. Applications use the other methods. Implementations are thread-safe;
 * {@link InMemoryConnectionRegistry} serves one server, and this being an interface lets a
 * registry spanning several servers (over a message broker) replace it.
 *
 * <p>Counterparts in the seeds: IRIS {@code SharedConnection} with {@code OpenServer(id)} and
 * {@code SendAsyncMessage}, afWebSockets' {@code WebSockets} service of all open sockets.
 */
public interface ConnectionRegistry {

    /**
     * Adds an open connection under the endpoint's path template. Called by the host.
     *
     * @throws IllegalStateException if a connection with the same id is registered
     */
    void register(WebSocket webSocket, String endpoint);

    /** Removes a connection from the registry and from every group; nothing if absent. Called by the host. */
    void unregister(WebSocket webSocket);

    /** The open connection with this id, if registered. */
    Optional<WebSocket> find(String id);

    /**
     * Sends a text message to the connection with this id. The future fails with {@link
     * UnknownConnectionException} when no such connection is registered, and as {@link
     * WebSocket#sendText(CharSequence)} does otherwise (a {@link
     * dev.duplex.websocket.ConnectionClosedException} when it closes first).
     */
    CompletableFuture<Void> sendText(String id, CharSequence text);

    /** As {@link #sendText(String, CharSequence)}, for a binary message. */
    CompletableFuture<Void> sendBinary(String id, ByteBuffer data);

    /** As {@link #sendText(String, CharSequence)}, for an object sent as JSON. */
    CompletableFuture<Void> sendObject(String id, Object value);

    /** The open connections of an endpoint (by its path template); a snapshot. */
    Collection<WebSocket> connections(String endpoint);

    /** Every open connection; a snapshot. */
    Collection<WebSocket> connections();

    /**
     * Adds a registered connection to a named group (a chat room, say), creating the group.
     *
     * @return false when the connection is not registered (closed already): nothing changes
     */
    boolean join(String group, WebSocket webSocket);

    /** Removes a connection from a group; the group disappears when empty. Returns whether it was there. */
    boolean leave(String group, WebSocket webSocket);

    /** The members of a group; a snapshot, empty for an unknown group. */
    Collection<WebSocket> group(String group);

    /** The groups a connection belongs to; a snapshot. */
    Collection<String> groupsOf(WebSocket webSocket);

    /**
     * Sends a text message to every open connection of an endpoint.
     *
     * @return a future completing when every send has (failed sends do not fail it)
     */
    CompletableFuture<Void> broadcastText(String endpoint, CharSequence text);

    /** As {@link #broadcastText(String, CharSequence)}, to the members of a group. */
    CompletableFuture<Void> broadcastTextToGroup(String group, CharSequence text);

    /** As {@link #broadcastText(String, CharSequence)}, a binary message (not modified). */
    CompletableFuture<Void> broadcastBinary(String endpoint, ByteBuffer data);

    /** As {@link #broadcastBinary(String, ByteBuffer)}, to the members of a group. */
    CompletableFuture<Void> broadcastBinaryToGroup(String group, ByteBuffer data);

    /** Number of registered connections. */
    int size();

    /** Number of registered connections of an endpoint. */
    int size(String endpoint);

    /** Number of members of a group (0 for an unknown group). */
    int groupSize(String group);

    /** Number of non-empty groups. */
    int groupCount();
}
