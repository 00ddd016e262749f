package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * Compresses message payloads as RFC 7692 §7.2.1 says: raw DEFLATE, ended by a sync flush whose
 * trailing empty stored block ({@code 00 00 ff ff}) is removed. Keeps the compression context
 * across messages unless told not to (§7.1.1). The JDK's {@link Deflater} always uses a 32 KiB
 * window, so the negotiated window of this side must be 15 bits.
 *
 * <p>The zlib stream is allocated on the first message and freed by {@link #end()}. Not
 * thread-safe: the connection calls it under its send lock.
 */
final class MessageDeflater {

    /** Larger scratch buffers are dropped after their message, so idle connections stay small. */
    private static final int KEPT_BUFFER_SIZE = 64 * 1024;
    /** Bytes a sync flush appends: an empty stored block. */
    private static final int TRAILER_LENGTH = 4;

    private static final byte[] NO_BYTES = new byte[0];

    private final int level;
    private final boolean noContextTakeover;

    /** Created on first use; null before and after {@link #end()}. */
    private @Nullable Deflater deflater;

    private byte[] scratch = new byte[0];
    private boolean ended;

    MessageDeflater(int level, boolean noContextTakeover) {
        this.level = level;
        this.noContextTakeover = noContextTakeover;
    }

    /** Whether {@link #end()} was called. */
    boolean isEnded() {
        return ended;
    }

    /**
     * The compressed form of {@code payload}, a fresh buffer; {@code payload} is left as it was.
     * With no context takeover, null when compressing would not make the message smaller (the
     * caller then sends it as it is, which is only safe because the peer keeps no context either).
     *
     * @throws IllegalStateException after {@link #end()}
     */
    @Nullable
    ByteBuffer compress(ByteBuffer payload) {
        Deflater d = deflater();
        int length = payload.remaining();
        d.setInput(payload.duplicate());
        byte[] out = scratch;
        if (out.length < 64) {
            out = new byte[Math.max(256, Math.min(length + 64, KEPT_BUFFER_SIZE))];
        }
        int n = 0;
        while (true) {
            n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break; // all input consumed and flushed (Deflater#deflate: a full buffer may hide more)
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (noContextTakeover) {
            d.reset();
        } else {
            d.setInput(NO_BYTES); // drop the reference to the caller's payload
        }
        scratch = out.length > KEPT_BUFFER_SIZE ? new byte[0] : out;
        int compressed = n - TRAILER_LENGTH; // §7.2.1: remove the 4 octets 00 00 ff ff at the tail end
        if (noContextTakeover && compressed >= length) {
            return null;
        }
        return ByteBuffer.wrap(Arrays.copyOf(out, compressed));
    }

    /** Frees the zlib stream; later calls of {@link #compress} throw. Idempotent. */
    void end() {
        ended = true;
        Deflater d = deflater;
        deflater = null;
        scratch = new byte[0];
        if (d != null) {
            d.end();
        }
    }

    private Deflater deflater() {
        Deflater d = deflater;
        if (d == null) {
            if (ended) {
                throw new IllegalStateException("The deflater has been released");
            }
            d = new Deflater(level, true); // nowrap: raw DEFLATE, no zlib header (§7.2.1)
            deflater = d;
        }
        return d;
    }
}
