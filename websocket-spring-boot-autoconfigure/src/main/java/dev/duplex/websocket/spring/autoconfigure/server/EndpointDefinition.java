package dev.duplex.websocket.spring.autoconfigure.server;

/**
 * One {@code @WebSocketEndpoint} bean as found at start-up: its name, whether it is created per
 * connection (prototype scope) and its resolved settings. Immutable.
 *
 * @param beanName the bean's name
 * @param beanType the bean's class
 * @param perConnection whether each connection gets a fresh instance (prototype scope)
 * @param settings the endpoint's path and limits, unset ones taken from the properties
 */
public record EndpointDefinition(
        String beanName, Class<?> beanType, boolean perConnection, EndpointSettings settings) {}
