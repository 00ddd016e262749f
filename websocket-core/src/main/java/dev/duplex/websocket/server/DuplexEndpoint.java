package dev.duplex.websocket.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The base class of server endpoints: override the hooks you need. One class runs on the
 * standalone {@link WebSocketServer} and, through the Spring starter, on spring-websocket: the
 * hooks see only the {@link WebSocket} API and a {@link HandshakeRequest}, never a host's types.
 *
 * <h2>Hooks, in the order of a connection's life</h2>
 * <ol>
 *   <li>{@link #onHandshake} — accept or reject the upgrade, choose the subprotocol, set attributes;
 *   <li>{@link #onOpen} exactly once;
 *   <li>{@link #onText}, {@link #onBinary}, {@link #onPing}, {@link #onPong} in wire order — or,
 *       in blocking mode, {@link #serve} reading with {@link WebSocket#receive};
 *   <li>at most one {@link #onError};
 *   <li>{@link #onClose} exactly once;
 *   <li>{@link #onAfterClose} exactly once, when the connection is gone from the registry (and, in
 *       blocking mode, {@code serve} has returned).
 * </ol>
 * The hooks of one connection never run concurrently; hooks of different connections do, so a
 * shared instance must be thread-safe. They run off the I/O threads and may block (delaying only
 * their own connection). A hook that throws closes its connection with 1011 (internal error);
 * one that throws a {@link dev.duplex.websocket.ProtocolException} closes it with that code.
 *
 * <h2>Instances</h2>
 * Register an instance to share it among all connections, or a {@code Supplier} for a fresh
 * instance per connection (then fields may hold per-connection state, and {@code onHandshake} runs
 * on the instance that serves the connection).
 *
 * <h2>Message type</h2>
 * Text endpoints override {@link #onText}, binary ones {@link #onBinary}, and endpoints that work
 * in objects extend {@link JsonEndpoint}.
 *
 * <h2>Blocking mode</h2>
 * An endpoint that overrides {@link #serve(WebSocket)} gets it called on a thread of its own (a
 * virtual thread on Java 21+) right after {@code onOpen}, with the connection in pull mode: it
 * reads with {@link WebSocket#receive(java.time.Duration)} (large messages in parts, the last
 * marked "at end") and writes with the {@code send…} methods. The connection ends when {@code
 * serve} returns (closed with 1000 if still open) or when it closes it. Message hooks are then not
 * called.
 *
 * <h2>Counterparts in the seeds</h2>
 * IRIS {@code %CSP.WebSocket}:
 * <ul>
 *   <li>{@code OnPreServer} is {@link #onHandshake}; {@code Server()} is {@link #serve}; {@code
 *       OnPostServer} is {@link #onAfterClose}; {@code OnClientMessage} (asynchronous mode) is
 *       {@link #onText}/{@link #onBinary}; {@code Initialize}/{@code InitializeServer} are the
 *       host's job ({@link WebSocketServer}, or the Spring starter).
 *   <li>{@code Read(len, sc, timeout)} is {@link WebSocket#receive(java.time.Duration)}: {@code
 *       AtEnd} is {@link dev.duplex.websocket.Message#last()}, {@code $$$CSPWebSocketTimeout} a
 *       {@link java.util.concurrent.TimeoutException}, {@code $$$CSPWebSocketClosed} a {@link
 *       dev.duplex.websocket.Message.Closed}; {@code Write} is {@code sendText}/{@code sendBinary};
 *       {@code EndServer} is {@link WebSocket#close()}.
 *   <li>{@code BinaryData} is the choice of {@link #onText} or {@link #onBinary} (and of {@code
 *       sendText} or {@code sendBinary}); {@code NOCHARSETCONVERT} has no counterpart because text
 *       is always UTF-8 (RFC 6455 §5.6) and binary is never converted.
 *   <li>{@code NoDataFraming} has no counterpart: every byte goes through RFC 6455 framing. Code
 *       that wants a plain byte stream writes through {@link WebSocket#binaryStream(int)} or {@link
 *       WebSocket#textWriter(int)} and reads with {@code receive} in {@link #serve}.
 *   <li>{@code SharedConnection} is how every Duplex connection works: none holds a thread, and any
 *       thread reaches one through the {@link ConnectionRegistry} — {@code OpenServer(id)} is {@link
 *       ConnectionRegistry#find}, {@code SendAsyncMessage(id)} is {@link
 *       ConnectionRegistry#sendText}; {@code GWClientAddress} is not needed (there is no gateway
 *       between the socket and the endpoint).
 *   <li>{@code WebSocketID} is {@link WebSocket#id()}.
 *   <li>{@code UseSession}, {@code SessionId} and {@code SessionEndOnClose} belong to the Spring
 *       starter, which captures the HTTP session at the handshake and whose {@code
 *       @WebSocketEndpoint(sessionEndOnClose = true)} ends it when the socket closes; the standalone
 *       server has no HTTP session (an endpoint may read a session cookie with {@link
 *       HandshakeRequest#cookies()} and keep it as an attribute).
 * </ul>
 * afWebSockets' {@code WebSocket}:
 * <ul>
 *   <li>{@code onOpen}, {@code onMessage}, {@code onError}, {@code onClose} are {@link #onOpen},
 *       {@link #onText}/{@link #onBinary}, {@link #onError}, {@link #onClose}; {@code read()} (the
 *       blocking event loop) is {@link #serve}.
 *   <li>{@code upgrade(req, res, commit)} is done by the host before {@link #onOpen}: {@link
 *       #onHandshake} is where the endpoint sees the request and shapes the response (status,
 *       headers, subprotocol) before it is committed.
 *   <li>{@code allowedOrigins} is {@link WebSocketServer.Builder#allowedOrigins(String...)} (globs;
 *       afWebSockets' {@code null}, every origin, is {@code "*"}).
 *   <li>{@code id}, {@code url}, {@code readyState}, {@code bufferedAmount}, {@code sendText},
 *       {@code sendBinary}, {@code close(code, reason)} are the {@link WebSocket} methods of the
 *       same names ({@code url} is {@link WebSocket#uri()}); the {@code WebSockets} service of all
 *       open sockets is the {@link ConnectionRegistry}; {@code open(url, protocols)} and {@code
 *       make} are the client's ({@code WebSocketClient}).
 * </ul>
 */
public abstract class DuplexEndpoint {

    /** The attribute under which the host stores the path variables, a {@code Map<String, String>}. */
    public static final String PATH_VARIABLES_ATTRIBUTE = "dev.duplex.websocket.server.pathVariables";

    private static final ClassValue<Boolean> BLOCKING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("serve", WebSocket.class).getDeclaringClass() != DuplexEndpoint.class;
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
        }
    };

    /** For subclasses. */
    protected DuplexEndpoint() {}

    /**
     * Decides the upgrade, after the host's own checks (method, version, key, origin) passed. The
     * default accepts with the server's subprotocol choice. Runs off the I/O threads.
     *
     * @param request the upgrade request
     * @param response where to reject, choose the subprotocol, add headers and attributes
     */
    public void onHandshake(HandshakeRequest request, HandshakeResponse response) {}

    /** The connection is open. */
    public void onOpen(WebSocket webSocket) {}

    /** A whole text message arrived (valid UTF-8). Not called in blocking mode. */
    public void onText(WebSocket webSocket, String text) {}

    /**
     * A whole binary message arrived; the buffer is valid during the call only. Not called in
     * blocking mode.
     */
    public void onBinary(WebSocket webSocket, ByteBuffer data) {}

    /**
     * A ping arrived; the pong has already been sent. Not called when the endpoint runs under
     * Spring: the servlet container answers pings itself and does not pass them on.
     */
    public void onPing(WebSocket webSocket, ByteBuffer payload) {}

    /** A pong arrived. */
    public void onPong(WebSocket webSocket, ByteBuffer payload) {}

    /**
     * The connection failed: a protocol violation by the client (a {@link
     * dev.duplex.websocket.ProtocolException} with its close code), an I/O error or a timeout.
     * Followed by {@link #onClose}.
     */
    public void onError(WebSocket webSocket, Throwable error) {}

    /**
     * The connection is closed.
     *
     * @param reason the code and reason received (1006 when there was no closing handshake)
     * @param wasClean whether a close frame went each way
     */
    public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {}

    /**
     * The connection is gone: closed, removed from the registry and from every group, and (in
     * blocking mode) {@code serve} has returned. The last hook; for releasing resources.
     */
    public void onAfterClose(WebSocket webSocket) {}

    /**
     * Blocking mode: override to serve the connection with a read/write loop on a thread of its
     * own. Return (or close the connection) to end it. An exception ends it with 1011.
     *
     * @throws Exception anything; it is logged and closes the connection with 1011
     */
    public void serve(WebSocket webSocket) throws Exception {
        throw new UnsupportedOperationException("serve is not overridden");
    }

    /** Whether this endpoint runs in blocking mode: whether its class overrides {@link #serve}. */
    public final boolean isBlocking() {
        return BLOCKING.get(getClass());
    }

    /** The path variables of a connection's request ({@code room} of {@code /chat/{room}}). */
    @SuppressWarnings("unchecked")
    public static Map<String, String> pathVariables(WebSocket webSocket) {
        Object vars = webSocket.attributes().get(PATH_VARIABLES_ATTRIBUTE);
        return vars instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
    }
}
