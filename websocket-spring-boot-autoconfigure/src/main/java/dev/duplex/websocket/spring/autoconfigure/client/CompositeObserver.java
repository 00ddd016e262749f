package dev.duplex.websocket.spring.autoconfigure.client;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketObserver;
import java.time.Duration;
import java.util.List;

/**
 * Hands every event to several observers in order, for a context holding more than one {@link
 * WebSocketObserver} bean (Micrometer's and, say, a logging one). One observer that throws does
 * not keep the event from the others.
 */
final class CompositeObserver implements WebSocketObserver {

    private static final System.Logger LOG = System.getLogger(CompositeObserver.class.getName());

    private final List<WebSocketObserver> observers;

    private CompositeObserver(List<WebSocketObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    /** {@link WebSocketObserver#NONE} for none, the observer itself for one, else a composite. */
    static WebSocketObserver of(List<WebSocketObserver> observers) {
        return switch (observers.size()) {
            case 0 -> WebSocketObserver.NONE;
            case 1 -> observers.get(0);
            default -> new CompositeObserver(observers);
        };
    }

    @Override
    public void opened(WebSocket webSocket, Side side, String endpoint) {
        each(o -> o.opened(webSocket, side, endpoint));
    }

    @Override
    public void closed(WebSocket webSocket, Side side, String endpoint, int code) {
        each(o -> o.closed(webSocket, side, endpoint, code));
    }

    @Override
    public void messageReceived(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {
        each(o -> o.messageReceived(webSocket, side, endpoint, kind, bytes));
    }

    @Override
    public void messageSent(WebSocket webSocket, Side side, String endpoint, MessageKind kind, long bytes) {
        each(o -> o.messageSent(webSocket, side, endpoint, kind, bytes));
    }

    @Override
    public void handshakeFailed(Side side, String endpoint, String reason) {
        each(o -> o.handshakeFailed(side, endpoint, reason));
    }

    @Override
    public void pingRoundTrip(WebSocket webSocket, Side side, String endpoint, Duration roundTrip) {
        each(o -> o.pingRoundTrip(webSocket, side, endpoint, roundTrip));
    }

    private void each(java.util.function.Consumer<WebSocketObserver> call) {
        for (WebSocketObserver o : observers) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "WebSocket observer " + o + " failed", e);
            }
        }
    }
}
