package dev.duplex.websocket.spring.autoconfigure.metrics;

/**
 * The names and tag keys of the meters {@link WebSocketMeterBinder} registers. Names follow
 * Micrometer's conventions (dot-separated, lower case, no unit in the name; each registry renders
 * them its own way, such as {@code duplex_websocket_messages_total} for Prometheus).
 *
 * <p>Every meter carries {@link #SIDE} ({@code server} or {@code client}) and {@link #ENDPOINT}
 * (the path template on a server, such as {@code /chat/{room}}; {@code client} for the client;
 * {@code unmatched} for a server handshake that matched no endpoint). Tags are bounded: never a
 * connection id, a user, or a concrete path.
 *
 * @since 0.1.0
 */
public final class WebSocketMeters {

    /** Gauge, connections: connections open now. */
    public static final String CONNECTIONS_ACTIVE = "duplex.websocket.connections.active";
    /** Counter, connections: connections opened (handshake succeeded). */
    public static final String CONNECTIONS_OPENED = "duplex.websocket.connections.opened";
    /** Counter, connections: connections closed, tagged {@link #CODE}. */
    public static final String CONNECTIONS_CLOSED = "duplex.websocket.connections.closed";
    /** Counter, messages: whole data messages, tagged {@link #DIRECTION} and {@link #TYPE}. */
    public static final String MESSAGES = "duplex.websocket.messages";
    /** Counter, bytes: payload bytes of data messages (UTF-8 for text), tagged {@link #DIRECTION} and {@link #TYPE}. */
    public static final String BYTES = "duplex.websocket.bytes";
    /** Counter, handshakes: failed opening handshakes, tagged {@link #REASON}. */
    public static final String HANDSHAKE_FAILURES = "duplex.websocket.handshake.failures";
    /** Timer: round-trip time of pings answered by a matching pong. */
    public static final String PING_ROUND_TRIP = "duplex.websocket.ping.round.trip";
    /** Gauge, bytes: buffered amount (sent, not yet written) summed over open connections. */
    public static final String BUFFERED = "duplex.websocket.buffered";
    /** Gauge, bytes: the largest buffered amount of one open connection. */
    public static final String BUFFERED_MAX = "duplex.websocket.buffered.max";

    /** Tag: {@code server} or {@code client}. */
    public static final String SIDE = "side";
    /** Tag: the endpoint's path template, or {@code client}. */
    public static final String ENDPOINT = "endpoint";
    /** Tag: {@code in} (received) or {@code out} (sent). */
    public static final String DIRECTION = "direction";
    /** Tag: {@code text} or {@code binary}. */
    public static final String TYPE = "type";
    /** Tag: the close code reported to {@code onClose}, such as {@code 1000} or {@code 1006}. */
    public static final String CODE = "code";
    /**
     * Tag: why a handshake failed: the HTTP status ({@code 403}, {@code 404}) or, on a client
     * without a response, {@code timeout}, {@code refused}, {@code tls}, {@code invalid} or
     * {@code io}.
     */
    public static final String REASON = "reason";

    private WebSocketMeters() {}
}
