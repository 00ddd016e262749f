package dev.duplex.websocket.handshake;

import org.jspecify.annotations.Nullable;

/**
 * One parameter of an extension offer or answer (RFC 6455 §9.1): a name and, optionally, a value,
 * as in {@code client_max_window_bits=10} or the bare {@code server_no_context_takeover}.
 *
 * @param name the parameter name, an HTTP token
 * @param value the value, a token once unquoted (RFC 6455 §9.1), or null if the parameter has none
 */
public record ExtensionParameter(String name, @Nullable String value) {

    /**
     * @throws IllegalArgumentException if the name, or a value that is present, is not a token
     */
    public ExtensionParameter {
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("'name' must be an HTTP token, was " + HttpSyntax.quote(name));
        }
        if (value != null && !HttpSyntax.isToken(value)) {
            throw new IllegalArgumentException("'value' must be an HTTP token, was " + HttpSyntax.quote(value));
        }
    }

    /** A parameter without a value. */
    public static ExtensionParameter flag(String name) {
        return new ExtensionParameter(name, null);
    }

    /** {@code name} or {@code name=value}, as written in the header. */
    @Override
    public String toString() {
        return value == null ? name : name + "=" + value;
    }
}
