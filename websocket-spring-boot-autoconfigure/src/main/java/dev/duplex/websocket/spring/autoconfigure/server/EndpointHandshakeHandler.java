package dev.duplex.websocket.spring.autoconfigure.server;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * spring-websocket's handshake with the subprotocol that the endpoint's {@code onHandshake} chose.
 * The choice travels from {@link EndpointHandshakeInterceptor}, which runs first on the same thread
 * (spring-websocket's protocol selection sees no request attributes).
 */
final class EndpointHandshakeHandler extends DefaultHandshakeHandler {

    /**
     * Always the Jakarta upgrade, which Tomcat and Jetty both serve: it gives the Jakarta session
     * whose asynchronous send the adapter uses, whatever other container jars are on the class path.
     */
    EndpointHandshakeHandler() {
        super(new StandardWebSocketUpgradeStrategy());
    }

    /** The chosen subprotocol of the handshake running on this thread; {@link #NONE} for none. */
    static final ThreadLocal<@Nullable String> CHOSEN = new ThreadLocal<>();

    /** Marks "the endpoint chose no subprotocol", as distinct from "no choice was recorded". */
    static final String NONE = "";

    @Override
    protected @Nullable String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
        String chosen = CHOSEN.get();
        if (chosen == null) {
            return super.selectProtocol(requestedProtocols, webSocketHandler);
        }
        return chosen.isEmpty() ? null : chosen;
    }
}
