package dev.duplex.websocket.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one connection's socket and outbound queue: {@code TCP_NODELAY}, socket buffer
 * sizes, the connect timeout and the buffered-amount ceiling with what happens past it. Immutable
 * and thread-safe; build one with {@link #builder()}.
 */
public final class ConnectionOptions {

    /** Default for {@code TCP_NODELAY}: on, since Nagle's algorithm stalls request/response traffic. */
    public static final boolean DEFAULT_TCP_NO_DELAY = true;

    /** Default connect timeout (TCP connect plus, for TLS, the TLS handshake): 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Default maximum buffered amount: 16 MiB of payload accepted and not yet written. */
    public static final long DEFAULT_MAX_BUFFERED_AMOUNT = 16L * 1024 * 1024;

    /** Socket buffer size meaning "leave the operating system's default". */
    public static final int SYSTEM_DEFAULT = 0;

    private static final ConnectionOptions DEFAULTS = builder().build();

    private final boolean tcpNoDelay;
    private final Duration connectTimeout;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final long maxBufferedAmount;
    private final boolean closeOnOverflow;

    private ConnectionOptions(Builder builder) {
        this.tcpNoDelay = builder.tcpNoDelay;
        this.connectTimeout = builder.connectTimeout;
        this.sendBufferSize = builder.sendBufferSize;
        this.receiveBufferSize = builder.receiveBufferSize;
        this.maxBufferedAmount = builder.maxBufferedAmount;
        this.closeOnOverflow = builder.closeOnOverflow;
    }

    /** The defaults. */
    public static ConnectionOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values. */
    public Builder toBuilder() {
        return new Builder()
                .tcpNoDelay(tcpNoDelay)
                .connectTimeout(connectTimeout)
                .sendBufferSize(sendBufferSize)
                .receiveBufferSize(receiveBufferSize)
                .maxBufferedAmount(maxBufferedAmount)
                .closeOnOverflow(closeOnOverflow);
    }

    /** Whether {@code TCP_NODELAY} is set on the socket. */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** How long a client connect (TCP, then the TLS handshake for TLS) may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** {@code SO_SNDBUF} in bytes, or {@link #SYSTEM_DEFAULT}. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** {@code SO_RCVBUF} in bytes, or {@link #SYSTEM_DEFAULT}. */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * The most payload bytes a connection accepts and holds unwritten (its {@code bufferedAmount});
     * a write that would pass it is refused.
     */
    public long maxBufferedAmount() {
        return maxBufferedAmount;
    }

    /**
     * Whether a refused write is also reported to the connection's handler through {@link
     * ConnectionHandler#onOverflow(long, long)} so that its owner closes the connection with 1008
     * (the {@code CLOSE} overflow policy); when false (the {@code FAIL} policy) only the write's
     * future fails.
     */
    public boolean closeOnOverflow() {
        return closeOnOverflow;
    }

    @Override
    public String toString() {
        return "ConnectionOptions[tcpNoDelay=" + tcpNoDelay + ", connectTimeout=" + connectTimeout
                + ", sendBufferSize=" + sendBufferSize + ", receiveBufferSize=" + receiveBufferSize
                + ", maxBufferedAmount=" + maxBufferedAmount + ", closeOnOverflow=" + closeOnOverflow + "]";
    }

    /** Builds {@link ConnectionOptions}. Not thread-safe; each setter validates its argument at once. */
    public static final class Builder {

        private boolean tcpNoDelay = DEFAULT_TCP_NO_DELAY;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int sendBufferSize = SYSTEM_DEFAULT;
        private int receiveBufferSize = SYSTEM_DEFAULT;
        private long maxBufferedAmount = DEFAULT_MAX_BUFFERED_AMOUNT;
        private boolean closeOnOverflow;

        private Builder() {}

        /** Sets {@code TCP_NODELAY}. */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("'connectTimeout' must be positive, was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets {@code SO_SNDBUF}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder sendBufferSize(int sendBufferSize) {
            this.sendBufferSize = socketBufferSize("sendBufferSize", sendBufferSize);
            return this;
        }

        /**
         * Sets {@code SO_RCVBUF}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder receiveBufferSize(int receiveBufferSize) {
            this.receiveBufferSize = socketBufferSize("receiveBufferSize", receiveBufferSize);
            return this;
        }

        /**
         * Sets the maximum buffered amount.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder maxBufferedAmount(long maxBufferedAmount) {
            if (maxBufferedAmount < 1) {
                throw new IllegalArgumentException("'maxBufferedAmount' must be at least 1, was " + maxBufferedAmount);
            }
            this.maxBufferedAmount = maxBufferedAmount;
            return this;
        }

        /** Sets whether a refused write is reported to the handler for a 1008 close. */
        public Builder closeOnOverflow(boolean closeOnOverflow) {
            this.closeOnOverflow = closeOnOverflow;
            return this;
        }

        /** The options. */
        public ConnectionOptions build() {
            return new ConnectionOptions(this);
        }

        private static int socketBufferSize(String name, int size) {
            if (size < 0) {
                throw new IllegalArgumentException(
                        "'" + name + "' must be 0 (system default) or positive, was " + size);
            }
            return size;
        }
    }
}
