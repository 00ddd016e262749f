package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.WebSocket;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;

/**
 * Ties WebSocket connections to the HTTP session they were opened under, both ways: a handshake
 * copies the session's id, chosen attributes and the authenticated principal into the connection's
 * attributes (see {@link WebSocketHttpSession}); a closing socket may end its HTTP session ({@code
 * sessionEndOnClose}); and an HTTP session that ends (logout, expiry) closes every socket opened
 * under it with 1008, when {@code duplex.websocket.server.close-on-session-end} is on.
 *
 * <p>Sockets are keyed by the session's current id: when the id changes (Spring Security's
 * session-fixation protection changes it at sign-in), {@link #sessionIdChanged} moves them to the
 * new id, so that signing out still closes them.
 *
 * <p>Ending an HTTP session goes through Spring Session's repository when Spring Session is in use
 * (its sessions outlive the request that created them), else through the servlet container's
 * session. Thread-safe: open, close and session events are rare next to messages, so one lock
 * guards the bookkeeping, and no socket is closed while holding it.
 */
public final class HttpSessionBinding {

    private static final System.Logger LOG = System.getLogger(HttpSessionBinding.class.getName());

    /** Internal: the servlet session object, from the handshake to {@link #opened}. */
    private static final String SERVLET_SESSION = HttpSessionBinding.class.getName() + ".servletSession";

    private final List<String> attributeNames;
    private final boolean closeOnSessionEnd;
    private final @Nullable Consumer<String> springSessionDeleter;

    /** Guards the three collections below and {@link Bound#id}. */
    private final Object lock = new Object();
    /** Open sockets by the current id of their HTTP session. */
    private final Map<String, Map<WebSocket, Bound>> bySession = new HashMap<>();
    /** Each open socket that was opened under an HTTP session. */
    private final Map<WebSocket, Bound> bound = new HashMap<>();
    /** Ids that sockets moved to since the last {@link #sessionIdsToCheck()}. */
    private final Set<String> renamed = new HashSet<>();

    /** One socket's tie to its HTTP session. */
    private static final class Bound {
        /** The session's current id; guarded by {@link #lock}. */
        String id;
        /** The container's session, for ending it; null under Spring Session. */
        final @Nullable HttpSession servletSession;
        /** Closes the socket with 1008. */
        final Runnable closer;

        Bound(String id, @Nullable HttpSession servletSession, Runnable closer) {
            this.id = id;
            this.servletSession = servletSession;
            this.closer = closer;
        }
    }

    /**
     * @param attributeNames the HTTP-session attributes copied into the connection at its handshake
     * @param closeOnSessionEnd whether an ending HTTP session closes its sockets
     * @param springSessionDeleter deletes a Spring Session by id, or null without Spring Session
     */
    public HttpSessionBinding(
            List<String> attributeNames, boolean closeOnSessionEnd, @Nullable Consumer<String> springSessionDeleter) {
        this.attributeNames = List.copyOf(attributeNames);
        this.closeOnSessionEnd = closeOnSessionEnd;
        this.springSessionDeleter = springSessionDeleter;
    }

    /** At a handshake: copies what the connection should know of its HTTP session into {@code attributes}. */
    public void capture(ServerHttpRequest request, Map<String, Object> attributes) {
        Principal principal = request.getPrincipal();
        if (principal != null) {
            attributes.put(WebSocketHttpSession.PRINCIPAL_ATTRIBUTE, principal);
        }
        if (!(request instanceof ServletServerHttpRequest servlet)) {
            return;
        }
        HttpServletRequest r = servlet.getServletRequest();
        HttpSession session = r.getSession(false);
        if (session == null) {
            return;
        }
        String id;
        try {
            id = session.getId();
            Map<String, Object> copied = new LinkedHashMap<>();
            for (String name : attributeNames) {
                Object value = session.getAttribute(name);
                if (value != null) {
                    copied.put(name, value);
                }
            }
            attributes.put(WebSocketHttpSession.ATTRIBUTES_ATTRIBUTE, Collections.unmodifiableMap(copied));
        } catch (IllegalStateException invalidated) {
            return;
        }
        attributes.put(WebSocketHttpSession.ID_ATTRIBUTE, id);
        if (springSessionDeleter != null) {
            attributes.put(WebSocketHttpSession.SPRING_SESSION_ID_ATTRIBUTE, id);
        } else {
            attributes.put(SERVLET_SESSION, session);
        }
    }

