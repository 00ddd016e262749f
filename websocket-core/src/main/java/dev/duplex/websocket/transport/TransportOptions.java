package dev.duplex.websocket.transport;

/**
 * Settings of an {@link EventLoopGroup}: how many I/O threads it runs and how large the buffer is
 * that each of them reads into. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class TransportOptions {

    /** Default number of I/O threads: the number of available processors, at least 1. */
    public static final int DEFAULT_IO_THREADS =
            Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * Default size of the read buffer each I/O thread shares among its connections: 128 KiB, so
     * that a 64 KiB message arrives in one read, header and all, and is unmasked where it lies.
     */
    public static final int DEFAULT_READ_BUFFER_SIZE = 128 * 1024;

    /** Smallest read buffer accepted: 1 KiB. */
    public static final int MIN_READ_BUFFER_SIZE = 1024;

    /** Largest read buffer accepted: 16 MiB. */
    public static final int MAX_READ_BUFFER_SIZE = 16 * 1024 * 1024;

    private static final TransportOptions DEFAULTS = builder().build();

    private final int ioThreads;
    private final int readBufferSize;

    private TransportOptions(Builder builder) {
        this.ioThreads = builder.ioThreads;
        this.readBufferSize = builder.readBufferSize;
    }

    /** The defaults: {@link #DEFAULT_IO_THREADS} threads, {@link #DEFAULT_READ_BUFFER_SIZE}. */
    public static TransportOptions defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values. */
    public Builder toBuilder() {
        return new Builder().ioThreads(ioThreads).readBufferSize(readBufferSize);
    }

    /** Number of I/O threads ({@code duplex-io-N}), each owning one selector. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Size in bytes of the buffer each I/O thread reads into. It is shared by all connections of
     * that thread; a connection keeps only the bytes its handler left unconsumed.
     */
    public int readBufferSize() {
        return readBufferSize;
    }

    @Override
    public String toString() {
        return "TransportOptions[ioThreads=" + ioThreads + ", readBufferSize=" + readBufferSize + "]";
    }

    /** Builds {@link TransportOptions}. Not thread-safe; each setter validates its argument at once. */
    public static final class Builder {

        private int ioThreads = DEFAULT_IO_THREADS;
        private int readBufferSize = DEFAULT_READ_BUFFER_SIZE;

        private Builder() {}

        /**
         * Sets the number of I/O threads.
         *
         * @throws IllegalArgumentException when {@code ioThreads} is less than 1
         */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("'ioThreads' must be at least 1, was " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Sets the size of each I/O thread's shared read buffer.
         *
         * @throws IllegalArgumentException when outside [{@value TransportOptions#MIN_READ_BUFFER_SIZE},
         *     {@value TransportOptions#MAX_READ_BUFFER_SIZE}]
         */
        public Builder readBufferSize(int readBufferSize) {
            if (readBufferSize < MIN_READ_BUFFER_SIZE || readBufferSize > MAX_READ_BUFFER_SIZE) {
                throw new IllegalArgumentException("'readBufferSize' must be in [" + MIN_READ_BUFFER_SIZE + ", "
                        + MAX_READ_BUFFER_SIZE + "], was " + readBufferSize);
            }
            this.readBufferSize = readBufferSize;
            return this;
        }

        /** The options. */
        public TransportOptions build() {
            return new TransportOptions(this);
        }
    }
}
