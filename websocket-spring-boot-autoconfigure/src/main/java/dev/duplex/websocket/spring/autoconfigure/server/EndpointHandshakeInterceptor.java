package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.handshake.PathTemplate;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.HandshakeResponse;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * The Duplex side of a Spring handshake, before spring-websocket upgrades: the origin check (403),
 * the path variables, the endpoint instance (fresh for a prototype bean), the endpoint's {@code
 * onHandshake} (which may reject with a status or choose the subprotocol), and the HTTP session's
 * capture. Requests that are not WebSocket upgrades pass untouched, for spring-websocket to refuse.
 */
final class EndpointHandshakeInterceptor implements HandshakeInterceptor {

    private static final System.Logger LOG = System.getLogger(EndpointHandshakeInterceptor.class.getName());

    private final EndpointSettings settings;
    private final PathTemplate template;
    private final Supplier<DuplexEndpoint> instances;
    private final OriginHandshakeInterceptor origins;
    private final @Nullable WebSocketObserver observer;
    private final @Nullable HttpSessionBinding sessions;

    EndpointHandshakeInterceptor(
            EndpointSettings settings,
            Supplier<DuplexEndpoint> instances,
            @Nullable WebSocketObserver observer,
            @Nullable HttpSessionBinding sessions) {
        this.settings = settings;
        this.template = PathTemplate.compile(settings.path());
        this.instances = instances;
        this.origins = new OriginHandshakeInterceptor(settings.allowedOrigins());
        this.origins.setAllowedOriginPatterns(settings.allowedOriginPatterns());
        this.observer = observer;
        this.sessions = sessions;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler wsHandler,
            Map<String, Object> attributes)
            throws Exception {
        EndpointHandshakeHandler.CHOSEN.remove();
        String upgrade = request.getHeaders().getFirst("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return true; // not an upgrade: spring-websocket answers it
        }
        if (!origins.beforeHandshake(request, response, wsHandler, attributes)) {
            failed("403");
            return false;
        }
        String path = pathWithinApplication(request);
        Map<String, String> variables = template.match(path);
        if (variables == null) {
            variables = Map.of();
        }
        DuplexEndpoint endpoint;
        try {
            endpoint = instances.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Creating the endpoint for " + settings.path() + " failed", e);
            return reject(response, 500, "The endpoint could not be created", Map.of());
        }
        Map<String, List<String>> headers = EndpointHandler.headers(request.getHeaders());
        List<String> offered = offeredSubprotocols(request);
        SpringHandshakeRequest view = new SpringHandshakeRequest(
                EndpointHandler.wsUriOf(request.getURI()),
                path,
                settings.path(),
                variables,
                request.getURI().getRawQuery(),
                headers,
                cookies(headers.get("Cookie")),
                request.getRemoteAddress(),
                offered,
                isSecure(request));
        HandshakeResponse decision = new HandshakeResponse(offered, preferred(offered));
        try {
            endpoint.onHandshake(view, decision);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "onHandshake failed for " + view.uri(), e);
            return reject(response, 500, "The endpoint failed to decide the handshake", Map.of());
        }
        if (decision.isRejected()) {
            return reject(response, decision.status(), decision.message(), decision.headers());
        }
        decision.headers()
                .forEach((name, values) ->
                        values.forEach(v -> response.getHeaders().add(name, v)));
        Map<String, Object> initial = new LinkedHashMap<>(decision.attributes());
        initial.put(DuplexEndpoint.PATH_VARIABLES_ATTRIBUTE, variables);
        if (sessions != null) {
            sessions.capture(request, initial);
        }
        attributes.put(AcceptedHandshake.ATTRIBUTE, new AcceptedHandshake(endpoint, initial));
        String chosen = decision.subprotocol();
        EndpointHandshakeHandler.CHOSEN.set(chosen == null ? EndpointHandshakeHandler.NONE : chosen);
        return true;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler wsHandler,
            @Nullable Exception exception) {
        EndpointHandshakeHandler.CHOSEN.remove();
        if (exception != null) {
            failed("500");
        }
    }

    private boolean reject(ServerHttpResponse response, int status, String message, Map<String, List<String>> headers) {
        response.setStatusCode(HttpStatusCode.valueOf(status));
        headers.forEach(
                (name, values) -> values.forEach(v -> response.getHeaders().add(name, v)));
        if (!message.isEmpty()) {
            response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
            try {
                response.getBody().write(message.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                // the client left
            }
        }
        failed(String.valueOf(status));
        return false;
    }

    private void failed(String reason) {
        WebSocketObserver o = observer;
        if (o != null) {
            try {
                o.handshakeFailed(WebSocketObserver.Side.SERVER, settings.path(), reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "WebSocket observer failed", e);
            }
        }
    }

    /** The server's choice: its first subprotocol, in its own order, that the client offered. */
    private @Nullable String preferred(List<String> offered) {
        for (String p : settings.subprotocols()) {
            if (offered.contains(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> offeredSubprotocols(ServerHttpRequest request) {
        List<String> values = request.getHeaders().get("Sec-WebSocket-Protocol");
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> offered = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    offered.add(t);
                }
            }
        }
        return List.copyOf(offered);
    }

    private static String pathWithinApplication(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet) {
            HttpServletRequest r = servlet.getServletRequest();
            String uri = r.getRequestURI();
            String context = r.getContextPath();
            return context != null && !context.isEmpty() && uri.startsWith(context)
                    ? uri.substring(context.length())
                    : uri;
        }
        String raw = request.getURI().getRawPath();
        return raw == null ? "/" : raw;
    }

    private static boolean isSecure(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet) {
            return servlet.getServletRequest().isSecure();
        }
        return "https".equalsIgnoreCase(request.getURI().getScheme());
    }

    static Map<String, String> cookies(@Nullable List<String> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(
                            pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return Collections.unmodifiableMap(cookies);
    }
}
