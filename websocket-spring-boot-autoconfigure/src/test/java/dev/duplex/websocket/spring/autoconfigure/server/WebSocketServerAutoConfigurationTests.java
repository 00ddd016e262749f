package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.InMemoryConnectionRegistry;
import dev.duplex.websocket.server.WebSocketServer;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import dev.duplex.websocket.spring.autoconfigure.session.HttpSessionBinding;
import dev.duplex.websocket.spring.autoconfigure.session.ServletSessionEndListener;
import dev.duplex.websocket.spring.autoconfigure.session.WebSocketHttpSessionAutoConfiguration;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

class WebSocketServerAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    WebSocketHttpSessionAutoConfiguration.class, WebSocketServerAutoConfiguration.class));

    @WebSocketEndpoint("/a")
    static class A extends DuplexEndpoint {}

    @WebSocketEndpoint(path = "/a")
    static class AlsoA extends DuplexEndpoint {}

    @WebSocketEndpoint("/b/{x")
    static class BadPath extends DuplexEndpoint {}

    @WebSocketEndpoint("/c")
    static class NotAnEndpoint {}

    @WebSocketEndpoint(path = "/d", maxTextMessageSize = "lots")
    static class BadSize extends DuplexEndpoint {}

    @WebSocketEndpoint(
            path = "/tuned/{id}",
            maxTextMessageSize = "1MB",
            maxBinaryMessageSize = "${bin.size:2MB}",
            maxBufferedAmount = "64KB",
            overflowPolicy = "close",
            idleTimeout = "30s",
            pingInterval = "10s",
            allowedOrigins = "https://example.com",
            subprotocols = "v1",
            sessionEndOnClose = WebSocketEndpoint.Flag.ON)
    @Scope("prototype")
    static class Tuned extends DuplexEndpoint {}

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        @Bean
        ConnectionRegistry myRegistry() {
            return new InMemoryConnectionRegistry();
        }
    }

    @Test
    void suppliesRegistryRegistrarAndSessionBinding() {
        runner.withUserConfiguration(A.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(InMemoryConnectionRegistry.class);
            assertThat(ctx).hasSingleBean(EndpointRegistrar.class);
            assertThat(ctx).hasSingleBean(HttpSessionBinding.class);
            assertThat(ctx).hasSingleBean(ServletSessionEndListener.class);
            assertThat(ctx).hasSingleBean(GracefulShutdown.class);
            assertThat(ctx.getBean(EndpointDefinitions.class).definitions())
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(d.beanType()).isEqualTo(A.class);
                        assertThat(d.perConnection()).isFalse();
                    });
        });
    }

    @Test
    void backsOffForAUserRegistry() {
        runner.withUserConfiguration(OwnRegistry.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(ConnectionRegistry.class);
            assertThat(ctx).hasBean("myRegistry");
        });
    }

    @Test
    void backsOffWithoutAWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        WebSocketHttpSessionAutoConfiguration.class, WebSocketServerAutoConfiguration.class))
                .withUserConfiguration(A.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(EndpointRegistrar.class);
                    assertThat(ctx).doesNotHaveBean(ConnectionRegistry.class);
                });
    }

    @Test
    void backsOffWithoutSpringWebsocket() {
        runner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(EndpointRegistrar.class);
                    assertThat(ctx).doesNotHaveBean(HttpSessionBinding.class);
                });
    }

    @Test
    void worksWithoutSpringSession() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.session"))
                .withUserConfiguration(A.class)
                .run(ctx -> assertThat(ctx).hasSingleBean(HttpSessionBinding.class));
    }

    @Test
    void failsForAnEndpointThatDoesNotExtendDuplexEndpoint() {
        runner.withUserConfiguration(NotAnEndpoint.class)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("@WebSocketEndpoint bean")
                        .hasStackTraceContaining(NotAnEndpoint.class.getName())
                        .hasStackTraceContaining(
                                "make it extend DuplexEndpoint (or JsonEndpoint), or remove the annotation"));
    }

    @Test
    void failsForTwoEndpointsOnOnePath() {
        runner.withUserConfiguration(A.class, AlsoA.class)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("are both on path /a: give each endpoint a path of its own"));
    }

    @Test
    void failsForAnInvalidPathTemplate() {
        runner.withUserConfiguration(BadPath.class)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("has an invalid path")
                        .hasStackTraceContaining("Give it a path template such as"));
    }

    @Test
    void failsForAnInvalidLimit() {
        runner.withUserConfiguration(BadSize.class)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("has an invalid maxTextMessageSize 'lots': use a size such as"));
    }

    @Test
    void takesLimitsFromTheAnnotationOverTheProperties() {
        runner.withUserConfiguration(Tuned.class)
                .withPropertyValues("duplex.websocket.server.max-text-message-size=5KB", "bin.size=3MB")
                .run(ctx -> {
                    EndpointDefinition d =
                            ctx.getBean(EndpointDefinitions.class).definitions().get(0);
                    EndpointSettings s = d.settings();
                    assertThat(d.perConnection()).isTrue();
                    assertThat(s.path()).isEqualTo("/tuned/{id}");
                    assertThat(s.maxTextMessageSize()).isEqualTo(1024 * 1024);
                    assertThat(s.maxBinaryMessageSize()).isEqualTo(3 * 1024 * 1024);
                    assertThat(s.maxBufferedAmount()).isEqualTo(64 * 1024);
                    assertThat(s.overflowPolicy()).isEqualTo(OverflowPolicy.CLOSE);
                    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(s.pingInterval()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(s.allowedOrigins()).containsExactly("https://example.com");
                    assertThat(s.subprotocols()).containsExactly("v1");
                    assertThat(s.sessionEndOnClose()).isTrue();
                });
    }

    @Test
    void takesUnsetLimitsFromTheProperties() {
        runner.withUserConfiguration(A.class)
                .withPropertyValues(
                        "duplex.websocket.server.max-text-message-size=5KB",
                        "duplex.websocket.server.max-binary-message-size=6KB",
                        "duplex.websocket.server.max-buffered-amount=7KB",
                        "duplex.websocket.server.overflow-policy=close",
                        "duplex.websocket.server.idle-timeout=1m",
                        "duplex.websocket.server.ping-interval=20s",
                        "duplex.websocket.server.ping-timeout=3s",
                        "duplex.websocket.server.close-timeout=4s",
                        "duplex.websocket.server.allowed-origins=https://a.example",
                        "duplex.websocket.server.allowed-origin-patterns=https://*.b.example",
                        "duplex.websocket.server.session-end-on-close=true")
                .run(ctx -> {
                    EndpointSettings s = ctx.getBean(EndpointDefinitions.class)
                            .definitions()
                            .get(0)
                            .settings();
                    assertThat(s.maxTextMessageSize()).isEqualTo(5 * 1024);
                    assertThat(s.maxBinaryMessageSize()).isEqualTo(6 * 1024);
                    assertThat(s.maxBufferedAmount()).isEqualTo(7 * 1024);
                    assertThat(s.overflowPolicy()).isEqualTo(OverflowPolicy.CLOSE);
                    assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(s.pingInterval()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(s.pingTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(s.closeTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(s.allowedOrigins()).containsExactly("https://a.example");
                    assertThat(s.allowedOriginPatterns()).containsExactly("https://*.b.example");
                    assertThat(s.sessionEndOnClose()).isTrue();
                });
    }

    @Test
    void bindsSessionProperties() {
        runner.withPropertyValues(
                        "duplex.websocket.server.close-on-session-end=false",
                        "duplex.websocket.server.session-attributes=user,cart",
                        "duplex.websocket.server.drain-timeout=2s")
                .run(ctx -> {
                    WebSocketServerProperties p = ctx.getBean(WebSocketServerProperties.class);
                    assertThat(p.isCloseOnSessionEnd()).isFalse();
                    assertThat(p.getSessionAttributes()).containsExactly("user", "cart");
                    assertThat(p.getDrainTimeout()).isEqualTo(Duration.ofSeconds(2));
                });
    }

    @Test
    void defaultValuesAreConsistent() {
        WebSocketServerProperties p = new WebSocketServerProperties();
        assertThat(p.getMaxTextMessageSize().toBytes()).isEqualTo(ProtocolOptions.DEFAULT_MAX_TEXT_MESSAGE_SIZE);
        assertThat(p.getMaxBinaryMessageSize().toBytes()).isEqualTo(ProtocolOptions.DEFAULT_MAX_BINARY_MESSAGE_SIZE);
        assertThat(p.getMaxBufferedAmount().toBytes()).isEqualTo(ProtocolOptions.DEFAULT_MAX_BUFFERED_AMOUNT);
        assertThat(p.getOverflowPolicy()).isEqualTo(ProtocolOptions.DEFAULT_OVERFLOW_POLICY);
        assertThat(p.getIdleTimeout()).isEqualTo(ProtocolOptions.DEFAULT_IDLE_TIMEOUT);
        assertThat(p.getPingInterval()).isEqualTo(ProtocolOptions.DEFAULT_PING_INTERVAL);
        assertThat(p.getPingTimeout()).isEqualTo(ProtocolOptions.DEFAULT_PING_TIMEOUT);
        assertThat(p.getCloseTimeout()).isEqualTo(ProtocolOptions.DEFAULT_CLOSE_TIMEOUT);
        assertThat(p.getDrainTimeout()).isEqualTo(WebSocketServer.DEFAULT_DRAIN_TIMEOUT);
        assertThat(p.isSessionEndOnClose()).isFalse();
        assertThat(p.isCloseOnSessionEnd()).isTrue();
        assertThat(p.getAllowedOrigins()).isEmpty();
    }

    @Configuration(proxyBeanMethods = false)
    @Import(A.class)
    static class WithA {}
}
