package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.handshake.PathTemplate;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.unit.DataSize;

/**
 * The application's {@code @WebSocketEndpoint} beans, checked when the context starts: each must
 * extend {@link DuplexEndpoint}, have a valid path template and a path of its own, and valid
 * limits. A broken one stops the start-up with a message naming the bean and the fix.
 */
public final class EndpointDefinitions {

    private final List<EndpointDefinition> definitions;

    private EndpointDefinitions(List<EndpointDefinition> definitions) {
        this.definitions = List.copyOf(definitions);
    }

    /** The endpoints, in bean registration order. */
    public List<EndpointDefinition> definitions() {
        return definitions;
    }

    /**
     * Finds and checks the annotated beans of {@code beanFactory}.
     *
     * @throws IllegalStateException naming the bean and the fix, for the first broken endpoint
     */
    public static EndpointDefinitions scan(
            ConfigurableListableBeanFactory beanFactory, WebSocketServerProperties properties, PropertyResolver env) {
        List<EndpointDefinition> found = new ArrayList<>();
        Map<PathTemplate, String> byPath = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanNamesForAnnotation(WebSocketEndpoint.class)) {
            Class<?> type = beanFactory.getType(name, false);
            WebSocketEndpoint annotation = beanFactory.findAnnotationOnBean(name, WebSocketEndpoint.class, false);
            if (type == null || annotation == null) {
                continue;
            }
            if (!DuplexEndpoint.class.isAssignableFrom(type)) {
                throw new IllegalStateException("@WebSocketEndpoint bean '" + name + "' (" + type.getName()
                        + ") does not extend " + DuplexEndpoint.class.getName()
                        + ": make it extend DuplexEndpoint (or JsonEndpoint), or remove the annotation");
            }
            String path = env.resolvePlaceholders(annotation.path());
            PathTemplate template;
            try {
                template = PathTemplate.compile(path);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "@WebSocketEndpoint bean '" + name + "' (" + type.getName()
                                + ") has an invalid path: " + e.getMessage()
                                + ". Give it a path template such as @WebSocketEndpoint(\"/chat/{room}\")",
                        e);
            }
            String other = byPath.putIfAbsent(template, name);
            if (other != null) {
                throw new IllegalStateException("@WebSocketEndpoint beans '" + other + "' and '" + name
                        + "' are both on path " + template.template() + ": give each endpoint a path of its own");
            }
            boolean perConnection = beanFactory.containsBeanDefinition(name)
                    && BeanDefinition.SCOPE_PROTOTYPE.equals(
                            beanFactory.getMergedBeanDefinition(name).getScope());
            found.add(new EndpointDefinition(
                    name, type, perConnection, settings(name, template.template(), annotation, properties, env)));
        }
        return new EndpointDefinitions(found);
    }

    static EndpointSettings settings(
            String bean, String path, WebSocketEndpoint a, WebSocketServerProperties p, PropertyResolver env) {
        boolean ownOrigins = a.allowedOrigins().length > 0 || a.allowedOriginPatterns().length > 0;
        return new EndpointSettings(
                path,
                resolved(env, a.subprotocols()),
                ownOrigins ? resolved(env, a.allowedOrigins()) : p.getAllowedOrigins(),
                ownOrigins ? resolved(env, a.allowedOriginPatterns()) : p.getAllowedOriginPatterns(),
                intSize(
                        bean,
                        "maxTextMessageSize",
                        env.resolvePlaceholders(a.maxTextMessageSize()),
                        p.getMaxTextMessageSize()),
                intSize(
                        bean,
                        "maxBinaryMessageSize",
                        env.resolvePlaceholders(a.maxBinaryMessageSize()),
                        p.getMaxBinaryMessageSize()),
                size(
                        bean,
                        "maxBufferedAmount",
                        env.resolvePlaceholders(a.maxBufferedAmount()),
                        p.getMaxBufferedAmount()),
                policy(bean, env.resolvePlaceholders(a.overflowPolicy()), p.getOverflowPolicy()),
                duration(bean, "idleTimeout", env.resolvePlaceholders(a.idleTimeout()), p.getIdleTimeout()),
                duration(bean, "pingInterval", env.resolvePlaceholders(a.pingInterval()), p.getPingInterval()),
                nonNegative(bean, "pingTimeout", p.getPingTimeout()),
                nonNegative(bean, "closeTimeout", p.getCloseTimeout()),
                switch (a.sessionEndOnClose()) {
                    case DEFAULT -> p.isSessionEndOnClose();
                    case ON -> true;
                    case OFF -> false;
                });
    }

    private static List<String> resolved(PropertyResolver env, String[] values) {
        return Arrays.stream(values).map(env::resolvePlaceholders).toList();
    }

    private static long size(String bean, String attribute, String value, DataSize fallback) {
        DataSize size;
        try {
            size = value.isBlank() ? fallback : DataSize.parse(value.trim());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(bean, attribute, value, "a size such as \"64KB\" or \"1MB\"", e);
        }
        if (size.toBytes() <= 0) {
            throw invalid(bean, attribute, value, "a positive size such as \"64KB\" or \"1MB\"", null);
        }
        return size.toBytes();
    }

    private static int intSize(String bean, String attribute, String value, DataSize fallback) {
        long bytes = size(bean, attribute, value, fallback);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw invalid(bean, attribute, value.isBlank() ? fallback.toString() : value, "a size below 2GB", null);
        }
        return (int) bytes;
    }

    private static OverflowPolicy policy(String bean, String value, OverflowPolicy fallback) {
        if (value.isBlank()) {
            return fallback;
        }
        try {
            return OverflowPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(bean, "overflowPolicy", value, "one of " + Arrays.toString(OverflowPolicy.values()), e);
        }
    }

    private static Duration duration(String bean, String attribute, String value, Duration fallback) {
        Duration d;
        try {
            d = value.isBlank() ? fallback : DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(bean, attribute, value, "a duration such as \"30s\" or \"0\" for none", e);
        }
        return nonNegative(bean, attribute, d);
    }

    private static Duration nonNegative(String bean, String attribute, Duration d) {
        if (d.isNegative()) {
            throw invalid(bean, attribute, d.toString(), "a duration of zero or more", null);
        }
        return d;
    }

    private static IllegalStateException invalid(
            String bean,
            String attribute,
            String value,
            String expected,
            @org.jspecify.annotations.Nullable Throwable cause) {
        return new IllegalStateException(
                "@WebSocketEndpoint bean '" + bean + "' has an invalid " + attribute + " '" + value + "': use "
                        + expected,
                cause);
    }
}
