package dev.duplex.websocket.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prints the side-by-side view of a codec benchmark run from JMH's JSON results
 * ({@code -rf json}): frames per second and payload bytes per second of each implementation,
 * Duplex divided by the faster of Netty and Jetty for every size, and the masking loop divided by
 * the long-at-a-time XOR loop, each next to the target of issue 2.
 *
 * <p>Each ratio is given twice: of the means (what JMH reports), and of the peaks, the best
 * measured iteration of each side. On a machine shared with other work the peaks are the steadier
 * estimate of what the code can do, since load from elsewhere only ever slows an iteration down.
 * The verdict uses the means.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.duplex.websocket.benchmarks.BenchmarkRatios results.json}.
 * A benchmark missing from the file (a partial run) shows as {@code -}. Exits with 2 on a
 * missing or malformed file; the targets never change the exit status, since a benchmark is a
 * measurement, not a test.
 */
public final class BenchmarkRatios {

    private static final int[] SIZES = {16, 1024, 65536, 1048576};
    /** Smallest payload at which the masking target applies. */
    private static final int MASKING_TARGET_FROM = 65536;

    private static final String CODEC_ROW = "%-8s %22s %22s %22s %13s %7s %7s%n";
    private static final String MASKING_ROW = "%-8s %22s %22s %9s %7s %7s %22s %22s %9s%n";

    private final Map<String, Score> scores;
    private final PrintStream out;

    private BenchmarkRatios(Map<String, Score> scores, PrintStream out) {
        this.scores = scores;
        this.out = out;
    }

    /**
     * Reads the JSON file named by the single argument and prints the report to standard output.
     *
     * @param args the path of a JMH JSON result file
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BenchmarkRatios <jmh-results.json>");
            System.exit(2);
        }
        Map<String, Score> scores;
        try {
            scores = read(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("Cannot read " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        new BenchmarkRatios(scores, System.out).print();
    }

    /**
     * One throughput result, in operations per second.
     *
     * @param mean JMH's score
     * @param error JMH's 99.9% confidence half-width, NaN for a single iteration
     * @param peak the best measured iteration of every fork
     */
    record Score(double mean, double error, double peak) {}

    /**
     * Extracts the throughput results, keyed by {@link #key}.
     *
     * @throws IllegalArgumentException if the text is not JMH's JSON
     */
    static Map<String, Score> read(String json) {
        Map<String, Score> scores = new HashMap<>();
        if (!(JsonReader.parse(json) instanceof List<?> runs)) {
            throw new IllegalArgumentException("Not JMH's JSON: the document is not an array");
        }
        for (Object run : runs) {
            if (!(run instanceof Map<?, ?> result)
                    || !(result.get("benchmark") instanceof String benchmark)
                    || !(result.get("params") instanceof Map<?, ?> params)
                    || !(params.get("size") instanceof String size)
                    || !(result.get("primaryMetric") instanceof Map<?, ?> metric)
                    || !"ops/s".equals(metric.get("scoreUnit"))) {
                continue;
            }
            String[] parts = benchmark.split("\\.");
            if (parts.length < 2) {
                continue;
            }
            double mean = number(metric.get("score"));
            double peak = mean;
            if (metric.get("rawData") instanceof List<?> forks) {
                for (Object fork : forks) {
                    if (fork instanceof List<?> iterations) {
                        for (Object iteration : iterations) {
                            peak = Math.max(peak, number(iteration));
                        }
                    }
                }
            }
            String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
            scores.put(key(name, Integer.parseInt(size)), new Score(mean, number(metric.get("scoreError")), peak));
        }
        return scores;
    }

    /** The map key of benchmark {@code Class.method} at {@code size}. */
    static String key(String benchmark, int size) {
        return benchmark + "@" + size;
    }

    private static double number(@Nullable Object value) {
        return value instanceof Double d ? d : Double.NaN;
    }

    private void print() {
        codecTable("Decode: one masked binary frame, server side, with unmasking", "FrameDecodeBenchmark");
        codecTable("Encode: one binary frame, client side, fresh key, masked", "FrameEncodeBenchmark");
        maskingTable();
        out.println();
        out.println("Cells: mean ops/s, +-% (JMH's 99.9% confidence half-width), payload GB/s (ops/s x size / 1e9).");
        out.println("Ratios: of the means, and of the peaks (best iteration of each side); verdicts use the means.");
    }

