package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.JsonEndpoint;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * container's thread just before {@code onClose}, so hooks never run concurrently.
 *
 * <p>An endpoint that overrides {@code serve} runs in blocking mode, as on the standalone server:
 * {@code serve} runs on a thread of its own (virtual on Java 21+) right after {@code onOpen},
 * reading with {@code receive} what the container delivers (parts, the last marked at end, within
 * the message limits) instead of the message hooks; when it returns the connection closes with
 * 1000, when it throws with 1011, and {@code onAfterClose} waits for both its end and {@code
 * onClose}. While 4 MiB of parts wait unread, the container's thread for the connection waits too,
 * which stops reading from that peer.
 *
 * <p>One difference from the standalone server: the container answers pings itself, and neither
 * the Jakarta API (Tomcat, Jetty) nor spring-websocket hands a ping to the application, so {@code
 * onPing} is not called under Spring. Pongs do reach {@code onPong}.
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
        boolean blocking = endpoint.isBlocking();
        SpringWebSocket ws = new SpringWebSocket(
                transmitter(session),
                settings,
                wsUriOf(session.getUri()),
                emptyToNull(session.getAcceptedProtocol()),
                extensions(session.getExtensions()),
                headers(session.getHandshakeHeaders()),
                jsonCodec,
                timers,
                observer,
                blocking ? new PullQueue(ProtocolOptions.DEFAULT_MAX_PENDING_RECEIVE) : null);
        ws.attributes().putAll(accepted.attributes());
        Connection c = new Connection(
                ws,
                endpoint,
                new InboundAssembler(settings.maxTextMessageSize(), settings.maxBinaryMessageSize()),
                blocking);
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
            if (blocking) {
                c.ended(); // serve never starts
            }
            return;
        } finally {
            ws.delivering = null;
        }
        if (blocking) {
            serve(c);
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
            if (c.blocking && !(message instanceof PongMessage)) {
                receivedPart(c, message);
                return;
            }
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

    /** Blocking mode: hands a part to {@code receive}, within the limits; the container's thread. */
    private void receivedPart(Connection c, WebSocketMessage<?> message) {
        Message part;
        long bytes;
        boolean last;
        WebSocketObserver.MessageKind kind;
        if (message instanceof TextMessage text) {
            String s = c.assembler.textPart(text.getPayload(), text.isLast());
            if (s == null) {
                return;
            }
            last = text.isLast();
            part = new Message.Text(s, last);
            bytes = SpringWebSocket.utf8Length(s);
            kind = WebSocketObserver.MessageKind.TEXT;
        } else if (message instanceof BinaryMessage binary) {
            ByteBuffer copy = c.assembler.binaryPart(binary.getPayload(), binary.isLast());
            last = binary.isLast();
            part = new Message.Binary(copy, last);
            bytes = copy.remaining();
            kind = WebSocketObserver.MessageKind.BINARY;
        } else {
            return;
        }
        c.messageBytes += bytes;
        if (last) {
            WebSocketObserver o = observer;
            long n = c.messageBytes;
            c.messageBytes = 0;
            if (o != null) {
                observe(() -> o.messageReceived(c.ws, WebSocketObserver.Side.SERVER, settings.path(), kind, n));
            }
        }
        try {
            c.ws.received(part, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocking mode: runs {@code serve} on a thread of its own, as the standalone server does. */
    private static void serve(Connection c) {
        SpringWebSocket ws = c.ws;
        Runnable task = () -> {
            try {
                c.endpoint.serve(ws);
                if (ws.readyState() == ReadyState.OPEN) {
                    ws.close();
                }
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(System.Logger.Level.WARNING, "serve failed on " + ws, t);
                if (ws.readyState() == ReadyState.OPEN) {
                    ws.closeWithStatus(CloseReason.INTERNAL_ERROR, "");
                }
            } finally {
                c.ended();
            }
        };
        try {
            BlockingThreads.EXECUTOR.execute(task);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not start serve for " + ws, e);
            ws.closeWithStatus(CloseReason.INTERNAL_ERROR, "");
            c.ended();
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
            c.ended();
        }
    }

    /** One open connection's state; its fields are touched on the container's thread for it. */
    private static final class Connection {
        final SpringWebSocket ws;
        final DuplexEndpoint endpoint;
        final InboundAssembler assembler;
        /** Whether {@code serve} reads the messages (blocking mode) instead of the message hooks. */
        final boolean blocking;
        /** The first failure; onError reports it before onClose. */
        final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        /** What must still end before onAfterClose: onClose, and serve in blocking mode. */
        final AtomicInteger pendingEnds;
        /** Blocking mode: payload bytes of the message whose parts are arriving, for the observer. */
        long messageBytes;

        Connection(SpringWebSocket ws, DuplexEndpoint endpoint, InboundAssembler assembler, boolean blocking) {
            this.ws = ws;
            this.endpoint = endpoint;
            this.assembler = assembler;
            this.blocking = blocking;
            this.pendingEnds = new AtomicInteger(blocking ? 2 : 1);
            ws.onFailure(failure);
        }

        /** onClose ran or serve returned; the last of them runs onAfterClose. */
        void ended() {
            if (pendingEnds.decrementAndGet() != 0) {
                return;
            }
            try {
                endpoint.onAfterClose(ws);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "onAfterClose failed on " + ws, e);
            }
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
