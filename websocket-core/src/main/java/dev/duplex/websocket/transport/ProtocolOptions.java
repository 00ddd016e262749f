package dev.duplex.websocket.transport;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.codec.FrameDecoder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The limits, timers and dispatch settings of WebSocket connections, the same on the client and
 * the server side. Immutable; build with {@link #builder()}. A zero {@link Duration} turns a
 * timer off.
 */
public final class ProtocolOptions {

    /** Default largest frame payload: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
    /** Default largest text message, in bytes of UTF-8: 16 MiB. */
    public static final int DEFAULT_MAX_TEXT_MESSAGE_SIZE = 16 * 1024 * 1024;
    /** Default largest binary message: 16 MiB. */
    public static final int DEFAULT_MAX_BINARY_MESSAGE_SIZE = 16 * 1024 * 1024;
    /** Default ceiling of the buffered amount: 16 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_AMOUNT = ConnectionOptions.DEFAULT_MAX_BUFFERED_AMOUNT;
    /** Default overflow policy: fail the send. */
    public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.FAIL;
    /** Default idle timeout: none. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;
    /** Default keep-alive ping interval: none. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ZERO;
    /** Default time a keep-alive ping waits for its pong: 10 s. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(10);
    /** Default time the closing handshake may take before the TCP connection is dropped: 5 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Default bytes of received messages waiting for the listener before reading pauses: 4 MiB. */
    public static final int DEFAULT_MAX_PENDING_RECEIVE = 4 * 1024 * 1024;

    private final int maxFrameSize;
    private final int maxTextMessageSize;
    private final int maxBinaryMessageSize;
    private final long maxBufferedAmount;
    private final OverflowPolicy overflowPolicy;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration closeTimeout;
    private final int maxPendingReceive;
    private final boolean virtualThreads;
    private final boolean directDispatch;
    private final @Nullable Executor executor;
    private final JsonCodec jsonCodec;
    private final WebSocketObserver observer;

    private ProtocolOptions(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxTextMessageSize = b.maxTextMessageSize;
        this.maxBinaryMessageSize = b.maxBinaryMessageSize;
        this.maxBufferedAmount = b.maxBufferedAmount;
        this.overflowPolicy = b.overflowPolicy;
        this.idleTimeout = b.idleTimeout;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.closeTimeout = b.closeTimeout;
        this.maxPendingReceive = b.maxPendingReceive;
        this.virtualThreads = b.virtualThreads;
        this.directDispatch = b.directDispatch;
        this.executor = b.executor;
        this.jsonCodec = b.jsonCodec;
        this.observer = b.observer;
    }

    /** The defaults. */
    public static ProtocolOptions defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Largest frame payload accepted; a larger frame closes the connection with 1009. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Largest text message accepted, in bytes of UTF-8; past it the connection closes with 1009. */
    public int maxTextMessageSize() {
        return maxTextMessageSize;
    }

    /** Largest binary message accepted; past it the connection closes with 1009. */
    public int maxBinaryMessageSize() {
        return maxBinaryMessageSize;
    }

    /** Ceiling of {@code bufferedAmount()}: a send past it follows {@link #overflowPolicy()}. */
    public long maxBufferedAmount() {
        return maxBufferedAmount;
    }

    /** What a send past {@link #maxBufferedAmount()} does. */
    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /** Time without traffic either way after which the connection is closed with 1001; zero: never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Interval of keep-alive pings sent while nothing is received; zero: none. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** Time a keep-alive ping waits for a pong before the connection is dropped as dead. */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** Time the closing handshake may take before the TCP connection is dropped. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Bytes of received messages that may wait for a slow listener (or an absent reader in
     * pull mode) before the connection stops reading from the socket, pushing back on the peer.
     */
    public int maxPendingReceive() {
        return maxPendingReceive;
    }

    /** Whether listener code runs on virtual threads when the runtime has them (Java 21+). */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    /** Whether listener code runs directly on the I/O thread: lowest latency, must never block. */
    public boolean directDispatch() {
        return directDispatch;
    }

    /** The executor that runs listener code, or null for the default (see {@link DispatchExecutors}). */
    public @Nullable Executor executor() {
        return executor;
    }

    /** The codec behind {@code sendObject} and object messages. */
    public JsonCodec jsonCodec() {
        return jsonCodec;
    }

    /** What watches these connections for metrics; {@link WebSocketObserver#NONE} by default. */
    public WebSocketObserver observer() {
        return observer;
    }

    @Override
    public String toString() {
        return "ProtocolOptions[maxFrameSize=" + maxFrameSize + ", maxTextMessageSize=" + maxTextMessageSize
                + ", maxBinaryMessageSize=" + maxBinaryMessageSize + ", maxBufferedAmount=" + maxBufferedAmount
                + ", overflowPolicy=" + overflowPolicy + ", idleTimeout=" + idleTimeout + ", pingInterval="
                + pingInterval + ", pingTimeout=" + pingTimeout + ", closeTimeout=" + closeTimeout + "]";
    }

    /** Builds {@link ProtocolOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxTextMessageSize = DEFAULT_MAX_TEXT_MESSAGE_SIZE;
        private int maxBinaryMessageSize = DEFAULT_MAX_BINARY_MESSAGE_SIZE;
        private long maxBufferedAmount = DEFAULT_MAX_BUFFERED_AMOUNT;
        private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int maxPendingReceive = DEFAULT_MAX_PENDING_RECEIVE;
        private boolean virtualThreads;
        private boolean directDispatch;
        private @Nullable Executor executor;
        private JsonCodec jsonCodec = JsonCodec.none();
        private WebSocketObserver observer = WebSocketObserver.NONE;

        private Builder() {}

        private Builder(ProtocolOptions o) {
            this.maxFrameSize = o.maxFrameSize;
            this.maxTextMessageSize = o.maxTextMessageSize;
            this.maxBinaryMessageSize = o.maxBinaryMessageSize;
            this.maxBufferedAmount = o.maxBufferedAmount;
            this.overflowPolicy = o.overflowPolicy;
            this.idleTimeout = o.idleTimeout;
            this.pingInterval = o.pingInterval;
            this.pingTimeout = o.pingTimeout;
            this.closeTimeout = o.closeTimeout;
            this.maxPendingReceive = o.maxPendingReceive;
            this.virtualThreads = o.virtualThreads;
            this.directDispatch = o.directDispatch;
            this.executor = o.executor;
            this.jsonCodec = o.jsonCodec;
            this.observer = o.observer;
        }

        /** @see ProtocolOptions#maxFrameSize() */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = size("maxFrameSize", bytes, 125);
            return this;
        }

        /** @see ProtocolOptions#maxTextMessageSize() */
        public Builder maxTextMessageSize(int bytes) {
            this.maxTextMessageSize = size("maxTextMessageSize", bytes, 0);
            return this;
        }

        /** @see ProtocolOptions#maxBinaryMessageSize() */
        public Builder maxBinaryMessageSize(int bytes) {
            this.maxBinaryMessageSize = size("maxBinaryMessageSize", bytes, 0);
            return this;
        }

        /** Sets both message maximums. */
        public Builder maxMessageSize(int bytes) {
            return maxTextMessageSize(bytes).maxBinaryMessageSize(bytes);
        }

        /** @see ProtocolOptions#maxBufferedAmount() */
        public Builder maxBufferedAmount(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("'maxBufferedAmount' must not be negative, was " + bytes);
            }
            this.maxBufferedAmount = bytes;
            return this;
        }

        /** @see ProtocolOptions#overflowPolicy() */
        public Builder overflowPolicy(OverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy, "overflowPolicy");
            return this;
        }

        /** @see ProtocolOptions#idleTimeout() */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = duration("idleTimeout", timeout);
            return this;
        }

        /** @see ProtocolOptions#pingInterval() */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = duration("pingInterval", interval);
            return this;
        }

        /** @see ProtocolOptions#pingTimeout() */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = positive("pingTimeout", timeout);
            return this;
        }

        /** @see ProtocolOptions#closeTimeout() */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /** @see ProtocolOptions#maxPendingReceive() */
        public Builder maxPendingReceive(int bytes) {
            this.maxPendingReceive = size("maxPendingReceive", bytes, 1);
            return this;
        }

        /** @see ProtocolOptions#virtualThreads() */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /** @see ProtocolOptions#directDispatch() */
        public Builder directDispatch(boolean directDispatch) {
            this.directDispatch = directDispatch;
            return this;
        }

        /** @see ProtocolOptions#executor() */
        public Builder executor(@Nullable Executor executor) {
            this.executor = executor;
            return this;
        }

        /** @see ProtocolOptions#jsonCodec() */
        public Builder jsonCodec(JsonCodec jsonCodec) {
            this.jsonCodec = Objects.requireNonNull(jsonCodec, "jsonCodec");
            return this;
        }

        /** @see ProtocolOptions#observer() */
        public Builder observer(WebSocketObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The options. */
        public ProtocolOptions build() {
            return new ProtocolOptions(this);
        }

        private static int size(String name, int bytes, int min) {
            if (bytes < min || bytes > FrameDecoder.MAX_PAYLOAD_LIMIT) {
                throw new IllegalArgumentException("'" + name + "' must be in [" + min + ", "
                        + FrameDecoder.MAX_PAYLOAD_LIMIT + "], was " + bytes);
            }
            return bytes;
        }

        private static Duration duration(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + name + "' must not be negative, was " + d);
            }
            return d;
        }

        private static Duration positive(String name, Duration d) {
            duration(name, d);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + name + "' must be positive, was " + d);
            }
            return d;
        }
    }
}