    private void codecTable(String title, String benchmark) {
        out.println();
        out.println(title);
        out.println("  target: Duplex / the faster of Netty and Jetty >= 1.5x at 16 B, >= 1.0x at every other size");
        out.printf(Locale.ROOT, CODEC_ROW, "size", "Duplex", "Netty", "Jetty", "Duplex/best", "peak", "target");
        for (int size : SIZES) {
            Score duplex = scores.get(key(benchmark + ".duplex", size));
            Score netty = scores.get(key(benchmark + ".netty", size));
            Score jetty = scores.get(key(benchmark + ".jetty", size));
            String meanRatio = "-";
            String peakRatio = "-";
            String verdict = "-";
            if (duplex != null && netty != null && jetty != null) {
                boolean nettyFaster = netty.mean() >= jetty.mean();
                double ratio = duplex.mean() / Math.max(netty.mean(), jetty.mean());
                meanRatio = String.format(Locale.ROOT, "%.2fx %s", ratio, nettyFaster ? "Netty" : "Jetty");
                peakRatio = String.format(Locale.ROOT, "%.2fx", duplex.peak() / Math.max(netty.peak(), jetty.peak()));
                verdict = ratio >= (size == 16 ? 1.5 : 1.0) ? "met" : "MISSED";
            }
            out.printf(
                    Locale.ROOT,
                    CODEC_ROW,
                    sizeName(size),
                    cell(duplex, size),
                    cell(netty, size),
                    cell(jetty, size),
                    meanRatio,
                    peakRatio,
                    verdict);
        }
    }

    private void maskingTable() {
        out.println();
        out.println("Masking alone, in place (Masking.mask) and source to destination (Masking.maskCopy)");
        out.println("  target: Masking.mask / the long-at-a-time XOR loop >= 0.90x from 64 KiB");
        out.printf(
                Locale.ROOT,
                MASKING_ROW,
                "size",
                "Masking.mask",
                "long XOR loop",
                "mask/xor",
                "peak",
                "target",
                "Masking.maskCopy",
                "arraycopy",
                "copy/cpy");
        for (int size : SIZES) {
            Score mask = scores.get(key("MaskingBenchmark.duplexMask", size));
            Score xor = scores.get(key("MaskingBenchmark.xorLoop", size));
            Score maskCopy = scores.get(key("MaskingBenchmark.duplexMaskCopy", size));
            Score copy = scores.get(key("MaskingBenchmark.copy", size));
            String verdict = "-";
            if (size >= MASKING_TARGET_FROM && mask != null && xor != null) {
                verdict = mask.mean() / xor.mean() >= 0.90 ? "met" : "MISSED";
            }
            out.printf(
                    Locale.ROOT,
                    MASKING_ROW,
                    sizeName(size),
                    cell(mask, size),
                    cell(xor, size),
                    ratio(mask, xor, false),
                    ratio(mask, xor, true),
                    verdict,
                    cell(maskCopy, size),
                    cell(copy, size),
                    ratio(maskCopy, copy, false));
        }
    }

    private static String cell(@Nullable Score score, int size) {
        if (score == null) {
            return "-";
        }
        double ops = score.mean();
        // A single measured iteration has no confidence interval: JMH writes NaN.
        String error = Double.isNaN(score.error())
                ? "     "
                : String.format(Locale.ROOT, "+-%2.0f%%", Math.min(99, 100 * score.error() / ops));
        return String.format(Locale.ROOT, "%s %s %6.2f", shortNumber(ops), error, ops * size / 1e9);
    }

    private static String ratio(@Nullable Score a, @Nullable Score b, boolean peaks) {
        if (a == null || b == null) {
            return "-";
        }
        double ratio = peaks ? a.peak() / b.peak() : a.mean() / b.mean();
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String shortNumber(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%7.2fM", value / 1e6);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%7.2fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%8.1f", value);
    }

    private static String sizeName(int size) {
        if (size >= 1 << 20) {
            return (size >> 20) + " MiB";
        }
        if (size >= 1 << 10) {
            return (size >> 10) + " KiB";
        }
        return size + " B";
    }
}
