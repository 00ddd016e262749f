package dev.duplex.websocket.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * The messages the permessage-deflate benchmarks compress and decompress, made the same way on
 * every run (fixed seeds), and their compressed form as a peer with context takeover sends it.
 */
public enum DeflateData {
    /** 512 JSON chat messages of about 100 to 300 bytes, as a chat room's traffic. */
    CHAT(false) {
        @Override
        List<byte[]> messages() {
            Random r = new Random(42);
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < 512; i++) {
                String json = "{\"type\":\"message\",\"room\":\"room-" + r.nextInt(8) + "\",\"user\":\"user-"
                        + r.nextInt(500) + "\",\"ts\":" + (1_700_000_000_000L + i * 1_337L) + ",\"text\":\""
                        + words(r, 40 + r.nextInt(200)) + "\"}";
                out.add(json.getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }
    },
    /** 32 JSON documents of 16 KiB: arrays of records, as an API's responses. */
    JSON_16K(false) {
        @Override
        List<byte[]> messages() {
            Random r = new Random(43);
            List<byte[]> out = new ArrayList<>();
            for (int d = 0; d < 32; d++) {
                StringBuilder b = new StringBuilder("[");
                int id = 0;
                while (b.length() < 16 * 1024 - 200) {
                    b.append(id == 0 ? "" : ",")
                            .append("{\"id\":")
                            .append(d * 1000 + id++)
                            .append(",\"name\":\"")
                            .append(words(r, 10 + r.nextInt(20)))
                            .append("\",\"price\":")
                            .append(r.nextInt(100_000) / 100.0)
                            .append(",\"inStock\":")
                            .append(r.nextBoolean())
                            .append(",\"tags\":[\"")
                            .append(WORDS[r.nextInt(WORDS.length)])
                            .append("\",\"")
                            .append(WORDS[r.nextInt(WORDS.length)])
                            .append("\"]}");
                }
                b.append(']');
                out.add(Arrays.copyOf(b.toString().getBytes(StandardCharsets.UTF_8), 16 * 1024));
            }
            return out;
        }
    },
    /** 32 messages of 16 KiB of random bytes, which do not compress. */
    RANDOM_16K(true) {
        @Override
        List<byte[]> messages() {
            Random r = new Random(44);
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] b = new byte[16 * 1024];
                r.nextBytes(b);
                out.add(b);
            }
            return out;
        }
    };

    private static final String[] WORDS = {
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "lazy",
        "dog",
        "hello",
        "world",
        "meeting",
        "tomorrow",
        "at",
        "noon",
        "see",
        "you",
        "there",
        "thanks",
        "great",
        "idea",
        "let's",
        "ship",
        "it",
        "today",
        "release",
        "build",
        "passed",
        "coffee",
        "lunch",
        "anyone",
        "review",
        "please",
        "merged",
        "done",
        "ok",
        "sure",
        "why",
        "not",
        "weekend",
        "plans",
        "deploy",
        "rollback",
        "alert",
        "fixed",
        "bug",
        "feature",
        "design",
        "doc"
    };

    /** The compression level both implementations use: zlib's default. */
    static final int LEVEL = 6;

    final boolean binary;

    DeflateData(boolean binary) {
        this.binary = binary;
    }

    /** The messages, in the order they are sent. */
    abstract List<byte[]> messages();

    /**
     * The messages as a peer with context takeover compresses them, in order (RFC 7692 §7.2.1):
     * one raw DEFLATE stream, sync-flushed after each message, the trailing {@code 00 00 ff ff}
     * removed. Made with the JDK's zlib directly, so that neither implementation compressed it.
     */
    List<byte[]> compressed() {
        Deflater d = new Deflater(LEVEL, true);
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[64 * 1024];
        for (byte[] m : messages()) {
            d.setInput(m);
            int n = 0;
            while (true) {
                n += d.deflate(buf, n, buf.length - n, Deflater.SYNC_FLUSH);
                if (n < buf.length) {
                    break;
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            out.add(Arrays.copyOf(buf, n - 4));
        }
        d.end();
        return out;
    }

    /** Total bytes of {@code messages}. */
    static long size(List<byte[]> messages) {
        long total = 0;
        for (byte[] m : messages) {
            total += m.length;
        }
        return total;
    }

    private static String words(Random r, int length) {
        StringBuilder b = new StringBuilder(length + 12);
        while (b.length() < length) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }
}
