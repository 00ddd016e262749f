package dev.duplex.websocket.spring.autoconfigure.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.spring.autoconfigure.server.WebSocketServerProperties;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;

class WebSocketHttpSessionAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebSocketHttpSessionAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class InMemorySessions {
        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBinding {
        @Bean
        HttpSessionBinding myBinding() {
            return new HttpSessionBinding(List.of(), false, null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnListeners {
        @Bean
        ServletSessionIdListener myIdListener() {
            return new ServletSessionIdListener(new HttpSessionBinding(List.of(), true, null));
        }

        @Bean
        SecuritySessionIdListener mySecurityListener() {
            return new SecuritySessionIdListener(new HttpSessionBinding(List.of(), true, null));
        }
    }

    /** A socket whose attributes say it was opened under HTTP session {@code id}. */
    private static WebSocket socketOf(String id) {
        WebSocket ws = Mockito.mock(WebSocket.class);
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        attributes.put(WebSocketHttpSession.ID_ATTRIBUTE, id);
        Mockito.when(ws.attributes()).thenReturn(attributes);
        return ws;
    }

    @Test
    void suppliesTheBindingAndTheServletAndSecurityListeners() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(HttpSessionBinding.class);
            assertThat(ctx).hasSingleBean(ServletSessionEndListener.class);
            assertThat(ctx).hasSingleBean(ServletSessionIdListener.class);
            assertThat(ctx).hasSingleBean(SecuritySessionIdListener.class);
            assertThat(ctx).doesNotHaveBean(WebSocketHttpSessionAutoConfiguration.SpringSessionDeleter.class);
            assertThat(ctx).doesNotHaveBean(SpringSessionEndListener.class);
            assertThat(ctx).doesNotHaveBean(SessionRepositoryPostProcessor.class);
            assertThat(ctx).doesNotHaveBean(SpringSessionExpiryCheck.class);
        });
    }

    @Test
    void backsOffWithoutAWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WebSocketHttpSessionAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HttpSessionBinding.class));
    }

    @Test
    void backsOffInAReactiveApplication() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WebSocketHttpSessionAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HttpSessionBinding.class));
    }

    @Test
    void backsOffWithoutTheServletApi() {
        runner.withClassLoader(new FilteredClassLoader(HttpSessionListener.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HttpSessionBinding.class));
    }

    @Test
    void worksWithoutSpringSecurity() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(HttpSessionBinding.class)
                        .hasSingleBean(ServletSessionIdListener.class)
                        .doesNotHaveBean(SecuritySessionIdListener.class));
    }

    @Test
    void worksWithoutSpringSession() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.session"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(HttpSessionBinding.class)
                        .doesNotHaveBean(SpringSessionEndListener.class)
                        .doesNotHaveBean(SessionRepositoryPostProcessor.class));
    }

    @Test
    void withSpringSessionEndsSessionsThroughTheRepositoryAndHearsThemEnd() {
        runner.withUserConfiguration(InMemorySessions.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(WebSocketHttpSessionAutoConfiguration.SpringSessionDeleter.class);
            assertThat(ctx).hasSingleBean(SpringSessionEndListener.class);
            assertThat(ctx).hasSingleBean(SessionRepositoryPostProcessor.class);
            assertThat(ctx).hasSingleBean(SpringSessionExpiryCheck.class);
            assertThat(ctx.getBean(SpringSessionExpiryCheck.class).isRunning()).isTrue();
            // Still injectable as its own class: the proxy is a subclass.
            MapSessionRepository repository = ctx.getBean(MapSessionRepository.class);
            assertThat(AopUtils.isCglibProxy(repository)).isTrue();

            MapSession session = repository.createSession();
            repository.save(session);
            HttpSessionBinding binding = ctx.getBean(HttpSessionBinding.class);
            AtomicInteger closed = new AtomicInteger();
            WebSocket ws = socketOf(session.getId());
            binding.opened(ws, closed::incrementAndGet);

            binding.closed(ws, true);
            assertThat(repository.findById(session.getId())).isNull();

            MapSession other = repository.createSession();
            repository.save(other);
            binding.opened(socketOf(other.getId()), closed::incrementAndGet);
            repository.deleteById(other.getId());
            assertThat(closed).hasValue(1);
            assertThat(binding.sessionIds()).isEmpty();
        });
    }

    @Test
    void leavesTheRepositoryAloneWhenSessionEndsCloseNoSocket() {
        runner.withUserConfiguration(InMemorySessions.class)
                .withPropertyValues("duplex.websocket.server.close-on-session-end=false")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(HttpSessionBinding.class);
                    assertThat(ctx).hasSingleBean(WebSocketHttpSessionAutoConfiguration.SpringSessionDeleter.class);
                    assertThat(ctx).doesNotHaveBean(SessionRepositoryPostProcessor.class);
                    assertThat(ctx).doesNotHaveBean(SpringSessionExpiryCheck.class);
                    assertThat(AopUtils.isAopProxy(ctx.getBean(SessionRepository.class)))
                            .isFalse();
                });
    }

    @Test
    void bindsTheSessionCheckInterval() {
        runner.withUserConfiguration(InMemorySessions.class)
                .run(ctx -> assertThat(
                                ctx.getBean(WebSocketServerProperties.class).getSessionCheckInterval())
                        .isEqualTo(SpringSessionExpiryCheck.DEFAULT_INTERVAL)
                        .isEqualTo(Duration.ofMinutes(1)));
        runner.withUserConfiguration(InMemorySessions.class)
                .withPropertyValues("duplex.websocket.server.session-check-interval=5s")
                .run(ctx -> assertThat(
                                ctx.getBean(WebSocketServerProperties.class).getSessionCheckInterval())
                        .isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void aZeroSessionCheckIntervalChecksNever() {
        runner.withUserConfiguration(InMemorySessions.class)
                .withPropertyValues("duplex.websocket.server.session-check-interval=0")
                .run(ctx -> assertThat(
                                ctx.getBean(SpringSessionExpiryCheck.class).isRunning())
                        .isFalse());
    }

    @Test
    void refusesANegativeSessionCheckInterval() {
        runner.withUserConfiguration(InMemorySessions.class)
                .withPropertyValues("duplex.websocket.server.session-check-interval=-1s")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining(
                                "'duplex.websocket.server.session-check-interval' must not be negative, was PT-1S"));
    }

    @Test
    void closesNoSocketWhenCloseOnSessionEndIsOff() {
        runner.withPropertyValues("duplex.websocket.server.close-on-session-end=false")
                .run(ctx -> {
                    HttpSessionBinding binding = ctx.getBean(HttpSessionBinding.class);
                    AtomicInteger closed = new AtomicInteger();
                    binding.opened(socketOf("s1"), closed::incrementAndGet);
                    binding.sessionEnded("s1");
                    assertThat(closed).hasValue(0);
                });
    }

    @Test
    void aUserBindingWins() {
        runner.withUserConfiguration(OwnBinding.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(HttpSessionBinding.class).hasBean("myBinding");
            assertThat(ctx).hasSingleBean(ServletSessionEndListener.class);
        });
    }

    @Test
    void userListenersWin() {
        runner.withUserConfiguration(OwnListeners.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(ServletSessionIdListener.class).hasBean("myIdListener");
            assertThat(ctx).hasSingleBean(SecuritySessionIdListener.class).hasBean("mySecurityListener");
        });
    }
}
