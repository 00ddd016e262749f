package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.spring.autoconfigure.server.WebSocketServerProperties;
import jakarta.servlet.http.HttpSessionListener;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.authentication.session.SessionFixationProtectionEvent;
import org.springframework.session.SessionRepository;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * {@link EnableAutoConfiguration Auto-configuration} tying endpoint connections to HTTP sessions:
 * the {@link HttpSessionBinding}, servlet listeners of ending sessions and of changed session ids
 * and, when Spring Session is in use, deletion through its repository and three ways of hearing
 * its sessions end (its destroyed events, the repository's deletions, a periodic check for
 * expiry); when Spring Security is present, a listener of the id changes it announces.
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

    private static final String CLOSE_ON_SESSION_END = "duplex.websocket.server.close-on-session-end";

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

    @Bean
    @ConditionalOnMissingBean
    ServletSessionIdListener webSocketServletSessionIdListener(HttpSessionBinding binding) {
        return new ServletSessionIdListener(binding);
    }

    /** Spring Security: it announces the id changes of its session-fixation protection. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SessionFixationProtectionEvent.class)
    static final class SpringSecurityConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SecuritySessionIdListener webSocketSecuritySessionIdListener(HttpSessionBinding binding) {
            return new SecuritySessionIdListener(binding);
        }
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

        /** Static: a post-processor must exist before the repository it wraps. */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = CLOSE_ON_SESSION_END, matchIfMissing = true)
        static SessionRepositoryPostProcessor webSocketSessionRepositoryPostProcessor(
                ObjectProvider<HttpSessionBinding> binding) {
            return new SessionRepositoryPostProcessor(binding);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = CLOSE_ON_SESSION_END, matchIfMissing = true)
        SpringSessionExpiryCheck webSocketSpringSessionExpiryCheck(
                HttpSessionBinding binding, SessionRepository<?> repository, WebSocketServerProperties properties) {
            return new SpringSessionExpiryCheck(binding, repository, properties.getSessionCheckInterval());
        }
    }

    /** Deletes a Spring Session by id; a bean only when Spring Session is in use. */
    @FunctionalInterface
    public interface SpringSessionDeleter extends Consumer<String> {}
}
