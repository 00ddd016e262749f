package dev.duplex.websocket.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The XOR masking of RFC 6455 §5.3, eight bytes at a time.
 *
 * <p>A masking key is an {@code int} holding the four key bytes in wire order (the first key byte
 * in the most significant position). Byte {@code i} of a payload is XORed with key byte
 * {@code i % 4}; the {@code phase} argument names the key byte that applies to the first byte
 * processed (0 at the start of a payload, {@code n % 4} after {@code n} bytes), so a payload may be
 * masked in pieces. Masking twice with the same key restores the input.
 *
 * <p>All methods are static, allocate nothing and are thread-safe as far as the buffers they
 * touch are not shared. Indexes are absolute: no method moves a buffer's position or limit.
 */
public final class Masking {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, NATIVE);

    private Masking() {}

    /**
     * Masks {@code len} bytes of {@code a} from {@code off} in place.
     *
     * @param phase the key byte (0–3) that applies to {@code a[off]}
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static void mask(byte[] a, int off, int len, int key, int phase) {
        Objects.checkFromIndexSize(off, len, a.length);
        if (key == 0) {
            return;
        }
        int p = phase & 3;
        long m = word(key, p, NATIVE);
        int i = off;
        int end = off + len;
        // Eight bytes advance the phase by a multiple of four, so one mask word serves every step.
        for (; i <= end - 8; i += 8) {
            LONGS.set(a, i, (long) LONGS.get(a, i) ^ m);
        }
        for (; i < end; i++, p = (p + 1) & 3) {
            a[i] ^= keyByte(key, p);
        }
    }

    /**
     * Masks {@code len} bytes of {@code buf} from absolute index {@code index} in place. Heap and
     * direct buffers of either byte order are supported.
     *
     * @param phase the key byte (0–3) that applies to the byte at {@code index}
     * @throws IndexOutOfBoundsException if the range is outside {@code [0, limit)}
     * @throws ReadOnlyBufferException if the buffer is read-only (nothing is changed then)
     */
    public static void mask(ByteBuffer buf, int index, int len, int key, int phase) {
        Objects.checkFromIndexSize(index, len, buf.limit());
        if (buf.hasArray()) {
            mask(buf.array(), buf.arrayOffset() + index, len, key, phase);
            return;
        }
        if (buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (key == 0) {
            return;
        }
        int p = phase & 3;
        long m = word(key, p, buf.order());
        int i = index;
        int end = index + len;
        for (; i <= end - 8; i += 8) {
            buf.putLong(i, buf.getLong(i) ^ m);
        }
        for (; i < end; i++, p = (p + 1) & 3) {
            buf.put(i, (byte) (buf.get(i) ^ keyByte(key, p)));
        }
    }

    /**
     * Masks the bytes between the buffer's position and limit in place, starting with key byte 0.
     *
     * @throws ReadOnlyBufferException if the buffer is read-only
     */
    public static void mask(ByteBuffer buf, int key) {
        mask(buf, buf.position(), buf.remaining(), key, 0);
    }

    /**
     * Copies {@code len} bytes from {@code src} to {@code dst}, masking them on the way; the source
     * is not changed. The ranges must not overlap unless they are the same range.
     *
     * @param phase the key byte (0–3) that applies to {@code src[srcOff]}
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    public static void maskCopy(byte[] src, int srcOff, byte[] dst, int dstOff, int len, int key, int phase) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        if (key == 0) {
            System.arraycopy(src, srcOff, dst, dstOff, len);
            return;
        }
        int p = phase & 3;
        long m = word(key, p, NATIVE);
        int i = 0;
        for (; i <= len - 8; i += 8) {
            LONGS.set(dst, dstOff + i, (long) LONGS.get(src, srcOff + i) ^ m);
        }
        for (; i < len; i++, p = (p + 1) & 3) {
            dst[dstOff + i] = (byte) (src[srcOff + i] ^ keyByte(key, p));
        }
    }

    /**
     * Copies {@code len} bytes from {@code src} at absolute index {@code srcIndex} to {@code dst} at
     * absolute index {@code dstIndex}, masking them on the way. Heap and direct buffers of either
     * byte order are supported; the source may be read-only.
     *
     * @param phase the key byte (0–3) that applies to the first byte copied
     * @throws IndexOutOfBoundsException if a range is outside its buffer's {@code [0, limit)}
     * @throws ReadOnlyBufferException if {@code dst} is read-only (nothing is changed then)
     */
    public static void maskCopy(
            ByteBuffer src, int srcIndex, ByteBuffer dst, int dstIndex, int len, int key, int phase) {
        Objects.checkFromIndexSize(srcIndex, len, src.limit());
        Objects.checkFromIndexSize(dstIndex, len, dst.limit());
        if (src.hasArray() && dst.hasArray()) {
            maskCopy(
                    src.array(),
                    src.arrayOffset() + srcIndex,
                    dst.array(),
                    dst.arrayOffset() + dstIndex,
                    len,
                    key,
                    phase);
            return;
        }
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int p = phase & 3;
        if (dst.hasArray()) {
            // A direct read buffer into a gathering array: the common way a payload that spans
            // reads is unmasked. Words go into the array in native order, so none is byte-swapped
            // when the source is in native order too.
            byte[] a = dst.array();
            int off = dst.arrayOffset() + dstIndex;
            long m = word(key, p, src.order());
            boolean swap = src.order() != NATIVE;
            int i = 0;
            for (; i <= len - 8; i += 8) {
                long v = src.getLong(srcIndex + i) ^ m;
                LONGS.set(a, off + i, swap ? Long.reverseBytes(v) : v);
            }
            for (; i < len; i++, p = (p + 1) & 3) {
                a[off + i] = (byte) (src.get(srcIndex + i) ^ keyByte(key, p));
            }
            return;
        }
        long m = word(key, p, src.order());
        // A word read in one byte order and written in the other would land reversed.
        boolean swap = src.order() != dst.order();
        int i = 0;
        for (; i <= len - 8; i += 8) {
            long v = src.getLong(srcIndex + i) ^ m;
            dst.putLong(dstIndex + i, swap ? Long.reverseBytes(v) : v);
        }
        for (; i < len; i++, p = (p + 1) & 3) {
            dst.put(dstIndex + i, (byte) (src.get(srcIndex + i) ^ keyByte(key, p)));
        }
    }

    /** The key byte for a phase. */
    static byte keyByte(int key, int phase) {
        return (byte) (key >>> (24 - 8 * phase));
    }

    /** Eight key bytes starting at {@code phase}, laid out for a long read in {@code order}. */
    static long word(int key, int phase, ByteOrder order) {
        int rotated = Integer.rotateLeft(key, 8 * phase);
        long bigEndian = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
        return order == ByteOrder.BIG_ENDIAN ? bigEndian : Long.reverseBytes(bigEndian);
    }
}
