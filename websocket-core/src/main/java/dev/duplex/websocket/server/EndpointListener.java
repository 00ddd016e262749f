package dev.duplex.websocket.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Adapts one connection's listener events to its endpoint's hooks, keeps the registry in step and,
 * in blocking mode, starts {@code serve}. Events arrive one at a time (the engine's serial
 * executor); {@code onAfterClose} waits for both {@code onClose} and the end of {@code serve}.
 */
final class EndpointListener implements WebSocketListener {

    private static final System.Logger LOG = System.getLogger(EndpointListener.class.getName());

    private final WebSocketServer server;
    private final DuplexEndpoint endpoint;
    private final boolean blocking;
    private static final AtomicIntegerFieldUpdater<EndpointListener> PENDING_ENDS =
            AtomicIntegerFieldUpdater.newUpdater(EndpointListener.class, "pendingEnds");

    /**
     * What must still happen before onAfterClose: onClose, and serve's end in blocking mode. A field
     * rather than an AtomicInteger: a server keeps one listener per open connection.
     */
    private volatile int pendingEnds;

    EndpointListener(WebSocketServer server, DuplexEndpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.blocking = endpoint.isBlocking();
        this.pendingEnds = blocking ? 2 : 1;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        try {
            endpoint.onOpen(webSocket);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "onOpen failed on " + webSocket, e);
            internalError(webSocket);
            if (blocking) {
                ended(webSocket);
            }
            return;
        }
        if (blocking) {
            server.startServing(webSocket, endpoint, () -> ended(webSocket));
        }
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        endpoint.onText(webSocket, text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        endpoint.onBinary(webSocket, data);
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        endpoint.onPing(webSocket, payload);
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        endpoint.onPong(webSocket, payload);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        endpoint.onError(webSocket, error);
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
        try {
            server.closed(webSocket);
            endpoint.onClose(webSocket, new CloseReason(code, reason), wasClean);
        } finally {
            ended(webSocket);
        }
    }

    private void ended(WebSocket webSocket) {
        if (PENDING_ENDS.decrementAndGet(this) == 0) {
            try {
                endpoint.onAfterClose(webSocket);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "onAfterClose failed on " + webSocket, e);
            }
        }
    }

    /** Closes with 1011 after a hook failed outside the engine's message dispatch. */
    static void internalError(WebSocket webSocket) {
        if (webSocket instanceof WebSocketConnection c) {
            c.closeWithStatus(CloseReason.INTERNAL_ERROR, "");
        } else {
            webSocket.abort();
        }
    }
}
