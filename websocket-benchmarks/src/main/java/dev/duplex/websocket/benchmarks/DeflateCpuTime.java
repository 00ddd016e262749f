package dev.duplex.websocket.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The same four operations as {@link PerMessageDeflateBenchmark}, timed in CPU time of the
 * measuring thread rather than wall time, as a cross-check on a machine that other work shares:
 * waiting for a core does not count, so the figures barely move with the machine's load. Each
 * operation runs in rounds of 200 ms of CPU time, interleaved (Duplex, Netty, Duplex, …) so that
 * both sides see the same conditions; it prints the median and the spread (min–max) per sequence.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.duplex.websocket.benchmarks.DeflateCpuTime [rounds]}
 * (9 rounds by default, about 30 seconds).
 */
public final class DeflateCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long ROUND_NANOS = 200_000_000L;

    private DeflateCpuTime() {}

    /** Runs every data set and prints one line per operation; the argument is the round count. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        System.out.println(
                "set        operation   duplex us (min-max)         netty us (min-max)          speed duplex/netty");
        for (DeflateData data : DeflateData.values()) {
            List<byte[]> messages = data.messages();
            List<byte[]> compressed = data.compressed();
            LongSupplier duplexCompress = () -> {
                long total = 0;
                try (DeflateCodecs.Duplex d = new DeflateCodecs.Duplex()) {
                    for (byte[] m : messages) {
                        total += d.compress(m, data.binary);
                    }
                }
                return total;
            };
            LongSupplier nettyCompress = () -> {
                long total = 0;
                try (DeflateCodecs.Netty n = new DeflateCodecs.Netty()) {
                    for (byte[] m : messages) {
                        total += n.compress(m, data.binary);
                    }
                }
                return total;
            };
            LongSupplier duplexDecompress = () -> {
                long total = 0;
                try (DeflateCodecs.Duplex d = new DeflateCodecs.Duplex()) {
                    for (byte[] c : compressed) {
                        total += d.decompress(c, data.binary);
                    }
                }
                return total;
            };
            LongSupplier nettyDecompress = () -> {
                long total = 0;
                try (DeflateCodecs.Netty n = new DeflateCodecs.Netty()) {
                    for (byte[] c : compressed) {
                        total += n.decompress(c, data.binary);
                    }
                }
                return total;
            };
            compare(data, "compress", duplexCompress, nettyCompress, rounds);
            compare(data, "decompress", duplexDecompress, nettyDecompress, rounds);
        }
    }

    private static void compare(DeflateData data, String what, LongSupplier duplex, LongSupplier netty, int rounds) {
        long sink = 0;
        for (int i = 0; i < 20; i++) { // warm-up: let the JIT compile both paths
            sink += duplex.getAsLong() + netty.getAsLong();
        }
        double[] d = new double[rounds];
        double[] n = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            d[r] = microsPerRun(duplex);
            n[r] = microsPerRun(netty);
        }
        Arrays.sort(d);
        Arrays.sort(n);
        double dm = d[rounds / 2];
        double nm = n[rounds / 2];
        System.out.printf(
                Locale.ROOT,
                "%-10s %-11s %9.1f (%7.1f-%7.1f)   %9.1f (%7.1f-%7.1f)   %5.2fx%s%n",
                data,
                what,
                dm,
                d[0],
                d[rounds - 1],
                nm,
                n[0],
                n[rounds - 1],
                nm / dm,
                sink == 42 ? " " : "");
    }

    private static double microsPerRun(LongSupplier op) {
        long start = THREADS.getCurrentThreadCpuTime();
        long runs = 0;
        long sink = 0;
        while (THREADS.getCurrentThreadCpuTime() - start < ROUND_NANOS) {
            sink += op.getAsLong();
            runs++;
        }
        double micros = (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / runs;
        return sink == 42 ? micros + 1e-9 : micros;
    }
}
