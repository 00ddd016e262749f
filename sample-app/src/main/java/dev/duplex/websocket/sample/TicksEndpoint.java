package dev.duplex.websocket.sample;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;

/**
 * {@code /ticks}: a server-push feed. Clients only listen (what they send is ignored): {@link TickBroadcaster} sends every
 * connection of this endpoint a {@link Tick} each second through the registry. A new connection
 * gets the latest tick at once, so that the page has a number before the next second.
 */
@WebSocketEndpoint(path = TicksEndpoint.PATH)
public class TicksEndpoint extends DuplexEndpoint {

    /** The endpoint's path, which is also its key in the registry. */
    public static final String PATH = "/ticks";

    private final TickBroadcaster ticks;

    TicksEndpoint(TickBroadcaster ticks) {
        this.ticks = ticks;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        Tick last = ticks.last();
        if (last != null) {
            webSocket.sendObject(last);
        }
    }
}
