package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.OverflowPolicy;
import java.time.Duration;
import java.util.List;

/**
 * The resolved settings of one endpoint: its annotation's values, each unset one taken from the
 * {@code duplex.websocket.server.*} properties. Immutable.
 *
 * @param path the path template
 * @param subprotocols the endpoint's subprotocols, most preferred first
 * @param allowedOrigins origins allowed to connect; empty with no patterns: same origin only
 * @param allowedOriginPatterns origin patterns allowed to connect
 * @param maxTextMessageSize largest text message in bytes of UTF-8
 * @param maxBinaryMessageSize largest binary message in bytes
 * @param maxBufferedAmount ceiling of the buffered amount in bytes
 * @param overflowPolicy what a send past the ceiling does
 * @param idleTimeout time without traffic before closing with 1001; zero: never
 * @param pingInterval keep-alive ping interval; zero: none
 * @param pingTimeout time a keep-alive ping waits for its pong
 * @param closeTimeout time the closing handshake may take
 * @param sessionEndOnClose whether the HTTP session ends when the socket closes
 */
public record EndpointSettings(
        String path,
        List<String> subprotocols,
        List<String> allowedOrigins,
        List<String> allowedOriginPatterns,
        int maxTextMessageSize,
        int maxBinaryMessageSize,
        long maxBufferedAmount,
        OverflowPolicy overflowPolicy,
        Duration idleTimeout,
        Duration pingInterval,
        Duration pingTimeout,
        Duration closeTimeout,
        boolean sessionEndOnClose) {

    public EndpointSettings {
        subprotocols = List.copyOf(subprotocols);
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
    }
}
