package dev.duplex.websocket.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a {@link dev.duplex.websocket.server.DuplexEndpoint} subclass as a WebSocket endpoint
 * served by the application's own web server (Tomcat by default, Jetty too), on its port, through
 * spring-websocket. The class is a {@link Component}: component scanning finds it, and it may
 * inject other beans. The same class runs unchanged on the standalone {@code WebSocketServer}.
 *
 * <pre>{@code
 * @WebSocketEndpoint(path = "/chat/{room}", maxTextMessageSize = "1MB")
 * class ChatEndpoint extends DuplexEndpoint {
 *     @Override public void onText(WebSocket ws, String text) { ws.sendText(text); }
 * }
 * }</pre>
 *
 * <p>A singleton bean serves every connection (so it must be thread-safe); a bean of scope
 * {@code prototype} is created once per connection, at the handshake. Start-up fails, naming the
 * bean, when the class does not extend {@code DuplexEndpoint}, when two endpoints share a path,
 * and when the path is not a valid template.
 *
 * <p>Every limit left unset (the empty string, the default) falls back to the {@code
 * duplex.websocket.server.*} property of the same name. Sizes take Spring's data-size syntax
 * ({@code "64KB"}, {@code "1MB"}, a plain number is bytes), durations its duration syntax ({@code
 * "30s"}, {@code "PT1M"}, a plain number is milliseconds); {@code ${…}} placeholders are resolved.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface WebSocketEndpoint {

    /** The path template, such as {@code /chat/{room}}; an alias of {@link #path()}. */
    @AliasFor("path")
    String value() default "";

    /**
     * The path template, such as {@code /chat/{room}}: an absolute path whose segments hold
     * literal text and {@code {name}} variables (see {@code PathTemplate}).
     */
    @AliasFor("value")
    String path() default "";

    /** The bean name, as {@link Component#value()}; empty for the default name. */
    @AliasFor(annotation = Component.class, attribute = "value")
    String name() default "";

    /**
     * The subprotocols this endpoint speaks, most preferred first. The handshake picks the first
     * the client offered; {@code onHandshake} may pick another.
     */
    String[] subprotocols() default {};

    /**
     * Origins allowed to connect ({@code https://example.com}); empty for the global property,
     * whose own default is same-origin only. A refused origin gets 403.
     */
    String[] allowedOrigins() default {};

    /** Origin patterns allowed to connect ({@code https://*.example.com}), as Spring's CORS patterns. */
    String[] allowedOriginPatterns() default {};

    /**
     * Whether the HTTP session the socket was opened under is invalidated when the socket closes.
     * {@link Flag#DEFAULT} takes {@code duplex.websocket.server.session-end-on-close}.
     */
    Flag sessionEndOnClose() default Flag.DEFAULT;

    /** Largest text message accepted, in bytes of UTF-8 ({@code "1MB"}); past it the socket closes with 1009. */
    String maxTextMessageSize() default "";

    /** Largest binary message accepted ({@code "1MB"}); past it the socket closes with 1009. */
    String maxBinaryMessageSize() default "";

    /** Ceiling of a connection's {@code bufferedAmount()} ({@code "16MB"}). */
    String maxBufferedAmount() default "";

    /** What a send past {@link #maxBufferedAmount()} does; empty for the property ({@code FAIL} or {@code CLOSE}). */
    String overflowPolicy() default "";

    /** Time without traffic either way after which a connection is closed with 1001 ({@code "5m"}; {@code "0"}: never). */
    String idleTimeout() default "";

    /** Interval of keep-alive pings while nothing is received ({@code "30s"}; {@code "0"}: none). */
    String pingInterval() default "";

    /** A tri-state switch: take the global default, or force it on or off. */
    enum Flag {
        /** Take the global property. */
        DEFAULT,
        /** On, whatever the property says. */
        ON,
        /** Off, whatever the property says. */
        OFF
    }
}
