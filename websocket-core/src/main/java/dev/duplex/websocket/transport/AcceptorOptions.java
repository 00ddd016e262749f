package dev.duplex.websocket.transport;

/**
 * Settings of a listening socket: its backlog and how many accepted connections may be open at
 * once. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class AcceptorOptions {

    /** Default backlog of connections the kernel completes before they are accepted: 1024. */
    public static final int DEFAULT_BACKLOG = 1024;

    /** Default maximum number of open accepted connections: unlimited. */
    public static final int DEFAULT_MAX_CONNECTIONS = Integer.MAX_VALUE;

    private static final AcceptorOptions DEFAULTS = builder().build();

    private final int backlog;
    private final int maxConnections;

    private AcceptorOptions(Builder builder) {
        this.backlog = builder.backlog;
        this.maxConnections = builder.maxConnections;
    }

    /** The defaults. */
    public static AcceptorOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The listen backlog. */
    public int backlog() {
        return backlog;
    }

    /**
     * The most accepted connections open at once. A connection accepted past it is handed to
     * {@link AcceptHandler#rejected(Connection)} (which may answer, say, HTTP 503) instead of
     * {@link AcceptHandler#accepted(Connection)}, and is not counted.
     */
    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public String toString() {
        return "AcceptorOptions[backlog=" + backlog + ", maxConnections=" + maxConnections + "]";
    }

    /** Builds {@link AcceptorOptions}. Not thread-safe; each setter validates its argument at once. */
    public static final class Builder {

        private int backlog = DEFAULT_BACKLOG;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private Builder() {}

        /**
         * Sets the listen backlog.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("'backlog' must be at least 1, was " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Sets the maximum number of open accepted connections.
         *
         * @throws IllegalArgumentException when less than 1
         */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("'maxConnections' must be at least 1, was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** The options. */
        public AcceptorOptions build() {
            return new AcceptorOptions(this);
        }
    }
}
