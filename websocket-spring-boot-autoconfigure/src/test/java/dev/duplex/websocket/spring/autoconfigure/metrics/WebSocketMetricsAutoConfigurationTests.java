package dev.duplex.websocket.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.spring.autoconfigure.client.WebSocketClientAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WebSocketMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebSocketMetricsAutoConfiguration.class));

    @Test
    void backsOffWithoutMeterRegistry() {
        runner.run(ctx ->
                assertThat(ctx).doesNotHaveBean(WebSocketMeterBinder.class).doesNotHaveBean(WebSocketObserver.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner.withUserConfiguration(RegistryConfiguration.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(WebSocketMeterBinder.class));
    }

    @Test
    void suppliesTheObserverWhenARegistryExists() {
        runner.withUserConfiguration(RegistryConfiguration.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(WebSocketMeterBinder.class);
            assertThat(ctx.getBean(WebSocketObserver.class)).isSameAs(ctx.getBean(WebSocketMeterBinder.class));
        });
    }

    @Test
    void suppliesTheObserverAfterBootsRegistryAutoConfiguration() {
        runner.withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(WebSocketMeterBinder.class));
    }

    @Test
    void bootBindsItToTheRegistry() {
        runner.withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .run(ctx -> {
                    WebSocketMeterBinder binder = ctx.getBean(WebSocketMeterBinder.class);
                    binder.opened(Mockito.mock(WebSocket.class), WebSocketObserver.Side.SERVER, "/chat/{room}");
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    assertThat(registry.get(WebSocketMeters.CONNECTIONS_OPENED)
                                    .tag(WebSocketMeters.ENDPOINT, "/chat/{room}")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                });
    }

    @Test
    void aUserBinderWins() {
        runner.withUserConfiguration(RegistryConfiguration.class, UserBinderConfiguration.class)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(WebSocketMeterBinder.class);
                    assertThat(ctx.getBean(WebSocketMeterBinder.class)).isSameAs(ctx.getBean("myBinder"));
                });
    }

    @Test
    void theClientBeanReportsToIt() {
        runner.withConfiguration(AutoConfigurations.of(WebSocketClientAutoConfiguration.class))
                .withUserConfiguration(RegistryConfiguration.class)
                .run(ctx -> assertThat(ctx.getBean(WebSocketClient.class)
                                .protocolOptions()
                                .observer())
                        .isSameAs(ctx.getBean(WebSocketMeterBinder.class)));
    }

    @Configuration(proxyBeanMethods = false)
    static class RegistryConfiguration {
        @Bean
        SimpleMeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBinderConfiguration {
        @Bean
        WebSocketMeterBinder myBinder() {
            return new WebSocketMeterBinder();
        }
    }
}
