package dev.duplex.websocket.codec;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Decompresses message payloads as RFC 7692 §7.2.2 says: the payload with {@code 00 00 ff ff}
 * appended, inflated as raw DEFLATE. The result is produced in chunks into a buffer that grows up
 * to one byte past the limit and never beyond, so a small message that inflates to gigabytes
 * (a decompression bomb) costs at most the limit in memory and stops with 1009 as soon as it
 * passes it.
 *
 * <p>The JDK's {@link Inflater} accepts any window up to 15 bits, so every window the peer may
 * negotiate is fine. The zlib stream is allocated on the first message and freed by {@link
 * #end()}. Not thread-safe: the connection's loop thread calls it.
 */
final class MessageInflater {

    /** Larger scratch buffers are handed over with their message rather than kept. */
    private static final int KEPT_BUFFER_SIZE = 64 * 1024;

    private static final byte[] TRAILER = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private final boolean noContextTakeover;

    /** Created on first use; null before and after {@link #end()}. */
    private @Nullable Inflater inflater;

    private byte[] scratch = new byte[0];
    private boolean ended;

    MessageInflater(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * The decompressed form of {@code payload}, a buffer the caller may keep.
     *
     * @param maxSize the most bytes the result may have
     * @throws ProtocolException 1009 once the result passes {@code maxSize}; 1007 if the payload is
     *     not valid DEFLATE data
     * @throws IllegalStateException after {@link #end()}
     */
    ByteBuffer decompress(ByteBuffer payload, int maxSize, String what) {
        Inflater inf = inflater();
        int n;
        try {
            n = inflate(inf, payload, 0, maxSize, what);
            if (inf.finished()) {
                // A block with BFINAL set ended the DEFLATE stream; nothing may follow it in the message.
                if (inf.getRemaining() > 0) {
                    throw new ProtocolException(
                            ProtocolException.INVALID_PAYLOAD, "Compressed data after the final DEFLATE block");
                }
                inf.reset();
            } else {
                n = inflate(inf, ByteBuffer.wrap(TRAILER), n, maxSize, what);
                if (noContextTakeover || inf.finished()) {
                    inf.reset();
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolException(
                    ProtocolException.INVALID_PAYLOAD, "Invalid compressed data: " + e.getMessage(), e);
        }
        byte[] out = scratch;
        if (out.length > KEPT_BUFFER_SIZE) {
            scratch = new byte[0];
            return ByteBuffer.wrap(out, 0, n);
        }
        return ByteBuffer.wrap(Arrays.copyOf(out, n));
    }

    /** Inflates all of {@code input} into the scratch buffer from {@code n} on; returns the new length. */
    private int inflate(Inflater inf, ByteBuffer input, int n, int maxSize, String what) throws DataFormatException {
        inf.setInput(input);
        byte[] out = scratch;
        while (true) {
            if (n == out.length) {
                long cap = (long) maxSize + 1; // one byte past the limit tells "too big" from "exactly full"
                long grown = Math.min(cap, Math.max(1024L, Math.max(2L * out.length, 4L * input.remaining())));
                out = Arrays.copyOf(out, (int) grown);
                scratch = out;
            }
            n += inf.inflate(out, n, out.length - n);
            if (n > maxSize) {
                throw new ProtocolException(
                        ProtocolException.MESSAGE_TOO_BIG,
                        what + " message exceeds the limit of " + maxSize + " bytes when decompressed");
            }
            if (inf.needsDictionary()) {
                throw new DataFormatException("a preset dictionary is not allowed");
            }
            if (n < out.length || inf.finished()) {
                // Room was left, so zlib ran out of input (or reached the end of the stream).
                return n;
            }
        }
    }

    /** Frees the zlib stream; later calls of {@link #decompress} throw. Idempotent. */
    void end() {
        ended = true;
        Inflater inf = inflater;
        inflater = null;
        scratch = new byte[0];
        if (inf != null) {
            inf.end();
        }
    }

    /** Bytes inflated since the stream was last reset, for tests of the bomb limit. */
    long bytesInflated() {
        Inflater inf = inflater;
        return inf == null ? 0 : inf.getBytesWritten();
    }

    private Inflater inflater() {
        Inflater inf = inflater;
        if (inf == null) {
            if (ended) {
                throw new IllegalStateException("The inflater has been released");
            }
            inf = new Inflater(true); // nowrap: raw DEFLATE (§7.2.2)
            inflater = inf;
        }
        return inf;
    }
}
