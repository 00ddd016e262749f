package dev.duplex.websocket.spring.autoconfigure.client;

import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.codec.DeflateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the auto-configured {@link dev.duplex.websocket.client.WebSocketClient}, under
 * {@code duplex.websocket.client}. Every default equals the core's, so that an empty configuration
 * builds the same client as {@code WebSocketClient.create()}. A zero duration turns a timer off.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("duplex.websocket.client")
public class WebSocketClientProperties {

    /** Time allowed for the TCP connection and, for wss, the TLS handshake. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** Time allowed from the open connection (or proxy tunnel) to the server's 101 response. */
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    /** Headers added to every opening handshake, such as an API key. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** Origin header sent with every opening handshake; none when unset. */
    private @Nullable String origin;

    /** Subprotocols offered to servers, most preferred first. */
    private List<String> subprotocols = new ArrayList<>();

    /** Interval of keep-alive pings sent while nothing is received; zero sends none. */
    private Duration pingInterval = Duration.ofSeconds(0);

    /** Time a keep-alive ping waits for its pong before the connection is dropped as dead. */
    private Duration pingTimeout = Duration.ofSeconds(10);

    /** Time without traffic either way after which a connection is closed with 1001; zero never closes. */
    private Duration idleTimeout = Duration.ofSeconds(0);

    /** Time the closing handshake may take before the TCP connection is dropped. */
    private Duration closeTimeout = Duration.ofSeconds(5);

    /** Largest frame payload accepted; a larger frame closes the connection with 1009. */
    private DataSize maxFrameSize = DataSize.ofMegabytes(16);

    /** Largest text message accepted, in bytes of UTF-8; a larger one closes the connection with 1009. */
    private DataSize maxTextMessageSize = DataSize.ofMegabytes(16);

    /** Largest binary message accepted; a larger one closes the connection with 1009. */
    private DataSize maxBinaryMessageSize = DataSize.ofMegabytes(16);

    /** Largest amount of sent data a connection may hold unwritten before a send overflows. */
    private DataSize maxBufferedAmount = DataSize.ofMegabytes(16);

    /** What a send past the maximum buffered amount does. */
    private OverflowPolicy overflowPolicy = OverflowPolicy.FAIL;

    /** Received data that may wait for a slow listener before the connection stops reading. */
    private DataSize maxPendingReceive = DataSize.ofMegabytes(4);

    /** Number of I/O threads; the core's default (at most 2) when unset. */
    private @Nullable Integer ioThreads;

    /** Whether listener code runs on virtual threads when the runtime has them (Java 21+). */
    private boolean virtualThreads;

    /** Reconnect policy of connections opened with connectReconnecting. */
    private final Reconnect reconnect = new Reconnect();

    /** HTTP proxy that connections tunnel through with CONNECT. */
    private final Proxy proxy = new Proxy();

    /** permessage-deflate (RFC 7692) offered in every handshake. */
    private final Compression compression = new Compression();

    /** TLS for wss connections. */
    private final Ssl ssl = new Ssl();

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    public @Nullable String getOrigin() {
        return origin;
    }

    public void setOrigin(@Nullable String origin) {
        this.origin = origin;
    }

    public List<String> getSubprotocols() {
        return subprotocols;
    }

