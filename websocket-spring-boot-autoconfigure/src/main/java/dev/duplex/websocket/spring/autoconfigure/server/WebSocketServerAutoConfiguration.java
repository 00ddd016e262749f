package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.InMemoryConnectionRegistry;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import dev.duplex.websocket.spring.autoconfigure.session.WebSocketHttpSessionAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for {@code @WebSocketEndpoint} beans served by
 * the application's servlet web server through spring-websocket, with the {@link ConnectionRegistry}
 * bean, the {@code duplex.websocket.server.*} properties and a graceful close at shutdown. Backs off
 * in applications without a servlet web server or without spring-websocket.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WebSocketHttpSessionAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({WebSocketConfigurer.class, DuplexEndpoint.class, jakarta.servlet.Servlet.class})
@EnableConfigurationProperties(WebSocketServerProperties.class)
@EnableWebSocket
public final class WebSocketServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ConnectionRegistry.class)
    InMemoryConnectionRegistry webSocketConnectionRegistry() {
        return new InMemoryConnectionRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    EndpointDefinitions webSocketEndpointDefinitions(
            ConfigurableListableBeanFactory beanFactory, WebSocketServerProperties properties, Environment env) {
        return EndpointDefinitions.scan(beanFactory, properties, env);
    }

    @Bean
    @ConditionalOnMissingBean
    EndpointRegistrar webSocketEndpointRegistrar(
            EndpointDefinitions endpoints,
            ConfigurableListableBeanFactory beanFactory,
            ConnectionRegistry registry,
            ObjectProvider<WebSocketObserver> observer,
            ObjectProvider<JsonCodec> jsonCodec,
            ObjectProvider<HttpSessionBinding> sessions) {
        return new EndpointRegistrar(
                endpoints,
                beanFactory,
                registry,
                observer.getIfUnique(),
                jsonCodec.getIfUnique(JsonCodec::none),
                sessions.getIfUnique(),
                new ConnectionTimers(),
                openConnections());
    }

    private final OpenConnections open = new OpenConnections();

    private OpenConnections openConnections() {
        return open;
    }

    @Bean
    GracefulShutdown webSocketGracefulShutdown(WebSocketServerProperties properties) {
        return new GracefulShutdown(open, properties.getDrainTimeout());
    }
}
