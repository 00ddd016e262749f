package dev.duplex.websocket.codec;

import static dev.duplex.websocket.codec.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PerMessageDeflateTest {

    private static final DeflateOptions ALWAYS =
            DeflateOptions.builder().compressionThreshold(0).build();

    private final PerMessageDeflate server = new PerMessageDeflate(Role.SERVER, false, false, ALWAYS);
    private final PerMessageDeflate client = new PerMessageDeflate(Role.CLIENT, false, false, ALWAYS);

    @Test
    void compressesHelloAsRfc7692Section7231() {
        Extension.Encoded e = server.encode(Opcode.TEXT, utf8("Hello"));

        assertThat(e.rsv()).isEqualTo(Frame.RSV1);
        assertThat(Hex.of(e.payload())).isEqualTo("f248cdc9c90700");
    }

    @Test
    void sharesTheWindowWithTheNextMessageAsRfc7692Section7232() {
        server.encode(Opcode.TEXT, utf8("Hello"));

        Extension.Encoded second = server.encode(Opcode.TEXT, utf8("Hello"));

        assertThat(Hex.of(second.payload())).isEqualTo("f200110000");
    }

    @Test
    void decompressesEveryRfc7692Example() {
        assertThat(text(client, "f248cdc9c90700")).isEqualTo("Hello"); // §7.2.3.1
        assertThat(text(client, "f200110000")).isEqualTo("Hello"); // §7.2.3.2, back reference into the last message
        assertThat(text(client, "0005 00faff 48656c6c6f 00")).isEqualTo("Hello"); // §7.2.3.3 stored block
        assertThat(text(client, "f348cdc9c90700")).isEqualTo("Hello"); // §7.2.3.4 BFINAL set
        assertThat(text(client, "f248050000 00ffff cac9c90700")).isEqualTo("Hello"); // §7.2.3.5 two blocks
        assertThat(text(client, "00")).isEmpty(); // §7.2.3.6 empty message
    }

    @Test
    void compressesAnEmptyMessageToOneZeroByteAsRfc7692Section7236() {
        Extension.Encoded e = server.encode(Opcode.BINARY, ByteBuffer.allocate(0));

        assertThat(e.rsv()).isEqualTo(Frame.RSV1);
        assertThat(Hex.of(e.payload())).isEqualTo("00");
    }

    @Test
    void roundTripsMessagesOfManySizesWithContextTakeover() {
        Random random = new Random(7);
        for (int size : new int[] {1, 2, 31, 32, 100, 1000, 4095, 65_536, 300_000}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : 'a' + i % 7);
            }
            Extension.Encoded e = client.encode(Opcode.BINARY, ByteBuffer.wrap(data));

            ByteBuffer back = server.decode(Opcode.BINARY, e.rsv(), e.payload(), size);

            assertThat(bytes(back)).as("size %d", size).isEqualTo(data);
        }
    }

    @Test
    void roundTripsIncompressibleData() {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);

        Extension.Encoded e = server.encode(Opcode.BINARY, ByteBuffer.wrap(data));

        assertThat(e.rsv()).isEqualTo(Frame.RSV1); // with context takeover even a useless compression is sent
        assertThat(bytes(client.decode(Opcode.BINARY, e.rsv(), e.payload(), data.length)))
                .isEqualTo(data);
    }

    @Test
    void leavesThePayloadUntouched() {
        ByteBuffer payload = utf8("Hello, Hello, Hello");
        int position = payload.position();

        server.encode(Opcode.TEXT, payload);

        assertThat(payload.position()).isEqualTo(position);
        assertThat(StandardCharsets.UTF_8.decode(payload).toString()).isEqualTo("Hello, Hello, Hello");
    }

    @Test
    void sendsMessagesBelowTheThresholdAsTheyAre() {
        PerMessageDeflate ext = new PerMessageDeflate(Role.SERVER, false, false, DeflateOptions.defaults());
        ByteBuffer small = utf8("a".repeat(DeflateOptions.DEFAULT_COMPRESSION_THRESHOLD - 1));

        Extension.Encoded e = ext.encode(Opcode.TEXT, small);
        Extension.Encoded big = ext.encode(Opcode.TEXT, utf8("a".repeat(DeflateOptions.DEFAULT_COMPRESSION_THRESHOLD)));

        assertThat(e.rsv()).isZero();
        assertThat(e.payload()).isSameAs(small);
        assertThat(big.rsv()).isEqualTo(Frame.RSV1);
    }

    @Test
    void resetsTheContextAfterEveryMessageWithoutContextTakeover() {
        PerMessageDeflate noTakeover = new PerMessageDeflate(Role.SERVER, true, false, ALWAYS);
        String json = "{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hello there\"}";

        int first = noTakeover.encode(Opcode.TEXT, utf8(json)).payload().remaining();
        ByteBuffer second = noTakeover.encode(Opcode.TEXT, utf8(json)).payload();
        int kept = server.encode(Opcode.TEXT, utf8(json)).payload().remaining();
        int keptSecond = server.encode(Opcode.TEXT, utf8(json)).payload().remaining();

        assertThat(second.remaining()).isEqualTo(first);
        assertThat(keptSecond).isLessThan(kept / 3);
        // A fresh inflater, as a peer without context has, reads the second message alone.
        PerMessageDeflate fresh = new PerMessageDeflate(Role.CLIENT, true, false, ALWAYS);
        assertThat(StandardCharsets.UTF_8
                        .decode(fresh.decode(Opcode.TEXT, 4, second, 1000))
                        .toString())
                .isEqualTo(json);
    }

    @Test
    void sendsAMessageThatWouldGrowUncompressedWithoutContextTakeover() {
        PerMessageDeflate noTakeover = new PerMessageDeflate(Role.CLIENT, false, true, ALWAYS);
        byte[] random = new byte[2000];
        new Random(3).nextBytes(random);
        ByteBuffer payload = ByteBuffer.wrap(random);

        Extension.Encoded e = noTakeover.encode(Opcode.BINARY, payload);

        assertThat(e.rsv()).isZero();
        assertThat(e.payload()).isSameAs(payload);
    }

    @Test
    void inflatesWithoutContextWhenThePeerKeepsNone() {
        PerMessageDeflate peer = new PerMessageDeflate(Role.SERVER, true, false, ALWAYS);
        PerMessageDeflate me = new PerMessageDeflate(Role.CLIENT, true, false, ALWAYS);
        String text = "Hello Hello Hello Hello Hello Hello";
        for (int i = 0; i < 3; i++) {
            Extension.Encoded e = peer.encode(Opcode.TEXT, utf8(text));
            assertThat(e.rsv()).isEqualTo(Frame.RSV1);
            assertThat(StandardCharsets.UTF_8
                            .decode(me.decode(Opcode.TEXT, 4, e.payload(), 100))
                            .toString())
                    .isEqualTo(text);
        }
    }

    @Test
    void keepsReadingAfterAMessageEndedWithAFinalBlock() {
        assertThat(text(client, "f348cdc9c90700")).isEqualTo("Hello"); // BFINAL: the stream ends
        assertThat(text(client, "f248cdc9c90700")).isEqualTo("Hello"); // a new stream
    }

    @Test
    void rejectsCorruptDataWith1007() {
        assertThatThrownBy(() -> text(client, "ffffffff"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("Invalid compressed data: ")
                .satisfies(e -> assertThat(((ProtocolException) e).closeCode()).isEqualTo(1007));
    }

    @Test
    void rejectsDataAfterAFinalBlockWith1007() {
        assertViolation(
                () -> text(client, "f348cdc9c90700" + "f248cdc9c90700"),
                1007,
                "Compressed data after the final DEFLATE block");
    }

    @Test
    void stopsABombAtTheLimitWith1009() {
        // 64 MiB of zeros deflate to about 64 KiB; the limit is 1 MiB.
        ByteBuffer bomb = rawDeflate(new byte[64 * 1024 * 1024]);
        int limit = 1024 * 1024;

        assertViolation(
                () -> client.decode(Opcode.BINARY, 4, bomb, limit),
                1009,
                "Binary message exceeds the limit of 1048576 bytes when decompressed");
        // Inflating stopped one byte past the limit, not at 64 MiB.
        assertThat(client.bytesInflated()).isEqualTo(limit + 1L);
    }

    @Test
    void acceptsAMessageOfExactlyTheLimit() {
        ByteBuffer exact = rawDeflate(new byte[5000]);

        assertThat(client.decode(Opcode.BINARY, 4, exact, 5000).remaining()).isEqualTo(5000);
    }

    @Test
    void releasesItsStreamsOnCloseAndThenSendsUncompressed() {
        server.encode(Opcode.TEXT, utf8("Hello"));
        server.close();
        server.close();

        Extension.Encoded e = server.encode(Opcode.TEXT, utf8("Hello"));

        assertThat(e.rsv()).isZero();
        assertThatThrownBy(() -> server.decode(Opcode.TEXT, 4, Hex.buffer("f248cdc9c90700"), 100))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void assemblesTheRfcFramesSingleAndFragmented() {
        RecordingMessageSink sink = new RecordingMessageSink();
        MessageAssembler assembler = new MessageAssembler(sink, 100, 100, MessageAssembler.Mode.WHOLE);
        assembler.setExtension(client);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);
        decoder.setAllowedRsv(client.rsvBits());

        decoder.decode(Hex.buffer("c107f248cdc9c90700"), assembler); // §7.2.3.1, one frame
        decoder.decode(Hex.buffer("4103f248cd" + "8004c9c90700"), assembler); // §7.2.3.1, two fragments
        decoder.decode(Hex.buffer("810548656c6c6f"), assembler); // uncompressed, no RSV1

        assertThat(sink.events).containsExactly("text Hello", "text Hello", "text Hello");
    }

    @Test
    void rejectsRsv1OnAContinuationOrControlFrame() {
        MessageAssembler assembler =
                new MessageAssembler(new RecordingMessageSink(), 100, 100, MessageAssembler.Mode.WHOLE);
        assembler.setExtension(client);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);
        decoder.setAllowedRsv(client.rsvBits());

        assertViolation(
                () -> decoder.decode(Hex.buffer("4103f248cd" + "c004c9c90700"), assembler),
                1002,
                "RSV bits on a continuation frame");
        MessageAssembler other =
                new MessageAssembler(new RecordingMessageSink(), 100, 100, MessageAssembler.Mode.WHOLE);
        FrameDecoder second = new FrameDecoder(Role.CLIENT, 1000);
        second.setAllowedRsv(client.rsvBits());
        assertViolation(() -> second.decode(Hex.buffer("c900"), other), 1002, "RSV bits on a control frame");
    }

    @Test
    void appliesTheTextLimitToTheDecompressedSize() {
        ByteBuffer compressed = server.encode(Opcode.TEXT, utf8("a".repeat(40))).payload();
        assertThat(compressed.remaining()).isLessThan(10);
        MessageAssembler assembler =
                new MessageAssembler(new RecordingMessageSink(), 10, 100, MessageAssembler.Mode.WHOLE);
        assembler.setExtension(client);

        assertViolation(
                () -> assembler.onFrame(true, Frame.RSV1, Opcode.TEXT, compressed),
                1009,
                "Text message exceeds the limit of 10 bytes when decompressed");
    }

    @Test
    void acceptsAnIncompressibleMessageAtTheLimitWhoseCompressedFormIsLarger() {
        int limit = 60_000;
        byte[] data = new byte[limit];
        new Random(7).nextBytes(data);
        ByteBuffer compressed =
                server.encode(Opcode.BINARY, ByteBuffer.wrap(data)).payload();
        assertThat(compressed.remaining()).isGreaterThan(limit).isLessThanOrEqualTo(65_535);
        RecordingMessageSink sink = new RecordingMessageSink();
        MessageAssembler assembler = new MessageAssembler(sink, limit, limit, MessageAssembler.Mode.WHOLE);
        assembler.setExtension(client);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, limit);
        decoder.setExtension(client);

        decoder.decode(compressedBinaryFrame(compressed), assembler);

        assertThat(sink.events).hasSize(1);
        assertThat(bytes(sink.binaries.get(0))).isEqualTo(data);
    }

    @Test
    void stillRefusesAMessageOneByteOverTheLimitOnceDecompressed() {
        int limit = 60_000;
        byte[] data = new byte[limit + 1];
        new Random(8).nextBytes(data);
        ByteBuffer compressed =
                server.encode(Opcode.BINARY, ByteBuffer.wrap(data)).payload();
        MessageAssembler assembler =
                new MessageAssembler(new RecordingMessageSink(), limit, limit, MessageAssembler.Mode.WHOLE);
        assembler.setExtension(client);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, limit);
        decoder.setExtension(client);

        assertViolation(
                () -> decoder.decode(compressedBinaryFrame(compressed), assembler),
                1009,
                "Binary message exceeds the limit of 60000 bytes when decompressed");
    }

    @Test
    void refusesACompressedFrameLargerThanTheEncodedBound() {
        int limit = 1000;
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, limit);
        decoder.setExtension(client);
        ByteBuffer payload = ByteBuffer.allocate((int) client.maxEncodedSize(limit) + 1);

        assertViolation(
                () -> decoder.decode(compressedBinaryFrame(payload), new RecordingFrameSink()),
                1009,
                "Frame payload of 1065 bytes exceeds the limit of 1000");
        FrameDecoder plain = new FrameDecoder(Role.CLIENT, limit);
        plain.setAllowedRsv(Frame.RSV1);
        assertViolation(
                () -> plain.decode(compressedBinaryFrame(ByteBuffer.allocate(limit + 1)), new RecordingFrameSink()),
                1009,
                "Frame payload of 1001 bytes exceeds the limit of 1000");
    }

    /** A final, unmasked binary frame with RSV1 and a 16-bit length. */
    private static ByteBuffer compressedBinaryFrame(ByteBuffer payload) {
        int n = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(4 + n);
        frame.put((byte) 0xC2).put((byte) 126).putShort((short) n).put(payload.duplicate());
        return frame.flip();
    }

    @Test
    void claimsRsv1Only() {
        assertThat(server.rsvBits()).isEqualTo(Frame.RSV1);
        assertThat(server.name()).isEqualTo("permessage-deflate");
    }

    private static String text(PerMessageDeflate ext, String hex) {
        return StandardCharsets.UTF_8
                .decode(ext.decode(Opcode.TEXT, Frame.RSV1, Hex.buffer(hex), 1000))
                .toString();
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    /** Raw DEFLATE of {@code data}, sync-flushed, trailer removed: what a peer would send. */
    static ByteBuffer rawDeflate(byte[] data) {
        Deflater d = new Deflater(9, true);
        d.setInput(data);
        byte[] out = new byte[data.length / 100 + 1024];
        int n = 0;
        while (true) {
            n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break;
            }
            out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        d.end();
        return ByteBuffer.wrap(out, 0, n - 4);
    }
}
