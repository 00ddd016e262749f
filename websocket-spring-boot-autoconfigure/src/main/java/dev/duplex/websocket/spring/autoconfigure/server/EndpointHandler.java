package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.JsonEndpoint;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * spring-websocket's handler for one {@code @WebSocketEndpoint}: turns the container's callbacks
 * into the endpoint's hooks over a {@link SpringWebSocket}, in the core's order — {@code onOpen}
 * once, messages, at most one {@code onError}, {@code onClose} once, {@code onAfterClose} — and keeps
 * the registry, the observer and the HTTP-session binding in step.
 *
 * <p>Hooks run on the container's thread for the connection, which delivers one connection's
 * events one at a time. A failure found on another thread (an overflow with {@link
 * dev.duplex.websocket.OverflowPolicy#CLOSE}) is recorded and reported to {@code onError} on the
 * container's thread just before {@code onClose}, so hooks never run concurrently. Pings are
 * answered by the container and do not reach {@code onPing}.
 */
final class EndpointHandler implements WebSocketHandler, SubProtocolCapable {

    private static final System.Logger LOG = System.getLogger(EndpointHandler.class.getName());
    private static final String CONNECTION = EndpointHandler.class.getName() + ".connection";

    private final EndpointSettings settings;
    private final ConnectionRegistry registry;
    private final @Nullable WebSocketObserver observer;
    private final JsonCodec jsonCodec;
    private final ConnectionTimers timers;
    private final @Nullable HttpSessionBinding sessions;
    private final OpenConnections open;

    EndpointHandler(
            EndpointSettings settings,
            ConnectionRegistry registry,
            @Nullable WebSocketObserver observer,
            JsonCodec jsonCodec,
            ConnectionTimers timers,
            @Nullable HttpSessionBinding sessions,
            OpenConnections open) {
        this.settings = settings;
        this.registry = registry;
        this.observer = observer;
        this.jsonCodec = jsonCodec;
        this.timers = timers;
        this.sessions = sessions;
        this.open = open;
    }

    EndpointSettings settings() {
        return settings;
    }

    @Override
    public List<String> getSubProtocols() {
        return settings.subprotocols();
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        AcceptedHandshake accepted = (AcceptedHandshake) session.getAttributes().remove(AcceptedHandshake.ATTRIBUTE);
        if (accepted == null) {
            throw new IllegalStateException("No Duplex handshake for " + session.getUri());
        }
        DuplexEndpoint endpoint = accepted.endpoint();
        if (endpoint instanceof JsonEndpoint<?> json) {
            json.useJsonCodec(jsonCodec);
        }
        SpringWebSocket ws = new SpringWebSocket(
                transmitter(session),
                settings,
                wsUriOf(session.getUri()),
                emptyToNull(session.getAcceptedProtocol()),
                extensions(session.getExtensions()),
                headers(session.getHandshakeHeaders()),
                jsonCodec,
                timers,
                observer);
        ws.attributes().putAll(accepted.attributes());
        Connection c = new Connection(
                ws, endpoint, new InboundAssembler(settings.maxTextMessageSize(), settings.maxBinaryMessageSize()));
        session.getAttributes().put(CONNECTION, c);
        registry.register(ws, settings.path());
        open.add(ws);
        if (sessions != null) {
            sessions.opened(ws, () -> ws.closeWithStatus(CloseReason.POLICY_VIOLATION, "The HTTP session ended"));
        }
        WebSocketObserver o = observer;
        if (o != null) {
            observe(() -> o.opened(ws, WebSocketObserver.Side.SERVER, settings.path()));
        }
        ws.startTimers();
        ws.delivering = Thread.currentThread();
        try {
            endpoint.onOpen(ws);
        } catch (RuntimeException | Error e) {
            c.hookFailed(e);
        } finally {
            ws.delivering = null;
        }
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
        Connection c = (Connection) session.getAttributes().get(CONNECTION);
        if (c == null || c.failure.get() != null) {
            return; // failed: the rest of the input is dropped while the close completes
        }
        SpringWebSocket ws = c.ws;
        ws.lastReceivedNanos = System.nanoTime();
        ws.delivering = Thread.currentThread();
        try {
            if (message instanceof TextMessage text) {
                String whole = c.assembler.text(text.getPayload(), text.isLast());
                if (whole != null) {
                    received(ws, WebSocketObserver.MessageKind.TEXT, whole);
                    c.endpoint.onText(ws, whole);
                }
            } else if (message instanceof BinaryMessage binary) {
                ByteBuffer whole = c.assembler.binary(binary.getPayload(), binary.isLast());
                if (whole != null) {
                    WebSocketObserver o = observer;
                    if (o != null) {
                        long n = whole.remaining();
                        observe(() -> o.messageReceived(
                                ws,
                                WebSocketObserver.Side.SERVER,
                                settings.path(),
                                WebSocketObserver.MessageKind.BINARY,
                                n));
                    }
                    c.endpoint.onBinary(ws, whole);
                }
            } else if (message instanceof PongMessage pong) {
                ws.pongReceived(pong.getPayload());
                c.endpoint.onPong(ws, pong.getPayload());
            }
        } catch (RuntimeException | Error e) {
            c.hookFailed(e);
        } finally {
            ws.delivering = null;
        }
    }

    private void received(SpringWebSocket ws, WebSocketObserver.MessageKind kind, String text) {
        WebSocketObserver o = observer;
        if (o != null) {
            long n = SpringWebSocket.utf8Length(text);
            observe(() -> o.messageReceived(ws, WebSocketObserver.Side.SERVER, settings.path(), kind, n));
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        Connection c = (Connection) session.getAttributes().get(CONNECTION);
        if (c != null) {
            c.failure.compareAndSet(null, exception);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection c = (Connection) session.getAttributes().remove(CONNECTION);
        if (c == null) {
            return;
        }
        SpringWebSocket ws = c.ws;
        CloseReason reason = new CloseReason(status.getCode(), status.getReason() == null ? "" : status.getReason());
        registry.unregister(ws);
        open.remove(ws);
        ws.closed(reason);
        Throwable failure = c.failure.get();
        try {
            if (failure != null) {
                try {
                    c.endpoint.onError(ws, failure);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "onError failed on " + ws, e);
                }
            }
            WebSocketObserver o = observer;
            if (o != null) {
                observe(() -> o.closed(ws, WebSocketObserver.Side.SERVER, settings.path(), reason.code()));
            }
            boolean clean = status.getCode() != CloseReason.ABNORMAL_CLOSURE;
            try {
                c.endpoint.onClose(ws, reason, clean);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "onClose failed on " + ws, e);
            }
        } finally {
            if (sessions != null) {
                sessions.closed(ws, settings.sessionEndOnClose());
            }
            try {
                c.endpoint.onAfterClose(ws);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "onAfterClose failed on " + ws, e);
            }
        }
    }

    /** One open connection's state; its fields are touched on the container's thread for it. */
    private static final class Connection {
        final SpringWebSocket ws;
        final DuplexEndpoint endpoint;
        final InboundAssembler assembler;
        /** The first failure; onError reports it before onClose. */
        final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

        Connection(SpringWebSocket ws, DuplexEndpoint endpoint, InboundAssembler assembler) {
            this.ws = ws;
            this.endpoint = endpoint;
            this.assembler = assembler;
            ws.onFailure(failure);
        }

        /** A hook threw, or the input broke a limit: the first failure wins and closes the connection. */
        void hookFailed(Throwable e) {
            ProtocolException pe;
            if (e instanceof ProtocolException p) {
                pe = p;
            } else {
                LOG.log(System.Logger.Level.WARNING, "Endpoint hook failed on " + ws, e);
                pe = new ProtocolException(CloseReason.INTERNAL_ERROR, "The endpoint failed: " + e, e);
            }
            if (failure.compareAndSet(null, pe)) {
                ws.closeWithStatus(pe.closeCode(), pe.getMessage() == null ? "" : pe.getMessage());
            }
        }
    }

    private static Transmitter transmitter(WebSocketSession session) {
        if (Containers.JAKARTA_PRESENT && session instanceof NativeWebSocketSession n) {
            Object nativeSession = n.getNativeSession();
            if (nativeSession instanceof jakarta.websocket.Session js) {
                return new JakartaTransmitter(js);
            }
        }
        return new SessionTransmitter(session);
    }

    static URI wsUriOf(@Nullable URI uri) {
        if (uri == null) {
            return URI.create("ws://localhost/");
        }
        String scheme =
                "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme()) ? "wss" : "ws";
        try {
            return new URI(scheme, uri.getRawAuthority(), uri.getRawPath(), uri.getRawQuery(), null);
        } catch (URISyntaxException e) {
            return uri;
        }
    }

    private static @Nullable String emptyToNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<String> extensions(List<WebSocketExtension> extensions) {
        if (extensions.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(extensions.size());
        for (WebSocketExtension e : extensions) {
            names.add(e.toString());
        }
        return names;
    }

    static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> map.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(map);
    }

    private static void observe(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket observer failed", e);
        }
    }
}