    public void setSubprotocols(List<String> subprotocols) {
        this.subprotocols = subprotocols;
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

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
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

    public DataSize getMaxPendingReceive() {
        return maxPendingReceive;
    }

    public void setMaxPendingReceive(DataSize maxPendingReceive) {
        this.maxPendingReceive = maxPendingReceive;
    }

    public @Nullable Integer getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(@Nullable Integer ioThreads) {
        this.ioThreads = ioThreads;
    }

    public boolean isVirtualThreads() {
        return virtualThreads;
    }

    public void setVirtualThreads(boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    public Reconnect getReconnect() {
        return reconnect;
    }

    public Proxy getProxy() {
        return proxy;
    }

    public Compression getCompression() {
        return compression;
    }

    public Ssl getSsl() {
        return ssl;
    }

    /**
     * Exponential backoff between reconnect attempts: from the initial delay, multiplied per
     * failed attempt up to the maximum, each spread by ± jitter.
     */
    public static class Reconnect {

        /** Delay before the first reconnect attempt. */
        private Duration initialDelay = Duration.ofSeconds(1);

        /** Longest delay between attempts. */
        private Duration maxDelay = Duration.ofSeconds(30);

        /** Growth of the delay per failed attempt; at least 1. */
        private double multiplier = 2.0;

        /** Random spread of each delay, as a fraction in [0, 1]. */
        private double jitter = 0.2;

        /** Failed attempts in a row before giving up; 0 never gives up. */
        private int maxAttempts;

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /**
     * permessage-deflate (RFC 7692): whether the client offers it, which messages it compresses
     * and the parameters it offers. The server decides what is agreed.
     */
    public static class Compression {

        /** Whether permessage-deflate is offered. */
        private boolean enabled = true;

        /** Messages smaller than this are sent uncompressed. */
        private DataSize threshold = DataSize.ofBytes(DeflateOptions.DEFAULT_COMPRESSION_THRESHOLD);

        /** zlib compression level, from 0 (none) to 9 (smallest). */
        private int level = DeflateOptions.DEFAULT_COMPRESSION_LEVEL;

        /** Whether to ask the server not to keep its compression context between messages. */
        private boolean serverNoContextTakeover;

        /** Whether to offer not to keep the client's compression context between messages. */
        private boolean clientNoContextTakeover;

        /** Largest LZ77 window, in bits (8 to 15), the server may compress with; any when unset. */
        private @Nullable Integer serverMaxWindowBits;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public DataSize getThreshold() {
            return threshold;
        }

        public void setThreshold(DataSize threshold) {
            this.threshold = threshold;
        }

        public int getLevel() {
            return level;
        }

        public void setLevel(int level) {
            this.level = level;
        }

        public boolean isServerNoContextTakeover() {
            return serverNoContextTakeover;
        }

        public void setServerNoContextTakeover(boolean serverNoContextTakeover) {
            this.serverNoContextTakeover = serverNoContextTakeover;
        }

        public boolean isClientNoContextTakeover() {
            return clientNoContextTakeover;
        }

        public void setClientNoContextTakeover(boolean clientNoContextTakeover) {
            this.clientNoContextTakeover = clientNoContextTakeover;
        }

        public @Nullable Integer getServerMaxWindowBits() {
            return serverMaxWindowBits;
        }

        public void setServerMaxWindowBits(@Nullable Integer serverMaxWindowBits) {
            this.serverMaxWindowBits = serverMaxWindowBits;
        }

        /** The core's options for these settings; throws IllegalArgumentException for bad values. */
        DeflateOptions toOptions() {
            long bytes = threshold.toBytes();
            if (bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "'duplex.websocket.client.compression.threshold' must be in [0, 2GB), was " + threshold);
            }
            DeflateOptions.Builder builder = DeflateOptions.builder()
                    .enabled(enabled)
                    .compressionThreshold((int) bytes)
                    .compressionLevel(level)
                    .serverNoContextTakeover(serverNoContextTakeover)
                    .clientNoContextTakeover(clientNoContextTakeover);
            if (serverMaxWindowBits != null) {
                builder.serverMaxWindowBits(serverMaxWindowBits);
            }
            return builder.build();
        }
    }

    /** An HTTP proxy reached with CONNECT (RFC 9110 §9.3.6); off while the host is unset. */
    public static class Proxy {

        /** Host name or address of the proxy; connections go direct when unset. */
        private @Nullable String host;

        /** Port of the proxy; required with the host. */
        private @Nullable Integer port;

        /** User name sent to the proxy with basic authentication; none when unset. */
        private @Nullable String username;

        /** Password sent to the proxy with the user name. */
        private @Nullable String password;

        public @Nullable String getHost() {
            return host;
        }

        public void setHost(@Nullable String host) {
            this.host = host;
        }

        public @Nullable Integer getPort() {
            return port;
        }

        public void setPort(@Nullable Integer port) {
            this.port = port;
        }

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }
    }

    /** TLS settings for wss connections. */
    public static class Ssl {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material, protocols and
         * ciphers wss connections use; the JDK's defaults when unset.
         */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }
}
