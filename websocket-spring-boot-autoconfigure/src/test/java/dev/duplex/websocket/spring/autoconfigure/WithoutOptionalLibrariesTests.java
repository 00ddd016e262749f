package dev.duplex.websocket.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import dev.duplex.websocket.spring.autoconfigure.client.WebSocketClientAutoConfiguration;
import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMeterBinder;
import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMetricsAutoConfiguration;
import dev.duplex.websocket.spring.autoconfigure.server.WebSocketServerAutoConfiguration;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import dev.duplex.websocket.spring.autoconfigure.session.SecuritySessionIdListener;
import dev.duplex.websocket.spring.autoconfigure.session.SpringSessionEndListener;
import dev.duplex.websocket.spring.autoconfigure.session.WebSocketHttpSessionAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;

/**
 * All four auto-configurations together, each test with one optional library missing from the
 * class path: the application starts, and only what needs the library is left out.
 */
class WithoutOptionalLibrariesTests {

    private static final AutoConfigurations ALL = AutoConfigurations.of(
            WebSocketHttpSessionAutoConfiguration.class,
            WebSocketServerAutoConfiguration.class,
            WebSocketClientAutoConfiguration.class,
            WebSocketMetricsAutoConfiguration.class);

    private final WebApplicationContextRunner web =
            new WebApplicationContextRunner().withConfiguration(ALL).withUserConfiguration(Everything.class);

    @WebSocketEndpoint("/echo")
    static class Echo extends DuplexEndpoint {}

    /** What an application with every optional part has: an endpoint, a registry, Spring Session. */
    @Configuration(proxyBeanMethods = false)
    static class Everything {
        @Bean
        Echo echo() {
            return new Echo();
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }

    @Test
    void withEveryLibraryEverythingIsThere() {
        web.run(ctx -> assertThat(ctx)
                .hasNotFailed()
                .hasSingleBean(WebSocketClient.class)
                .hasSingleBean(ConnectionRegistry.class)
                .hasSingleBean(HttpSessionBinding.class)
                .hasSingleBean(SpringSessionEndListener.class)
                .hasSingleBean(SecuritySessionIdListener.class)
                .hasSingleBean(WebSocketMeterBinder.class)
                .hasSingleBean(JsonCodec.class));
    }

    @Test
    void withoutMicrometer() {
        web.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(WebSocketClient.class)
                        .hasSingleBean(ConnectionRegistry.class)
                        .doesNotHaveBean(WebSocketMeterBinder.class));
    }

    @Test
    void withoutSpringSession() {
        web.withClassLoader(new FilteredClassLoader("org.springframework.session"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(ConnectionRegistry.class)
                        .hasSingleBean(HttpSessionBinding.class)
                        .doesNotHaveBean(SpringSessionEndListener.class));
    }

    @Test
    void withoutSpringSecurity() {
        web.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(ConnectionRegistry.class)
                        .hasSingleBean(HttpSessionBinding.class)
                        .doesNotHaveBean(SecuritySessionIdListener.class));
    }

    @Test
    void withoutJackson() {
        web.withClassLoader(new FilteredClassLoader("tools.jackson", "com.fasterxml.jackson"))
                .run(ctx -> {
                    assertThat(ctx)
                            .hasNotFailed()
                            .hasSingleBean(WebSocketClient.class)
                            .hasSingleBean(ConnectionRegistry.class)
                            .doesNotHaveBean(JsonCodec.class);
                    assertThat(ctx.getBean(WebSocketClient.class)
                                    .protocolOptions()
                                    .jsonCodec())
                            .isSameAs(JsonCodec.none());
                });
    }

    @Test
    void withoutAWebServer() {
        new ApplicationContextRunner()
                .withConfiguration(ALL)
                .withUserConfiguration(Everything.class)
                .withClassLoader(new FilteredClassLoader(
                        "jakarta.servlet", "org.apache.catalina", "org.apache.tomcat", "org.springframework.web"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(WebSocketClient.class)
                        .hasSingleBean(WebSocketMeterBinder.class)
                        .doesNotHaveBean(ConnectionRegistry.class)
                        .doesNotHaveBean(HttpSessionBinding.class));
    }

    @Test
    void withNoOptionalLibraryAtAll() {
        new ApplicationContextRunner()
                .withConfiguration(ALL)
                .withClassLoader(new FilteredClassLoader(
                        "io.micrometer",
                        "org.springframework.session",
                        "org.springframework.security",
                        "tools.jackson",
                        "jakarta.servlet",
                        "org.apache.catalina",
                        "org.springframework.web"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(WebSocketClient.class)
                        .doesNotHaveBean(WebSocketMeterBinder.class)
                        .doesNotHaveBean(JsonCodec.class)
                        .doesNotHaveBean(HttpSessionBinding.class));
    }
}
