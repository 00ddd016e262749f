package dev.duplex.websocket.interop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Test payloads, the same for every peer: deterministic, so a failure can be reproduced. */
final class Payloads {

    /** Message sizes at the frame-length boundaries of RFC 6455 §5.2 (7-bit, 16-bit, 64-bit), and large ones. */
    static final int[] SIZES = {0, 125, 126, 65535, 65536, 1 << 20, 16 << 20};

    /**
     * Text mixing one-, two-, three- and four-byte UTF-8 sequences (a, ü, €, 𝄞): split at any
     * small byte count, fragments cut through characters.
     */
    static final String NON_ASCII = "aü€𝄞".repeat(40) + " Grüße, 日本語, emoji 😀";

    private Payloads() {}

    /** ASCII text of exactly {@code size} bytes, never starting with the command marker. */
    static String text(int size) {
        char[] chars = new char[size];
        for (int i = 0; i < size; i++) {
            chars[i] = (char) ('a' + (i * 7 + i / 26) % 26);
        }
        return new String(chars);
    }

    /** Random (incompressible) bytes, seeded by the size. */
    static byte[] binary(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }

    /** Highly compressible text of about {@code size} bytes: a repeated sentence. */
    static String compressible(int size) {
        String sentence = "The quick brown fox jumps over the lazy dog. ";
        return sentence.repeat(size / sentence.length() + 1).substring(0, size);
    }

    /** The UTF-8 bytes of {@code text} cut into pieces of {@code size} bytes (the last may be shorter). */
    static List<byte[]> byteFragments(String text, int size) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += size) {
            pieces.add(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size)));
        }
        return pieces;
    }

    /** {@code text} cut into pieces of {@code size} code points, for peers whose fragment API takes strings. */
    static List<String> charFragments(String text, int size) {
        int[] codePoints = text.codePoints().toArray();
        List<String> pieces = new ArrayList<>();
        for (int from = 0; from < codePoints.length; from += size) {
            pieces.add(new String(codePoints, from, Math.min(codePoints.length - from, size)));
        }
        return pieces;
    }
}
