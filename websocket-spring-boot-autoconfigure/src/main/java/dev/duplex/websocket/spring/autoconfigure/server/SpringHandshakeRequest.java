package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.server.HandshakeRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link HandshakeRequest} an endpoint's {@code onHandshake} sees in a Spring application, built
 * from spring-websocket's request. Immutable.
 */
record SpringHandshakeRequest(
        URI uri,
        String path,
        String pathTemplate,
        Map<String, String> pathVariables,
        @Nullable String query,
        Map<String, List<String>> headers,
        Map<String, String> cookies,
        @Nullable InetSocketAddress remoteAddress,
        List<String> offeredSubprotocols,
        boolean isSecure)
        implements HandshakeRequest {}
