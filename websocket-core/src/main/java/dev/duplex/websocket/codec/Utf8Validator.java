package dev.duplex.websocket.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * An incremental validator of UTF-8 as RFC 3629 defines it (RFC 6455 §8.1 requires it of text
 * messages and close reasons). It keeps its state across calls, so a code point may be split
 * across fragments and buffers, and reports the first byte that cannot continue a well-formed
 * string as soon as it is seen. It rejects overlong forms, surrogates (U+D800–U+DFFF), code points
 * above U+10FFFF, stray continuation bytes and the bytes 0xC0, 0xC1 and 0xF5–0xFF; a sequence cut
 * off at the end of the input shows as {@link #isComplete()} returning false.
 *
 * <p>Runs of ASCII are checked eight bytes at a time. Not thread-safe; one instance per message
 * stream, {@link #reset()} between messages. After a failure the state is undefined until
 * {@link #reset()}.
 */
public final class Utf8Validator {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Continuation bytes still expected by the current sequence; 0 between code points. */
    private int need;
    /** Inclusive bounds of the next continuation byte (narrower right after some lead bytes). */
    private int lo = 0x80;

    private int hi = 0xBF;
    /** Length of the current sequence, lead byte included; meaningful while {@code need > 0}. */
    private int sequenceLength;

    /** Forgets any partial code point, ready for a new message. */
    public void reset() {
        need = 0;
        lo = 0x80;
        hi = 0xBF;
        sequenceLength = 0;
    }

    /** Whether the bytes seen so far end on a code point boundary. */
    public boolean isComplete() {
        return need == 0;
    }

    /**
     * How many bytes at the end of the input seen so far belong to a code point not yet complete
     * (0–3). They may have arrived in earlier calls.
     */
    public int pendingBytes() {
        return need == 0 ? 0 : sequenceLength - need;
    }

    /**
     * Validates {@code len} more bytes of {@code a} from {@code off}.
     *
     * @return -1 if the bytes continue a well-formed string, otherwise the index in {@code a} of the
     *     first byte that cannot
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public int validate(byte[] a, int off, int len) {
        Objects.checkFromIndexSize(off, len, a.length);
        int end = off + len;
        int i = off;
        while (i < end) {
            if (need == 0) {
                while (i <= end - 8 && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                while (i < end && a[i] >= 0) {
                    i++;
                }
                if (i == end) {
                    return -1;
                }
            }
            if (!accept(a[i] & 0xFF)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Validates {@code len} more bytes of {@code buf} from absolute index {@code index}, without
     * moving its position; heap and direct buffers are supported.
     *
     * @return -1 if the bytes continue a well-formed string, otherwise the absolute index of the
     *     first byte that cannot
     * @throws IndexOutOfBoundsException if the range is outside {@code [0, limit)}
     */
    public int validate(ByteBuffer buf, int index, int len) {
        Objects.checkFromIndexSize(index, len, buf.limit());
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            int bad = validate(buf.array(), base + index, len);
            return bad < 0 ? -1 : bad - base;
        }
        int end = index + len;
        int i = index;
        while (i < end) {
            if (need == 0) {
                while (i <= end - 8 && (buf.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                while (i < end && buf.get(i) >= 0) {
                    i++;
                }
                if (i == end) {
                    return -1;
                }
            }
            if (!accept(buf.get(i) & 0xFF)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Validates the bytes between the buffer's position and limit; see {@link #validate(ByteBuffer, int, int)}. */
    public int validate(ByteBuffer buf) {
        return validate(buf, buf.position(), buf.remaining());
    }

    /** Whether {@code len} bytes of {@code a} from {@code off} are a whole well-formed UTF-8 string. */
    public static boolean isValid(byte[] a, int off, int len) {
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(a, off, len) < 0 && validator.isComplete();
    }

    /** Whether the bytes between the buffer's position and limit are a whole well-formed string. */
    public static boolean isValid(ByteBuffer buf) {
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(buf) < 0 && validator.isComplete();
    }

    /** Advances over one byte; the bounds follow the table of well-formed sequences in Unicode §3.9. */
    private boolean accept(int b) {
        if (need > 0) {
            if (b < lo || b > hi) {
                return false;
            }
            need--;
            lo = 0x80;
            hi = 0xBF;
            return true;
        }
        if (b < 0x80) {
            return true;
        }
        if (b < 0xC2) {
            // A stray continuation byte, or 0xC0/0xC1 which could only start an overlong form.
            return false;
        }
        if (b < 0xE0) {
            need = 1;
            sequenceLength = 2;
        } else if (b < 0xF0) {
            need = 2;
            sequenceLength = 3;
            if (b == 0xE0) {
                lo = 0xA0; // below: overlong
            } else if (b == 0xED) {
                hi = 0x9F; // above: a surrogate
            }
        } else if (b < 0xF5) {
            need = 3;
            sequenceLength = 4;
            if (b == 0xF0) {
                lo = 0x90; // below: overlong
            } else if (b == 0xF4) {
                hi = 0x8F; // above: beyond U+10FFFF
            }
        } else {
            return false;
        }
        return true;
    }
}
