package dev.duplex.websocket.server;

import dev.duplex.websocket.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The standalone server's {@link HandshakeRequest}, over a parsed {@link HttpRequest}. Immutable. */
record ServerHandshakeRequest(
        HttpRequest request,
        RequestUri requestUri,
        String pathTemplate,
        Map<String, String> pathVariables,
        Map<String, List<String>> headers,
        @Nullable InetSocketAddress remoteAddress,
        boolean isSecure)
        implements HandshakeRequest {

    @Override
    public URI uri() {
        return requestUri.get();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public @Nullable String query() {
        return request.query();
    }

    @Override
    public Map<String, String> cookies() {
        return request.cookies();
    }

    @Override
    public List<String> offeredSubprotocols() {
        return request.offeredSubprotocols();
    }
}
