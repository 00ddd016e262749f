package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Registers every {@code @WebSocketEndpoint} bean on spring-websocket, each with its own handler,
 * handshake interceptor and handshake handler, so the application's web server serves it on its
 * own port. Origins are checked by the endpoint's interceptor (so that a refusal is observed), which
 * is why spring-websocket's own origin check is told to let everything through.
 */
public final class EndpointRegistrar implements WebSocketConfigurer {

    private final EndpointDefinitions endpoints;
    private final BeanFactory beanFactory;
    private final ConnectionRegistry registry;
    private final @Nullable WebSocketObserver observer;
    private final JsonCodec jsonCodec;
    private final @Nullable HttpSessionBinding sessions;
    private final ConnectionTimers timers;
    private final OpenConnections open;

    EndpointRegistrar(
            EndpointDefinitions endpoints,
            BeanFactory beanFactory,
            ConnectionRegistry registry,
            @Nullable WebSocketObserver observer,
            JsonCodec jsonCodec,
            @Nullable HttpSessionBinding sessions,
            ConnectionTimers timers,
            OpenConnections open) {
        this.endpoints = endpoints;
        this.beanFactory = beanFactory;
        this.registry = registry;
        this.observer = observer;
        this.jsonCodec = jsonCodec;
        this.sessions = sessions;
        this.timers = timers;
        this.open = open;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry handlers) {
        for (EndpointDefinition d : endpoints.definitions()) {
            EndpointSettings settings = d.settings();
            EndpointHandler handler =
                    new EndpointHandler(settings, registry, observer, jsonCodec, timers, sessions, open);
            EndpointHandshakeInterceptor interceptor =
                    new EndpointHandshakeInterceptor(settings, instances(d), observer, sessions);
            handlers.addHandler(handler, settings.path())
                    .setHandshakeHandler(new EndpointHandshakeHandler())
                    .addInterceptors(interceptor)
                    .setAllowedOriginPatterns("*");
        }
    }

    private Supplier<DuplexEndpoint> instances(EndpointDefinition d) {
        String name = d.beanName();
        if (d.perConnection()) {
            return () -> beanFactory.getBean(name, DuplexEndpoint.class);
        }
        DuplexEndpoint shared = beanFactory.getBean(name, DuplexEndpoint.class);
        return () -> shared;
    }
}
