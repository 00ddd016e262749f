package dev.duplex.websocket.server;

import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.codec.PerMessageDeflate;
import dev.duplex.websocket.codec.Role;
import dev.duplex.websocket.handshake.ExtensionOffer;
import dev.duplex.websocket.handshake.HandshakeAcceptance;
import dev.duplex.websocket.handshake.HandshakeDecision;
import dev.duplex.websocket.handshake.HandshakeRejection;
import dev.duplex.websocket.handshake.HttpParseException;
import dev.duplex.websocket.handshake.HttpRequest;
import dev.duplex.websocket.handshake.HttpRequestParser;
import dev.duplex.websocket.handshake.PerMessageDeflateParameters;
import dev.duplex.websocket.transport.Connection;
import dev.duplex.websocket.transport.ConnectionHandler;
import dev.duplex.websocket.transport.Timeout;
import dev.duplex.websocket.transport.WebSocketConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The handshake phase of one accepted connection: reads the request head (bounded in size and
 * time), routes its path, lets {@link dev.duplex.websocket.handshake.ServerHandshake} and then the
 * endpoint's {@code onHandshake} decide, and writes the 101 or the rejection. After a 101 it
 * forwards every transport event to the {@link WebSocketConnection} it created.
 *
 * <p>Transport events arrive on the connection's loop thread; the endpoint's hook runs on the
 * dispatch executor while reads are suspended, so bytes the client sent right behind its request
 * stay with the transport and reach the engine first.
 */
final class HandshakeHandler implements ConnectionHandler {

