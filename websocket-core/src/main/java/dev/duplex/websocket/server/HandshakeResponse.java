package dev.duplex.websocket.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint's {@link DuplexEndpoint#onHandshake(HandshakeRequest, HandshakeResponse)
 * onHandshake} decides: accept (the default) or {@linkplain #reject(int, String) reject} with an
 * HTTP status; the subprotocol; extra response headers; attributes that land in the connection's
 * {@link dev.duplex.websocket.WebSocket#attributes() attributes()}.
 *
 * <p>The host creates one per request, hands it to the hook and then reads it; it is not
 * thread-safe and is not used after the hook returns. Its constructor is public so that other
 * hosts (the Spring starter) can run the same endpoints.
 *
 * <p>Counterparts in the seeds: IRIS {@code OnPreServer} (which may refuse the upgrade and sets
 * {@code SharedConnection}), afWebSockets' {@code upgrade(req, res)} on a {@code WebRes}.
 */
public final class HandshakeResponse {

    private final List<String> offeredSubprotocols;
    private @Nullable String subprotocol;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private int status;
    private String message = "";

    /**
     * @param offeredSubprotocols the client's offers, in its order
     * @param subprotocol the host's choice so far (the first of the server's subprotocols the
     *     client offered), or null for none
     * @throws IllegalArgumentException if {@code subprotocol} is not among the offers
     */
    public HandshakeResponse(List<String> offeredSubprotocols, @Nullable String subprotocol) {
        this.offeredSubprotocols = List.copyOf(offeredSubprotocols);
        subprotocol(subprotocol);
    }

    /** The subprotocol the connection will use, or null for none. */
    public @Nullable String subprotocol() {
        return subprotocol;
    }

    /**
     * Chooses the subprotocol, overriding the server's preference order.
     *
     * @param chosen one the client offered, or null for none
     * @return this
     * @throws IllegalArgumentException if the client did not offer it
     */
    public HandshakeResponse subprotocol(@Nullable String chosen) {
        if (chosen != null && !offeredSubprotocols.contains(chosen)) {
            throw new IllegalArgumentException(
                    "'subprotocol' must be one the client offered " + offeredSubprotocols + ", was " + chosen);
        }
        this.subprotocol = chosen;
        return this;
    }

    /**
     * Adds a response header ({@code Set-Cookie}, say), sent with the 101 or with the rejection.
     * The host refuses headers the handshake writes itself ({@code Sec-WebSocket-Accept}, …).
     *
     * @return this
     */
    public HandshakeResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        return this;
    }

    /** The extra headers added so far, in order. Read-only. */
    public Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /**
     * Attributes the connection starts with: everything put here is copied into its {@code
     * attributes()} before {@code onOpen}. Mutable.
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * Refuses the upgrade: the client gets {@code status} with {@code message} as a plain-text body,
     * and the connection is closed. {@code onOpen} and the other hooks are not called.
     *
     * @param status an HTTP status in [400, 600), such as 401, 403 or 429
     * @param message a short sentence without line breaks
     * @throws IllegalArgumentException if the status is out of range or the message has a line break
     */
    public void reject(int status, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("'status' must be in [400, 600), was " + status);
        }
        for (int i = 0; i < message.length(); i++) {
            if (Character.isISOControl(message.charAt(i))) {
                throw new IllegalArgumentException("'message' must not contain control characters");
            }
        }
        this.status = status;
        this.message = message;
    }

    /** Whether {@link #reject(int, String)} was called. */
    public boolean isRejected() {
        return status != 0;
    }

    /** The rejection's status, or 0 when accepted. */
    public int status() {
        return status;
    }

    /** The rejection's message, empty when accepted. */
    public String message() {
        return message;
    }
}
