package dev.duplex.websocket.codec;

/**
 * How an endpoint uses permessage-deflate (RFC 7692): whether it offers or accepts the extension
 * at all, which messages it compresses and how hard, and the parameters it asks the peer for.
 * Immutable; build with {@link #builder()}. The same type configures a client and a server; each
 * negotiation parameter says which side it applies to.
 *
 * <p>Per connection that uses the extension, the JDK's zlib holds about 256 KiB of native memory
 * for compression (a 32 KiB window and the hash tables of memory level 8) and about 40 KiB for
 * decompression; each is allocated on the first compressed message in its direction and released
 * when the connection closes.
 */
public final class DeflateOptions {

    /**
     * Default smallest payload that is compressed: 32 bytes. Shorter messages go out as they are:
     * deflate cannot shrink a handful of bytes by more than the one byte its framing adds, while
     * from a few dozen bytes on a message of text usually repeats enough of the messages before it
     * (with context takeover) to shrink by half or more.
     */
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 32;
    /** Default compression level: 6, zlib's own default balance of speed and size. */
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    /** The largest LZ77 window, 2^15 bytes (RFC 7692 §7.1.2), the default of both window parameters. */
    public static final int MAX_WINDOW_BITS = 15;
    /** The smallest LZ77 window a window parameter may name, 2^8 bytes (RFC 7692 §7.1.2). */
    public static final int MIN_WINDOW_BITS = 8;

    private static final DeflateOptions DEFAULTS = builder().build();
    private static final DeflateOptions DISABLED = builder().enabled(false).build();

    private final boolean enabled;
    private final int compressionThreshold;
    private final int compressionLevel;
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;

    private DeflateOptions(Builder b) {
        this.enabled = b.enabled;
        this.compressionThreshold = b.compressionThreshold;
        this.compressionLevel = b.compressionLevel;
        this.serverNoContextTakeover = b.serverNoContextTakeover;
        this.clientNoContextTakeover = b.clientNoContextTakeover;
        this.serverMaxWindowBits = b.serverMaxWindowBits;
        this.clientMaxWindowBits = b.clientMaxWindowBits;
    }

    /** The defaults: enabled, messages from 32 bytes compressed at level 6, the RFC's default parameters. */
    public static DeflateOptions defaults() {
        return DEFAULTS;
    }

    /** The extension switched off: a client does not offer it, a server declines every offer. */
    public static DeflateOptions disabled() {
        return DISABLED;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether a client offers permessage-deflate and a server accepts it; true by default. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Smallest payload, in bytes (UTF-8 for text), that is sent compressed; smaller messages go
     * out uncompressed, which RFC 7692 §6 allows at any time.
     */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** The zlib compression level, 1 (fastest) to 9 (smallest). */
    public int compressionLevel() {
        return compressionLevel;
    }

    /**
     * Whether the server compresses every message on its own, without referring to earlier ones
     * (RFC 7692 §7.1.1.1): a client asks for it in its offer, a server declares it in its answer.
     * False by default.
     */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /**
     * Whether the client compresses every message on its own (RFC 7692 §7.1.1.2): a client
     * promises it in its offer, a server demands it in its answer. False by default.
     */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /**
     * Client only: the largest window, as a power of two, that the client asks the server to
     * compress with (RFC 7692 §7.1.2.1); {@value #MAX_WINDOW_BITS} (the default) offers no limit.
     * It spares the server's memory, not the client's.
     */
    public int serverMaxWindowBits() {
        return serverMaxWindowBits;
    }

    /**
     * Server only: the largest window, as a power of two, that the server asks clients to compress
     * with, when their offer says they can limit it (RFC 7692 §7.1.2.2); {@value #MAX_WINDOW_BITS}
     * (the default) asks for nothing.
     */
    public int clientMaxWindowBits() {
        return clientMaxWindowBits;
    }

    @Override
    public String toString() {
        return "DeflateOptions[enabled=" + enabled + ", compressionThreshold=" + compressionThreshold
                + ", compressionLevel=" + compressionLevel + ", serverNoContextTakeover=" + serverNoContextTakeover
                + ", clientNoContextTakeover=" + clientNoContextTakeover + ", serverMaxWindowBits="
                + serverMaxWindowBits + ", clientMaxWindowBits=" + clientMaxWindowBits + "]";
    }

    /** Configures {@link DeflateOptions}; every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
        private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int serverMaxWindowBits = MAX_WINDOW_BITS;
        private int clientMaxWindowBits = MAX_WINDOW_BITS;

        private Builder() {}

        private Builder(DeflateOptions o) {
            this.enabled = o.enabled;
            this.compressionThreshold = o.compressionThreshold;
            this.compressionLevel = o.compressionLevel;
            this.serverNoContextTakeover = o.serverNoContextTakeover;
            this.clientNoContextTakeover = o.clientNoContextTakeover;
            this.serverMaxWindowBits = o.serverMaxWindowBits;
            this.clientMaxWindowBits = o.clientMaxWindowBits;
        }

        /** @see DeflateOptions#enabled() */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /**
         * @see DeflateOptions#compressionThreshold()
         * @throws IllegalArgumentException if negative
         */
        public Builder compressionThreshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("'compressionThreshold' must not be negative, was " + bytes);
            }
            this.compressionThreshold = bytes;
            return this;
        }

        /**
         * @see DeflateOptions#compressionLevel()
         * @throws IllegalArgumentException if not in [1, 9]
         */
        public Builder compressionLevel(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("'compressionLevel' must be in [1, 9], was " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /** @see DeflateOptions#serverNoContextTakeover() */
        public Builder serverNoContextTakeover(boolean on) {
            this.serverNoContextTakeover = on;
            return this;
        }

        /** @see DeflateOptions#clientNoContextTakeover() */
        public Builder clientNoContextTakeover(boolean on) {
            this.clientNoContextTakeover = on;
            return this;
        }

        /**
         * @see DeflateOptions#serverMaxWindowBits()
         * @throws IllegalArgumentException if not in [8, 15]
         */
        public Builder serverMaxWindowBits(int bits) {
            this.serverMaxWindowBits = windowBits("serverMaxWindowBits", bits);
            return this;
        }

        /**
         * @see DeflateOptions#clientMaxWindowBits()
         * @throws IllegalArgumentException if not in [8, 15]
         */
        public Builder clientMaxWindowBits(int bits) {
            this.clientMaxWindowBits = windowBits("clientMaxWindowBits", bits);
            return this;
        }

        /** The options; the builder may be reused. */
        public DeflateOptions build() {
            return new DeflateOptions(this);
        }

        private static int windowBits(String name, int bits) {
            if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
                throw new IllegalArgumentException("'" + name + "' must be in [8, 15], was " + bits);
            }
            return bits;
        }
    }
}
