package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.server.DuplexEndpoint;
import java.util.Map;

/**
 * What a handshake decided, carried from the interceptor to the handler in the handshake's
 * attributes under {@link #ATTRIBUTE}: the endpoint instance serving the connection and the
 * attributes it starts with.
 *
 * @param endpoint the instance for this connection (shared, or fresh for a prototype bean)
 * @param attributes the connection's initial attributes: path variables, the endpoint's, the HTTP session's
 */
record AcceptedHandshake(DuplexEndpoint endpoint, Map<String, Object> attributes) {

    /** The handshake attribute holding the instance; removed when the connection opens. */
    static final String ATTRIBUTE = AcceptedHandshake.class.getName();
}