    /**
     * A connection opened: remembers it under its HTTP session. A servlet session that ended or
     * changed its id since the handshake is noticed here, since no listener will tell of it again.
     *
     * @param closer closes the connection with 1008 when its HTTP session ends
     */
    public void opened(WebSocket webSocket, Runnable closer) {
        Object captured = webSocket.attributes().remove(SERVLET_SESSION);
        if (!(webSocket.attributes().get(WebSocketHttpSession.ID_ATTRIBUTE) instanceof String id)) {
            return;
        }
        HttpSession servletSession = captured instanceof HttpSession s ? s : null;
        boolean ended = false;
        if (servletSession != null) {
            try {
                servletSession.getCreationTime(); // throws once the session is invalidated
                String current = servletSession.getId();
                if (!current.equals(id)) {
                    id = current;
                    webSocket.attributes().put(WebSocketHttpSession.ID_ATTRIBUTE, id);
                }
            } catch (IllegalStateException invalidated) {
                ended = true;
            }
        }
        Bound b = new Bound(id, servletSession, closer);
        synchronized (lock) {
            bound.put(webSocket, b);
            if (!ended) {
                bySession.computeIfAbsent(id, k -> new LinkedHashMap<>(2)).put(webSocket, b);
            }
        }
        if (ended && closeOnSessionEnd) {
            close(id, List.of(closer));
        }
    }

    /** A connection closed: forgets it, and ends its HTTP session when {@code endSession}. */
    public void closed(WebSocket webSocket, boolean endSession) {
        String id;
        HttpSession servletSession;
        synchronized (lock) {
            Bound b = bound.remove(webSocket);
            if (b == null) {
                return;
            }
            id = b.id;
            servletSession = b.servletSession;
            Map<WebSocket, Bound> sockets = bySession.get(id);
            if (sockets != null && sockets.remove(webSocket) != null && sockets.isEmpty()) {
                bySession.remove(id);
            }
        }
        if (!endSession) {
            return;
        }
        try {
            Consumer<String> deleter = springSessionDeleter;
            if (deleter != null) {
                deleter.accept(id);
            } else if (servletSession != null) {
                servletSession.invalidate();
            }
        } catch (IllegalStateException alreadyInvalidated) {
            // ended meanwhile: nothing to do
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Ending HTTP session " + id + " failed", e);
        }
    }

    /**
     * An HTTP session ended: forgets its sockets and closes them with 1008 (when configured to).
     * Idempotent: a session may be reported ended by more than one source.
     */
    public void sessionEnded(String id) {
        Map<WebSocket, Bound> sockets;
        synchronized (lock) {
            sockets = bySession.remove(id);
            renamed.remove(id);
        }
        if (sockets == null || !closeOnSessionEnd) {
            return;
        }
        List<Runnable> closers = new ArrayList<>(sockets.size());
        sockets.values().forEach(b -> closers.add(b.closer));
        close(id, closers);
    }

    /**
     * An HTTP session's id changed (session-fixation protection at sign-in): its sockets move to
     * {@code newId}, and their {@link WebSocketHttpSession#id()} reads it. Idempotent: the servlet
     * container and Spring Security may both report one change.
     */
    public void sessionIdChanged(String oldId, String newId) {
        if (oldId.equals(newId)) {
            return;
        }
        synchronized (lock) {
            Map<WebSocket, Bound> sockets = bySession.remove(oldId);
            if (sockets == null) {
                return;
            }
            Map<WebSocket, Bound> target = bySession.computeIfAbsent(newId, k -> new LinkedHashMap<>(2));
            sockets.forEach((ws, b) -> {
                b.id = newId;
                target.put(ws, b);
                ws.attributes().put(WebSocketHttpSession.ID_ATTRIBUTE, newId);
                ws.attributes().computeIfPresent(WebSocketHttpSession.SPRING_SESSION_ID_ATTRIBUTE, (k, v) -> newId);
            });
            renamed.remove(oldId);
            renamed.add(newId);
        }
    }

    /**
     * Ids of the HTTP sessions with open sockets that a store may be asked about, a snapshot: all
     * but the ids that sockets moved to since the previous call, which the store may not have
     * saved yet (Spring Session saves a renamed session when its request completes).
     */
    public Set<String> sessionIdsToCheck() {
        synchronized (lock) {
            Set<String> ids = new HashSet<>(bySession.keySet());
            ids.removeAll(renamed);
            renamed.clear();
            return ids;
        }
    }

    /** The number of sockets open under HTTP session {@code id}. */
    public int socketsOf(String id) {
        synchronized (lock) {
            Map<WebSocket, Bound> sockets = bySession.get(id);
            return sockets == null ? 0 : sockets.size();
        }
    }

    /** Ids of the HTTP sessions with open sockets; a snapshot. */
    public Set<String> sessionIds() {
        synchronized (lock) {
            return Set.copyOf(bySession.keySet());
        }
    }

    private static void close(String id, List<Runnable> closers) {
        for (Runnable closer : closers) {
            try {
                closer.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing a socket of HTTP session " + id + " failed", e);
            }
        }
    }
}
