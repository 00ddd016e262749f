package dev.duplex.websocket.benchmarks;

import dev.duplex.websocket.codec.Masking;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The masking loop alone (RFC 6455 §5.3), against two references on the same heap bytes: a plain
 * memory copy, which bounds what touching every byte once can cost, and a simple long-at-a-time
 * XOR loop, which is what a masking loop should at least match.
 *
 * <p>Duplex's {@code Masking.mask} (in place) is the one to hold against {@link #xorLoop()}; its
 * {@code Masking.maskCopy} (the encoder's path, source to destination) against {@link #copy()}.
 *
 * <p>Masking is its own inverse, so masking the same array in place on every invocation does the
 * same work each time. Each benchmark returns its array so that JMH consumes it.
 *
 * <p>Throughput is in operations per second; multiply by {@code size} for bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MaskingBenchmark {

    /** Bytes masked per operation: 16 B, 1 KiB, 64 KiB, 1 MiB. */
    @Param({"16", "1024", "65536", "1048576"})
    public int size;

    /** Reads and writes 8 bytes of a {@code byte[]} at any index as one {@code long}, in native order. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    // Every field below is set by setUp() before the first invocation.
    private byte[] data;
    private byte[] copyTarget;

    /**
     * Builds the bytes to mask and the copy's destination, and checks every masking loop against
     * a byte-at-a-time one, so that no benchmark measures a loop that masks wrongly.
     *
     * @throws IllegalStateException if a loop masks differently
     */
    @Setup(Level.Trial)
    public void setUp() {
        data = Payloads.payload(size);
        copyTarget = new byte[size];
        byte[] expected = Payloads.masked(data, Payloads.MASK_KEY);

        byte[] bytes = data.clone();
        xorInPlace(bytes, Payloads.MASK_KEY);
        requireSame("the XOR loop", expected, bytes);
        bytes = data.clone();
        Masking.mask(bytes, 0, size, Payloads.MASK_KEY, 0);
        requireSame("Masking.mask", expected, bytes);
        bytes = new byte[size];
        Masking.maskCopy(data, 0, bytes, 0, size, Payloads.MASK_KEY, 0);
        requireSame("Masking.maskCopy", expected, bytes);
    }

    private static void requireSame(String loop, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException(loop + " masked " + actual.length + " bytes wrongly");
        }
    }

    /** Duplex's in-place masking, as its decoder unmasks a payload that lies whole in the input. */
    @Benchmark
    public byte[] duplexMask() {
        Masking.mask(data, 0, size, Payloads.MASK_KEY, 0);
        return data;
    }

    /** Duplex's masking copy, as its client encoder masks a payload into the output. */
    @Benchmark
    public byte[] duplexMaskCopy() {
        Masking.maskCopy(data, 0, copyTarget, 0, size, Payloads.MASK_KEY, 0);
        return copyTarget;
    }

    /** Reference: {@code System.arraycopy} of the same number of bytes, no XOR. */
    @Benchmark
    public byte[] copy() {
        System.arraycopy(data, 0, copyTarget, 0, size);
        return copyTarget;
    }

    /** Reference: XOR in place with the key repeated to 64 bits, a long at a time, then a byte at a time. */
    @Benchmark
    public byte[] xorLoop() {
        xorInPlace(data, Payloads.MASK_KEY);
        return data;
    }

    /** The reference loop: no alignment, no unrolling, no tricks. */
    static void xorInPlace(byte[] bytes, int key) {
        // Key byte 0 must meet the lowest address: the key repeated twice, big-endian, then laid
        // out for native-order loads.
        long wideKey = (key & 0xFFFF_FFFFL) | ((long) key << 32);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            wideKey = Long.reverseBytes(wideKey);
        }
        int i = 0;
        for (int end = bytes.length - 7; i < end; i += 8) {
            LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ wideKey);
        }
        for (; i < bytes.length; i++) {
            bytes[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
    }
}