    private static final System.Logger LOG = System.getLogger(HandshakeHandler.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private enum Phase {
        READING,
        DECIDING,
        OPEN,
        DONE
    }

    private final WebSocketServer server;
    private final Connection connection;
    /** Until the head is parsed; then null, as an open connection keeps this handler. Loop thread only. */
    private @Nullable HttpRequestParser parser;

    /** The handshake deadline until it is cancelled; then null. Loop thread only. */
    private @Nullable Timeout timer;
    /** Loop thread only. */
    private Phase phase = Phase.READING;
    /** The engine's handler once upgraded; loop thread only. */
    private @Nullable ConnectionHandler delegate;
    /** The matched path template, for metrics; loop thread only. */
    private String endpointLabel = UNMATCHED;

    /** The metrics label of handshakes that matched no endpoint. */
    static final String UNMATCHED = "unmatched";

    HandshakeHandler(WebSocketServer server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.parser = new HttpRequestParser(server.maxHandshakeSize(), HttpRequestParser.DEFAULT_MAX_HEADERS);
        this.timer =
                connection.schedule(this::timedOut, server.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onRead(ByteBuffer data) {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onRead(data);
            return;
        }
        if (phase == Phase.DECIDING) {
            return; // reads are suspended: the transport keeps these bytes for the engine
        }
        if (phase != Phase.READING) {
            data.position(data.limit());
            return;
        }
        HttpRequestParser p = parser;
        if (p == null) {
            data.position(data.limit());
            return;
        }
        HttpRequest request;
        try {
            request = p.parse(data);
        } catch (HttpParseException e) {
            data.position(data.limit());
            reject(HandshakeRejection.of(e));
            return;
        }
        if (request == null) {
            return;
        }
        phase = Phase.DECIDING;
        parser = null;
        cancelTimer();
        connection.suspendReads();
        decide(request);
    }

    private void decide(HttpRequest request) {
        WebSocketServer.Match match = server.route(request.path());
        if (match == null) {
            reject(HandshakeRejection.of(404, "No WebSocket endpoint at this path"));
            return;
        }
        endpointLabel = match.route().template().toString();
        HandshakeDecision decision = server.handshake().decide(request);
        if (decision instanceof HandshakeRejection rejection) {
            reject(rejection);
            return;
        }
        HandshakeAcceptance acceptance = (HandshakeAcceptance) decision;
        DuplexEndpoint endpoint;
        try {
            endpoint = server.instantiate(match.route());
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Creating the endpoint for " + match.route().template() + " failed",
                    e);
            reject(HandshakeRejection.of(500, "The endpoint could not be created"));
            return;
        }
        Map<String, List<String>> headers = request.headers().toMap();
        ServerHandshakeRequest view = new ServerHandshakeRequest(
                request,
                new RequestUri(connection.isSecure(), request.headers().first("Host"), request.target()),
                match.route().template().template(),
                match.variables(),
                headers,
                connection.remoteAddress(),
                connection.isSecure());
        Runnable hook = () -> {
            HandshakeResponse response = new HandshakeResponse(request.offeredSubprotocols(), acceptance.subprotocol());
            Throwable failure = null;
            try {
                endpoint.onHandshake(view, response);
            } catch (Throwable t) {
                failure = t;
            }
            Throwable f = failure;
            connection.eventLoop().execute(() -> finish(view, acceptance, endpoint, response, f));
        };
        try {
            server.hookExecutor().execute(hook);
        } catch (RuntimeException e) {
            reject(HandshakeRejection.of(503, "The server is busy"));
        }
    }

    private void finish(
            ServerHandshakeRequest view,
            HandshakeAcceptance acceptance,
            DuplexEndpoint endpoint,
            HandshakeResponse response,
            @Nullable Throwable failure) {
        if (phase != Phase.DECIDING) {
            return; // the client left, or the server stopped, while the hook ran
        }
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "onHandshake failed for " + view.uri(), failure);
            reject(HandshakeRejection.of(500, "The endpoint failed to decide the handshake"));
            return;
        }
        if (response.isRejected()) {
            HandshakeRejection rejection = HandshakeRejection.of(response.status(), response.message());
            try {
                for (Map.Entry<String, List<String>> h : response.headers().entrySet()) {
                    for (String value : h.getValue()) {
                        rejection = rejection.withHeader(h.getKey(), value);
                    }
                }
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "onHandshake set an invalid header", e);
            }
            reject(rejection);
            return;
        }
        HandshakeAcceptance accepted;
        try {
            accepted = acceptance.withSubprotocol(response.subprotocol());
            for (Map.Entry<String, List<String>> h : response.headers().entrySet()) {
                for (String value : h.getValue()) {
                    accepted = accepted.withHeader(h.getKey(), value);
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "onHandshake set an invalid header", e);
            reject(HandshakeRejection.of(500, "The endpoint set an invalid response header"));
            return;
        }
        upgrade(view, accepted, endpoint, response);
    }

    private void upgrade(
            ServerHandshakeRequest view,
            HandshakeAcceptance accepted,
            DuplexEndpoint endpoint,
            HandshakeResponse response) {
        connection.write(0, ByteBuffer.wrap(accepted.toBytes()));
        List<String> extensions = new ArrayList<>(accepted.extensions().size());
        PerMessageDeflate deflate = null;
        for (ExtensionOffer e : accepted.extensions()) {
            extensions.add(ExtensionOffer.format(List.of(e)));
            if (PerMessageDeflateParameters.isPerMessageDeflate(e)) {
                // Our own negotiator's answer, so it parses.
                PerMessageDeflateParameters agreed = PerMessageDeflateParameters.fromResponse(e);
                deflate = new PerMessageDeflate(
                        Role.SERVER,
                        agreed.serverNoContextTakeover(),
                        agreed.clientNoContextTakeover(),
                        server.compression());
            }
        }
        WebSocketConnection ws = new WebSocketConnection(
                connection,
                Role.SERVER,
                view.requestUri(),
                accepted.subprotocol(),
                extensions,
                view.headers(),
                server.protocolOptions(),
                new EndpointListener(server, endpoint),
                endpoint.isBlocking(),
                view.pathTemplate());
        // The attribute map is made on first use: most connections never need one.
        if (!response.attributes().isEmpty()) {
            ws.attributes().putAll(response.attributes());
        }
        if (!view.pathVariables().isEmpty()) {
            ws.attributes().put(DuplexEndpoint.PATH_VARIABLES_ATTRIBUTE, view.pathVariables());
        }
        if (deflate != null) {
            ws.setExtension(deflate);
        }
        phase = Phase.OPEN;
        delegate = ws.transportHandler();
        // The engine takes the transport's events directly from now on: this handler (and what it
        // refers to) is garbage once the upgrade is done.
        ws.replaceTransportHandler();
        server.opened(ws, view.pathTemplate());
        ws.start(EMPTY);
        connection.resumeReads();
    }

    private void reject(HandshakeRejection rejection) {
        phase = Phase.DONE;
        cancelTimer();
        server.handshakeRejected(rejection.status());
        try {
            server.protocolOptions()
                    .observer()
                    .handshakeFailed(WebSocketObserver.Side.SERVER, endpointLabel, String.valueOf(rejection.status()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket observer failed", e);
        }
        connection.write(0, ByteBuffer.wrap(rejection.toBytes()));
        connection.close();
    }

    private void cancelTimer() {
        Timeout t = timer;
        if (t != null) {
            t.cancel();
            timer = null;
        }
    }

    private void timedOut() {
        if (phase == Phase.READING) {
            reject(HandshakeRejection.of(
                    408,
                    "The handshake did not complete within "
                            + server.handshakeTimeout().toMillis() + " ms"));
        }
    }

    @Override
    public void onWritable() {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onWritable();
        }
    }

    @Override
    public void onOverflow(long bufferedAmount, long refusedBytes) {
        ConnectionHandler d = delegate;
        if (d != null) {
            d.onOverflow(bufferedAmount, refusedBytes);
        }
    }

    @Override
    public void onClosed(@Nullable Throwable cause) {
        cancelTimer();
        ConnectionHandler d = delegate;
        phase = Phase.DONE;
        if (d != null) {
            d.onClosed(cause);
        }
    }
}
