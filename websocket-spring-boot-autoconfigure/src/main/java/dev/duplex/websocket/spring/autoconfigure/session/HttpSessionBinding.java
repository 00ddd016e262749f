package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.WebSocket;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Ending an HTTP session goes through Spring Session's repository when Spring Session is in use
 * (its sessions outlive the request that created them), else through the servlet container's
 * session. Thread-safe.
 */
public final class HttpSessionBinding {

    private static final System.Logger LOG = System.getLogger(HttpSessionBinding.class.getName());

    /** Internal: the servlet session object, from the handshake to {@link #opened}. */
    private static final String SERVLET_SESSION = HttpSessionBinding.class.getName() + ".servletSession";

    private final List<String> attributeNames;
    private final boolean closeOnSessionEnd;
    private final @Nullable Consumer<String> springSessionDeleter;

    /** Open sockets by HTTP session id, each with the action that closes it with 1008. */
    private final ConcurrentHashMap<String, Map<WebSocket, Runnable>> bySession = new ConcurrentHashMap<>();
    /** The servlet session of each open socket opened under one, for ending it. */
    private final ConcurrentHashMap<WebSocket, HttpSession> servletSessions = new ConcurrentHashMap<>();

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
     * A connection opened: remembers it under its HTTP session.
     *
     * @param closer closes the connection with 1008 when its HTTP session ends
     */
    public void opened(WebSocket webSocket, Runnable closer) {
        Object servletSession = webSocket.attributes().remove(SERVLET_SESSION);
        if (servletSession instanceof HttpSession s) {
            servletSessions.put(webSocket, s);
        }
        if (webSocket.attributes().get(WebSocketHttpSession.ID_ATTRIBUTE) instanceof String id) {
            bySession.compute(id, (k, sockets) -> {
                Map<WebSocket, Runnable> map = sockets != null ? sockets : new ConcurrentHashMap<>(2);
                map.put(webSocket, closer);
                return map;
            });
        }
    }

    /**
     * A connection closed: forgets it, and ends its HTTP session when {@code endSession}.
     */
    public void closed(WebSocket webSocket, boolean endSession) {
        HttpSession servletSession = servletSessions.remove(webSocket);
        if (!(webSocket.attributes().get(WebSocketHttpSession.ID_ATTRIBUTE) instanceof String id)) {
            return;
        }
        bySession.computeIfPresent(id, (k, sockets) -> {
            sockets.remove(webSocket);
            return sockets.isEmpty() ? null : sockets;
        });
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

    /** An HTTP session ended: closes the sockets opened under it with 1008 (when configured to). */
    public void sessionEnded(String id) {
        if (!closeOnSessionEnd) {
            return;
        }
        Map<WebSocket, Runnable> sockets = bySession.remove(id);
        if (sockets == null) {
            return;
        }
        for (Runnable closer : sockets.values()) {
            try {
                closer.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing a socket of HTTP session " + id + " failed", e);
            }
        }
    }

    /** The number of sockets open under HTTP session {@code id}. */
    public int socketsOf(String id) {
        Map<WebSocket, Runnable> sockets = bySession.get(id);
        return sockets == null ? 0 : sockets.size();
    }

    /** Ids of the HTTP sessions with open sockets; a snapshot. */
    public Set<String> sessionIds() {
        return Set.copyOf(bySession.keySet());
    }
}
