package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.WebSocket;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP session a connection was opened under, as captured at its handshake (its id kept
 * current since): a typed view of
 * the connection's {@link WebSocket#attributes() attributes} under the documented keys.
 *
 * <pre>{@code
 * WebSocketHttpSession.of(ws).map(WebSocketHttpSession::id).orElse("none");
 * }</pre>
 *
 * @param id the HTTP session's current id (the servlet session's, which is Spring Session's when
 *     Spring Session is in use): it follows a change of id after the handshake, such as Spring
 *     Security's session-fixation protection makes at sign-in
 * @param springSessionId the Spring Session id, current as {@code id} is, or null when Spring
 *     Session is not in use
 * @param principal the authenticated user of the handshake request, or null; a sign-in after the
 *     handshake does not change it
 * @param attributes the HTTP-session attributes named by {@code
 *     duplex.websocket.server.session-attributes}, as they were at the handshake
 */
public record WebSocketHttpSession(
        String id,
        @Nullable String springSessionId,
        @Nullable Principal principal,
        Map<String, Object> attributes) {

    /** Attribute key of the HTTP session's id, a {@code String}. */
    public static final String ID_ATTRIBUTE = "dev.duplex.websocket.spring.httpSession.id";

    /** Attribute key of the Spring Session id, a {@code String}, present when Spring Session is in use. */
    public static final String SPRING_SESSION_ID_ATTRIBUTE = "dev.duplex.websocket.spring.springSession.id";

    /** Attribute key of the handshake's authenticated {@link Principal}, present when there was one. */
    public static final String PRINCIPAL_ATTRIBUTE = "dev.duplex.websocket.spring.principal";

    /** Attribute key of the copied HTTP-session attributes, a read-only {@code Map<String, Object>}. */
    public static final String ATTRIBUTES_ATTRIBUTE = "dev.duplex.websocket.spring.httpSession.attributes";

    public WebSocketHttpSession {
        attributes = Map.copyOf(attributes);
    }

    /** The HTTP session of {@code webSocket}, empty when it was opened without one. */
    @SuppressWarnings("unchecked")
    public static Optional<WebSocketHttpSession> of(WebSocket webSocket) {
        Map<String, Object> a = webSocket.attributes();
        if (!(a.get(ID_ATTRIBUTE) instanceof String id)) {
            return Optional.empty();
        }
        Object copied = a.get(ATTRIBUTES_ATTRIBUTE);
        return Optional.of(new WebSocketHttpSession(
                id,
                a.get(SPRING_SESSION_ID_ATTRIBUTE) instanceof String s ? s : null,
                principal(webSocket),
                copied instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
    }

    /** The authenticated user of the handshake, whether or not there was an HTTP session; or null. */
    public static @Nullable Principal principal(WebSocket webSocket) {
        return webSocket.attributes().get(PRINCIPAL_ATTRIBUTE) instanceof Principal p ? p : null;
    }
}
