package dev.duplex.websocket.spring.autoconfigure.client;

import dev.duplex.websocket.client.WebSocketClient;

/**
 * Adjusts the builder of the auto-configured {@link WebSocketClient} after the {@code
 * duplex.websocket.client.*} properties, the JSON codec, the observer and the SSL bundle were
 * applied, so a customizer has the last word. Customizers run in {@link
 * org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order, once, while the bean is created. Calling {@code protocolOptions(...)} on the builder
 * replaces every protocol setting, the codec and the observer included; prefer the single setters.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WebSocketClientCustomizer {

    /** Adjusts {@code builder}; may call any of its setters. */
    void customize(WebSocketClient.Builder builder);
}
