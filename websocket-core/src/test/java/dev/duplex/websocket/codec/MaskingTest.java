package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingTest {

    private static final int KEY = 0x37fa213d; // the key of RFC 6455 §5.7
    private static final int SPAN = 15 + 64 + 16;

    @Test
    void masksTheRfcExample() {
        byte[] hello = Hex.bytes("48656c6c6f"); // "Hello"

        Masking.mask(hello, 0, 5, KEY, 0);

        assertThat(Hex.of(hello)).isEqualTo("7f9f4d5158");
    }

    @Test
    void maskingTwiceRestoresTheInput() {
        byte[] data = random(1000, 1);
        byte[] original = data.clone();

        Masking.mask(data, 3, 990, KEY, 2);
        assertThat(data).isNotEqualTo(original);
        Masking.mask(data, 3, 990, KEY, 2);

        assertThat(data).isEqualTo(original);
    }

    @Test
    void masksArraysAtEveryOffsetLengthAndPhase() {
        forEveryCase((offset, length, phase, key, source) -> {
            byte[] actual = source.clone();
            Masking.mask(actual, offset, length, key, phase);
            assertThat(actual)
                    .as("offset %d length %d phase %d", offset, length, phase)
                    .isEqualTo(reference(source, offset, length, key, phase));
        });
    }

    @Test
    void masksHeapAndDirectBuffersOfBothOrdersAtEveryOffsetLengthAndPhase() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean direct : new boolean[] {false, true}) {
                forEveryCase((offset, length, phase, key, source) -> {
                    ByteBuffer buffer = filled(source, direct, order);
                    Masking.mask(buffer, offset, length, key, phase);
                    assertThat(contents(buffer))
                            .as(
                                    "%s %s offset %d length %d phase %d",
                                    direct ? "direct" : "heap", order, offset, length, phase)
                            .isEqualTo(reference(source, offset, length, key, phase));
                    assertThat(buffer.position()).isZero();
                });
            }
        }
    }

    @Test
    void masksASliceWhoseArrayOffsetIsNotZero() {
        byte[] source = random(40, 3);
        ByteBuffer slice = ByteBuffer.wrap(source.clone()).position(5).slice();

        Masking.mask(slice, 2, 30, KEY, 1);

        byte[] expected = reference(source, 7, 30, KEY, 1);
        assertThat(slice.array()).isEqualTo(expected);
    }

    @Test
    void copiesWhileMaskingArraysAtEveryOffsetLengthAndPhase() {
        forEveryCase((offset, length, phase, key, source) -> {
            byte[] before = source.clone();
            byte[] target = new byte[SPAN];
            int targetOffset = (offset * 7) % 16;
            Masking.maskCopy(source, offset, target, targetOffset, length, key, phase);
            assertThat(source).isEqualTo(before);
            assertThat(target).isEqualTo(copyReference(source, offset, targetOffset, length, key, phase));
        });
    }

    @Test
    void copiesWhileMaskingBetweenEveryKindOfBuffer() {
        Object[][] kinds = {
            {false, ByteOrder.BIG_ENDIAN},
            {true, ByteOrder.BIG_ENDIAN},
            {true, ByteOrder.LITTLE_ENDIAN},
            {false, ByteOrder.LITTLE_ENDIAN}
        };
        for (Object[] from : kinds) {
            for (Object[] to : kinds) {
                forEveryCase((offset, length, phase, key, source) -> {
                    ByteBuffer src = filled(source, (boolean) from[0], (ByteOrder) from[1]);
                    ByteBuffer dst = filled(new byte[SPAN], (boolean) to[0], (ByteOrder) to[1]);
                    int targetOffset = (offset * 7) % 16;
                    Masking.maskCopy(src, offset, dst, targetOffset, length, key, phase);
                    assertThat(contents(dst))
                            .as("%s -> %s offset %d length %d phase %d", from[1], to[1], offset, length, phase)
                            .isEqualTo(copyReference(source, offset, targetOffset, length, key, phase));
                });
            }
        }
    }

    @Test
    void copiesFromAReadOnlySource() {
        byte[] source = random(50, 4);
        ByteBuffer dst = ByteBuffer.allocate(50);

        Masking.maskCopy(ByteBuffer.wrap(source).asReadOnlyBuffer(), 0, dst, 0, 50, KEY, 0);

        assertThat(dst.array()).isEqualTo(reference(source, 0, 50, KEY, 0));
    }

    @Test
    void refusesAReadOnlyBufferWithoutChangingIt() {
        byte[] data = random(32, 5);
        ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();

        assertThatThrownBy(() -> Masking.mask(readOnly, KEY)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(data).isEqualTo(random(32, 5));
    }

    @Test
    void refusesARangeOutsideTheBuffer() {
        assertThatThrownBy(() -> Masking.mask(new byte[8], 4, 5, KEY, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Masking.mask(ByteBuffer.allocate(16).limit(8), 0, 9, KEY, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void masksFromPositionToLimitWithTheWholeBufferVariant() {
        ByteBuffer buffer =
                ByteBuffer.wrap(Hex.bytes("0048656c6c6f00")).position(1).limit(6); // "Hello" between zeros

        Masking.mask(buffer, KEY);

        assertThat(Hex.of(buffer.array())).isEqualTo("007f9f4d515800");
    }

    private interface Case {
        void check(int offset, int length, int phase, int key, byte[] source);
    }

    /** Offsets 0..15 x lengths 0..64 x phases 0..3, with bytes around the range to catch overruns. */
    private static void forEveryCase(Case check) {
        Random random = new Random(42);
        byte[] source = random(SPAN, 6);
        for (int offset = 0; offset < 16; offset++) {
            for (int length = 0; length <= 64; length++) {
                for (int phase = 0; phase < 4; phase++) {
                    check.check(offset, length, phase, random.nextInt() | 0x01010101, source);
                }
            }
        }
    }

    /** Byte at a time, straight from RFC 6455 §5.3. */
    private static byte[] reference(byte[] source, int offset, int length, int key, int phase) {
        byte[] result = source.clone();
        for (int i = 0; i < length; i++) {
            int j = (phase + i) % 4;
            result[offset + i] = (byte) (source[offset + i] ^ (key >>> (24 - 8 * j)));
        }
        return result;
    }

    private static byte[] copyReference(byte[] source, int offset, int targetOffset, int length, int key, int phase) {
        byte[] result = new byte[SPAN];
        byte[] masked = reference(source, offset, length, key, phase);
        System.arraycopy(masked, offset, result, targetOffset, length);
        return result;
    }

    private static ByteBuffer filled(byte[] source, boolean direct, ByteOrder order) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(source.length) : ByteBuffer.allocate(source.length);
        buffer.put(source).clear();
        return buffer.order(order);
    }

    private static byte[] contents(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.get(0, bytes);
        return bytes;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
