package dev.duplex.websocket.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Prints, for each {@link DeflateData} set, its size and the compression ratio (original bytes over
 * compressed payload bytes) that Duplex and Netty reach on it, and checks that each side's output
 * decompresses back to the input with the other side's decoder. Run by {@code
 * run-deflate-bench.sh} before the JMH run.
 */
public final class DeflateRatio {

    private DeflateRatio() {}

    /** Prints one line per data set; exits with status 1 if a round trip fails. */
    public static void main(String[] args) {
        System.out.println("set          messages  avg bytes  duplex ratio  netty ratio");
        boolean ok = true;
        for (DeflateData data : DeflateData.values()) {
            List<byte[]> messages = data.messages();
            long raw = DeflateData.size(messages);
            long duplex = 0;
            long netty = 0;
            try (DeflateCodecs.Duplex d = new DeflateCodecs.Duplex();
                    DeflateCodecs.Netty n = new DeflateCodecs.Netty()) {
                for (byte[] m : messages) {
                    duplex += d.compress(m, data.binary);
                    netty += n.compress(m, data.binary);
                }
            }
            // Each side decompresses the stream the JDK's zlib made; the sizes must come back.
            try (DeflateCodecs.Duplex d = new DeflateCodecs.Duplex();
                    DeflateCodecs.Netty n = new DeflateCodecs.Netty()) {
                List<byte[]> compressed = data.compressed();
                for (int i = 0; i < compressed.size(); i++) {
                    int expected = messages.get(i).length;
                    ok &= d.decompress(compressed.get(i), data.binary) == expected;
                    ok &= n.decompress(compressed.get(i), data.binary) == expected;
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-12s %8d %10d %13.2f %12.2f%n",
                    data,
                    messages.size(),
                    raw / messages.size(),
                    (double) raw / duplex,
                    (double) raw / netty);
        }
        if (!ok) {
            System.out.println("A round trip failed");
            System.exit(1);
        }
    }
}
