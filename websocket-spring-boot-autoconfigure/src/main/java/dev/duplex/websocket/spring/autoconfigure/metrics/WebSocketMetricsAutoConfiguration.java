package dev.duplex.websocket.spring.autoconfigure.metrics;

import dev.duplex.websocket.WebSocketObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for WebSocket metrics: when the context has a
 * {@link MeterRegistry}, a {@link WebSocketMeterBinder} bean, which is the {@link
 * WebSocketObserver} the client bean and the server endpoints report to, and which Spring Boot
 * binds to the registry. Without Micrometer on the class path, or without a registry bean, it
 * backs off and connections are not observed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass({MeterRegistry.class, WebSocketObserver.class})
@ConditionalOnBean(MeterRegistry.class)
public final class WebSocketMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WebSocketMeterBinder webSocketMeterBinder() {
        return new WebSocketMeterBinder();
    }
}
