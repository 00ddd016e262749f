package dev.duplex.websocket.benchmarks;

import java.util.List;
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
 * Permessage-deflate throughput of Duplex and Netty 4.2.18 on the same messages, in one run.
 *
 * <p>Each invocation plays one connection's traffic: a fresh extension (as a new connection has)
 * compresses, or decompresses, the whole sequence of a {@link DeflateData} set in order, with
 * context takeover. The score is time per sequence; messages per second and MB/s follow from the
 * set's size ({@code run-deflate-bench.sh} prints them, with each side's compression ratio from
 * {@link DeflateRatio}). Decompression reads the same bytes for both: the sequence compressed
 * once with the JDK's zlib at level 6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PerMessageDeflateBenchmark {

    @Param({"CHAT", "JSON_16K", "RANDOM_16K"})
    public DeflateData data;

    private List<byte[]> messages;
    private List<byte[]> compressed;

    @Setup(Level.Trial)
    public void setUp() {
        messages = data.messages();
        compressed = data.compressed();
    }

    @Benchmark
    public long duplexCompress() {
        long total = 0;
        try (DeflateCodecs.Duplex d = new DeflateCodecs.Duplex()) {
            for (byte[] m : messages) {
                total += d.compress(m, data.binary);
            }
        }
        return total;
    }

    @Benchmark
    public long nettyCompress() {
        long total = 0;
        try (DeflateCodecs.Netty n = new DeflateCodecs.Netty()) {
            for (byte[] m : messages) {
                total += n.compress(m, data.binary);
            }
        }
        return total;
    }

    @Benchmark
    public long duplexDecompress() {
        long total = 0;
        try (DeflateCodecs.Duplex d = new DeflateCodecs.Duplex()) {
            for (byte[] c : compressed) {
                total += d.decompress(c, data.binary);
            }
        }
        return total;
    }

    @Benchmark
    public long nettyDecompress() {
        long total = 0;
        try (DeflateCodecs.Netty n = new DeflateCodecs.Netty()) {
            for (byte[] c : compressed) {
                total += n.decompress(c, data.binary);
            }
        }
        return total;
    }
}
