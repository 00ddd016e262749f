package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.server.WebSocketServer;
import dev.duplex.websocket.spring.autoconfigure.session.SpringSessionExpiryCheck;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of {@code @WebSocketEndpoint} endpoints ({@code duplex.websocket.server.*}): the
 * defaults of every endpoint, each of which its annotation may override. Defaults are the core's.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("duplex.websocket.server")
public class WebSocketServerProperties {

    /**
     * Origins allowed to connect, such as https://example.com. With neither origins nor patterns,
     * only pages from the server's own origin may connect (requests without Origin pass).
     */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Origin patterns allowed to connect, such as https://*.example.com or http://localhost:[*]. */
    private List<String> allowedOriginPatterns = new ArrayList<>();

    /** Largest text message accepted, in bytes of UTF-8; past it the connection closes with 1009. */
    private DataSize maxTextMessageSize = DataSize.ofBytes(ProtocolOptions.DEFAULT_MAX_TEXT_MESSAGE_SIZE);

    /** Largest binary message accepted; past it the connection closes with 1009. */
    private DataSize maxBinaryMessageSize = DataSize.ofBytes(ProtocolOptions.DEFAULT_MAX_BINARY_MESSAGE_SIZE);

    /** Ceiling of a connection's buffered amount: payload bytes sent and not yet written. */
    private DataSize maxBufferedAmount = DataSize.ofBytes(ProtocolOptions.DEFAULT_MAX_BUFFERED_AMOUNT);

    /** What a send past the maximum buffered amount does: fail the send, or also close with 1008. */
    private OverflowPolicy overflowPolicy = ProtocolOptions.DEFAULT_OVERFLOW_POLICY;

    /** Time without traffic either way after which a connection is closed with 1001; 0 for never. */
    private Duration idleTimeout = ProtocolOptions.DEFAULT_IDLE_TIMEOUT;

    /** Interval of keep-alive pings sent while nothing is received; 0 for none. */
    private Duration pingInterval = ProtocolOptions.DEFAULT_PING_INTERVAL;

    /** Time a keep-alive ping waits for its pong before the connection is dropped as dead. */
    private Duration pingTimeout = ProtocolOptions.DEFAULT_PING_TIMEOUT;

    /** Time the closing handshake may take before the connection is dropped. */
    private Duration closeTimeout = ProtocolOptions.DEFAULT_CLOSE_TIMEOUT;

    /** Whether a socket's HTTP session is invalidated when the socket closes (endpoints may override). */
    private boolean sessionEndOnClose = false;

    /** Whether the sockets opened under an HTTP session are closed with 1008 when that session ends. */
    private boolean closeOnSessionEnd = true;

    /** Names of HTTP-session attributes copied into each connection's attributes at its handshake. */
    private List<String> sessionAttributes = new ArrayList<>();

    /**
     * Interval at which Spring Session's store is asked whether the HTTP sessions of open sockets
     * still exist, to close the sockets of sessions that expired without an event; 0 for never.
     */
    private Duration sessionCheckInterval = SpringSessionExpiryCheck.DEFAULT_INTERVAL;

    /** Time open connections get at shutdown to complete their closing handshake after 1001. */
    private Duration drainTimeout = WebSocketServer.DEFAULT_DRAIN_TIMEOUT;

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public List<String> getAllowedOriginPatterns() {
        return allowedOriginPatterns;
    }

    public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
        this.allowedOriginPatterns = allowedOriginPatterns;
    }

    public DataSize getMaxTextMessageSize() {
        return maxTextMessageSize;
    }

    public void setMaxTextMessageSize(DataSize maxTextMessageSize) {
        this.maxTextMessageSize = maxTextMessageSize;
    }

    public DataSize getMaxBinaryMessageSize() {
        return maxBinaryMessageSize;
    }

    public void setMaxBinaryMessageSize(DataSize maxBinaryMessageSize) {
        this.maxBinaryMessageSize = maxBinaryMessageSize;
    }

    public DataSize getMaxBufferedAmount() {
        return maxBufferedAmount;
    }

    public void setMaxBufferedAmount(DataSize maxBufferedAmount) {
        this.maxBufferedAmount = maxBufferedAmount;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getPingTimeout() {
        return pingTimeout;
    }

    public void setPingTimeout(Duration pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public boolean isSessionEndOnClose() {
        return sessionEndOnClose;
    }

    public void setSessionEndOnClose(boolean sessionEndOnClose) {
        this.sessionEndOnClose = sessionEndOnClose;
    }

    public boolean isCloseOnSessionEnd() {
        return closeOnSessionEnd;
    }

    public void setCloseOnSessionEnd(boolean closeOnSessionEnd) {
        this.closeOnSessionEnd = closeOnSessionEnd;
    }

    public List<String> getSessionAttributes() {
        return sessionAttributes;
    }

    public void setSessionAttributes(List<String> sessionAttributes) {
        this.sessionAttributes = sessionAttributes;
    }

    public Duration getSessionCheckInterval() {
        return sessionCheckInterval;
    }

    public void setSessionCheckInterval(Duration sessionCheckInterval) {
        this.sessionCheckInterval = sessionCheckInterval;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }
}
