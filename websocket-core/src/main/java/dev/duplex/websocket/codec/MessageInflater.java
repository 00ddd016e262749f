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
    /** The message being inflated goes here: {@link #scratch}, or a fresh array guessed for incompressible data. */
    private byte[] work = scratch;

    private boolean ended;

    MessageInflater(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * The decompressed form of {@code payload}, a buffer the caller may keep.
     *
     * @param maxSize the most bytes the result may have
     * @param likelyIncompressible whether the payload probably inflates to about its own size (binary
     *     messages are often images or archives): it is then inflated straight into an array of that
     *     size, which saves copying the result, and moved to the growing buffer only if it is larger
     * @throws ProtocolException 1009 once the result passes {@code maxSize}; 1007 if the payload is
     *     not valid DEFLATE data
     * @throws IllegalStateException after {@link #end()}
     */
    ByteBuffer decompress(ByteBuffer payload, int maxSize, String what, boolean likelyIncompressible) {
        Inflater inf = inflater();
        // Stored blocks add 5 bytes per 64 KiB, so the raw data is a little smaller than its payload.
        work = likelyIncompressible ? new byte[(int) Math.min((long) maxSize + 1, payload.remaining() + 64L)] : scratch;
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
                // Feeding the trailer also drops the inflater's reference to the payload.
                n = inflate(inf, ByteBuffer.wrap(TRAILER), n, maxSize, what);
                if (noContextTakeover || inf.finished()) {
                    inf.reset();
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolException(
                    ProtocolException.INVALID_PAYLOAD, "Invalid compressed data: " + e.getMessage(), e);
        }
        byte[] out = work;
        work = scratch;
        if (out != scratch) {
            return ByteBuffer.wrap(out, 0, n); // the fresh array held it all: no copy
        }
        if (out.length > KEPT_BUFFER_SIZE) {
            scratch = new byte[0];
            work = scratch;
            return ByteBuffer.wrap(out, 0, n);
        }
        return ByteBuffer.wrap(Arrays.copyOf(out, n));
    }

    /** Inflates all of {@code input} into {@link #work} from {@code n} on, growing it; returns the new length. */
    private int inflate(Inflater inf, ByteBuffer input, int n, int maxSize, String what) throws DataFormatException {
        inf.setInput(input);
        byte[] out = work;
        while (true) {
            if (n == out.length) {
                out = grow(out, n, (long) maxSize + 1, input.remaining());
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

    /**
     * A larger buffer holding the first {@code n} bytes of {@code out}, which becomes the scratch
     * buffer: never more than {@code cap} bytes (one past the limit tells "too big" from "exactly
     * full"); first 4x the input left, within the size kept between messages, then doubling.
     */
    private byte[] grow(byte[] out, int n, long cap, int inputLeft) {
        long guess = Math.min(4L * inputLeft, KEPT_BUFFER_SIZE);
        int size = (int) Math.min(cap, Math.max(1024L, Math.max(2L * out.length, guess)));
        byte[] bigger;
        if (out != scratch && scratch.length >= size) {
            System.arraycopy(out, 0, scratch, 0, n); // the fresh guess was too small: back to the kept buffer
            bigger = scratch;
        } else {
            bigger = Arrays.copyOf(out, size);
        }
        scratch = bigger;
        work = bigger;
        return bigger;
    }

    /** Frees the zlib stream; later calls of {@link #decompress} throw. Idempotent. */
    void end() {
        ended = true;
        Inflater inf = inflater;
        inflater = null;
        scratch = new byte[0];
        work = scratch;
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
