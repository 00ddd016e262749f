package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.spring.autoconfigure.server.WebSocketServerProperties;
import jakarta.servlet.http.HttpSessionListener;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.SessionRepository;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * {@link EnableAutoConfiguration Auto-configuration} tying endpoint connections to HTTP sessions:
 * the {@link HttpSessionBinding}, a servlet {@link HttpSessionListener} and, when Spring Session is
 * in use, a listener of its session-destroyed events and deletion through its repository.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
            "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
            "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({WebSocketConfigurer.class, HttpSessionListener.class})
@EnableConfigurationProperties(WebSocketServerProperties.class)
public final class WebSocketHttpSessionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HttpSessionBinding webSocketHttpSessionBinding(
            WebSocketServerProperties properties, ObjectProvider<SpringSessionDeleter> springSession) {
        SpringSessionDeleter deleter = springSession.getIfAvailable();
        return new HttpSessionBinding(properties.getSessionAttributes(), properties.isCloseOnSessionEnd(), deleter);
    }

    @Bean
    @ConditionalOnMissingBean
    ServletSessionEndListener webSocketServletSessionEndListener(HttpSessionBinding binding) {
        return new ServletSessionEndListener(binding);
    }

    /** Spring Session: its sessions end through its repository and announce it with events. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SessionRepository.class)
    @ConditionalOnBean(SessionRepository.class)
    static final class SpringSessionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SpringSessionDeleter webSocketSpringSessionDeleter(SessionRepository<?> repository) {
            return repository::deleteById;
        }

        @Bean
        @ConditionalOnMissingBean
        SpringSessionEndListener webSocketSpringSessionEndListener(HttpSessionBinding binding) {
            return new SpringSessionEndListener(binding);
        }
    }

    /** Deletes a Spring Session by id; a bean only when Spring Session is in use. */
    @FunctionalInterface
    public interface SpringSessionDeleter extends Consumer<String> {}
}
