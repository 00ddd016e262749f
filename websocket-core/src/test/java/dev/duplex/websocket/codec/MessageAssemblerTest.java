package dev.duplex.websocket.codec;

import static dev.duplex.websocket.codec.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    private final RecordingMessageSink sink = new RecordingMessageSink();
    private final MessageAssembler whole = new MessageAssembler(sink, 16, 8, MessageAssembler.Mode.WHOLE);
    private final MessageAssembler parts = new MessageAssembler(sink, 16, 8, MessageAssembler.Mode.PARTS);
    private final FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);

    @Test
    void deliversTheRfcSingleFrameAndFragmentedHello() {
        feed(whole, "810548656c6c6f"); // text "Hello"
        feed(whole, "010348656c" + "80026c6f"); // "Hel", then "lo"

        assertThat(sink.events).containsExactly("text Hello", "text Hello");
    }

    @Test
    void deliversBinaryMessagesWholeOrInFragments() {
        feed(whole, "82020102"); // binary 0102
        feed(whole, "020103" + "0000" + "800104"); // 03, an empty continuation, then 04

        assertThat(sink.events).containsExactly("binary 0102", "binary 0304");
    }

    @Test
    void deliversControlFramesBetweenFragmentsAtOnce() {
        feed(whole, "010348656c"); // "Hel"
        feed(whole, "890101"); // ping 01
        assertThat(sink.events).containsExactly("ping 01");

        feed(whole, "8a00" + "80026c6f"); // empty pong, then "lo"

        assertThat(sink.events).containsExactly("ping 01", "pong ", "text Hello");
    }

    @Test
    void deliversCloseWithCodeAndReasonOr1005() {
        feed(whole, "880503e8627965"); // close 1000 "bye"
        MessageAssembler other = new MessageAssembler(sink, 16, 8, MessageAssembler.Mode.WHOLE);
        other.onFrame(true, 0, Opcode.CLOSE, ByteBuffer.allocate(0));

        assertThat(sink.events).containsExactly("close 1000 bye", "close 1005 ");
        assertThat(whole.isClosed()).isTrue();
    }

    @Test
    void rejectsAFrameAfterClose() {
        feed(whole, "8800"); // close, no status

        assertViolation(() -> feed(whole, "8100"), 1002, "Frame after a close frame");
    }

    @Test
    void rejectsAnInvalidClosePayload() {
        assertViolation(() -> feed(whole, "880103"), 1002, "Close frame with a 1-byte payload");
        assertViolation(
                () -> whole.onFrame(true, 0, Opcode.CLOSE, Hex.buffer("03ed")), 1002, "Invalid close code 1005");
    }

    @Test
    void rejectsAContinuationWithoutAMessage() {
        assertViolation(() -> feed(whole, "8000"), 1002, "Continuation frame without a message to continue");
    }

    @Test
    void rejectsANewDataFrameInsideAFragmentedMessage() {
        whole.onFrame(false, 0, Opcode.TEXT, Hex.buffer("41"));

        assertViolation(
                () -> whole.onFrame(true, 0, Opcode.BINARY, Hex.buffer("42")),
                1002,
                "Binary frame inside a fragmented message");
        assertViolation(
                () -> whole.onFrame(true, 0, Opcode.TEXT, Hex.buffer("42")),
                1002,
                "Text frame inside a fragmented message");
    }

    @Test
    void acceptsATextMessageOfExactlyTheMaximum() {
        feed(whole, "0108" + "6161616161616161" + "8008" + "6262626262626262"); // 8 + 8 bytes

        assertThat(sink.events).containsExactly("text aaaaaaaabbbbbbbb");
    }

    @Test
    void rejectsATextMessageOverTheMaximumBeforeBufferingTheExcess() {
        whole.onFrame(false, 0, Opcode.TEXT, ByteBuffer.wrap("aaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII)));

        assertViolation(
                () -> whole.onFrame(true, 0, Opcode.CONTINUATION, Hex.buffer("61")),
                1009,
                "Text message exceeds the limit of 16 bytes");
    }

    @Test
    void rejectsABinaryMessageOverTheMaximum() {
        assertViolation(
                () -> whole.onFrame(true, 0, Opcode.BINARY, ByteBuffer.allocate(9)),
                1009,
                "Binary message exceeds the limit of 8 bytes");
        assertViolation(
                () -> parts.onFrame(true, 0, Opcode.BINARY, ByteBuffer.allocate(9)),
                1009,
                "Binary message exceeds the limit of 8 bytes");
    }

    @Test
    void rejectsBadUtf8WhenItsFragmentArrivesBeforeTheMessageEnds() {
        whole.onFrame(false, 0, Opcode.TEXT, Hex.buffer("4142")); // "AB"

        assertViolation(
                () -> whole.onFrame(false, 0, Opcode.CONTINUATION, Hex.buffer("43eda080")), // "C", a surrogate
                1007,
                "Invalid UTF-8 at byte 4 of a text message");
    }

    @Test
    void acceptsACodePointSplitAcrossFragments() {
        whole.onFrame(false, 0, Opcode.TEXT, Hex.buffer("e2"));
        whole.onFrame(false, 0, Opcode.CONTINUATION, Hex.buffer("82"));
        whole.onFrame(true, 0, Opcode.CONTINUATION, Hex.buffer("ac"));

        assertThat(sink.events).containsExactly("text \u20ac");
    }

    @Test
    void rejectsATextMessageEndingInsideACodePoint() {
        whole.onFrame(false, 0, Opcode.TEXT, Hex.buffer("41"));

        assertViolation(
                () -> whole.onFrame(true, 0, Opcode.CONTINUATION, Hex.buffer("e282")),
                1007,
                "Truncated UTF-8 at the end of a text message");
    }

    @Test
    void rejectsRsvBitsOnControlAndContinuationFrames() {
        whole.setExtension(new Reversing());
        whole.onFrame(false, 0, Opcode.BINARY, Hex.buffer("01"));

        assertViolation(
                () -> whole.onFrame(true, Frame.RSV1, Opcode.PING, ByteBuffer.allocate(0)),
                1002,
                "RSV bits on a control frame");
        assertViolation(
                () -> whole.onFrame(true, Frame.RSV1, Opcode.CONTINUATION, ByteBuffer.allocate(0)),
                1002,
                "RSV bits on a continuation frame");
    }

    @Test
    void rejectsRsvBitsWithoutAnExtension() {
        assertViolation(
                () -> whole.onFrame(true, Frame.RSV2, Opcode.TEXT, ByteBuffer.allocate(0)),
                1002,
                "RSV bits not negotiated: RSV2");
    }

    @Test
    void passesMessagesWithTheExtensionsBitsThroughIt() {
        whole.setExtension(new Reversing());

        whole.onFrame(false, Frame.RSV1, Opcode.TEXT, Hex.buffer("6162")); // "ab", reversed on the wire
        whole.onFrame(true, 0, Opcode.CONTINUATION, Hex.buffer("63")); // "c"
        whole.onFrame(true, 0, Opcode.TEXT, Hex.buffer("6162")); // no RSV1: as it is

        assertThat(sink.events).containsExactly("text cba", "text ab");
    }

    @Test
    void checksTheExtensionsOutputForUtf8() {
        whole.setExtension(new Reversing());

        assertViolation(
                () -> whole.onFrame(true, Frame.RSV1, Opcode.TEXT, Hex.buffer("82e2")), // reversed: e2 82, cut short
                1007,
                "Truncated UTF-8 at the end of a text message");
    }

    @Test
    void deliversPartsAsTheyArrive() {
        parts.onFrame(false, 0, Opcode.BINARY, Hex.buffer("0102"));
        assertThat(sink.events).containsExactly("binary part 0102");

        parts.onFrame(false, 0, Opcode.CONTINUATION, ByteBuffer.allocate(0));
        parts.onFrame(true, 0, Opcode.CONTINUATION, Hex.buffer("03"));
        parts.onFrame(true, 0, Opcode.BINARY, ByteBuffer.allocate(0));

        assertThat(sink.events).containsExactly("binary part 0102", "binary part 03 (last)", "binary part  (last)");
    }

    @Test
    void cutsTextPartsAtCodePointBoundaries() {
        parts.onFrame(false, 0, Opcode.TEXT, Hex.buffer("41e282")); // "A" and 2 of the 3 bytes of "€"
        parts.onFrame(false, 0, Opcode.CONTINUATION, Hex.buffer("acf09f")); // the rest of "€", half of U+1F600
        parts.onFrame(false, 0, Opcode.CONTINUATION, Hex.buffer("98")); // still not whole: no part
        parts.onFrame(true, 0, Opcode.CONTINUATION, Hex.buffer("8042")); // U+1F600 whole, then "B"

        assertThat(sink.events).containsExactly("text part A", "text part \u20ac", "text part \ud83d\ude00B (last)");
    }

    @Test
    void deliversASingleFrameTextMessageAsOneLastPart() {
        feed(parts, "810548656c6c6f"); // text "Hello"

        assertThat(sink.events).containsExactly("text part Hello (last)");
    }

    @Test
    void handsTheSinkBuffersItMayKeep() {
        ByteBuffer frame = Hex.buffer("0102");

        whole.onFrame(true, 0, Opcode.BINARY, frame);
        frame.put(0, (byte) 9);

        assertThat(Hex.of(sink.binaries.get(0))).isEqualTo("0102");
    }

    @Test
    void reportsTheViolationThroughTheDecoder() {
        assertViolation(() -> feed(whole, "8102c328"), 1007, "Invalid UTF-8 at byte 1 of a text message");
        assertThatThrownBy(() -> feed(whole, "8100")).isInstanceOf(IllegalStateException.class);
        assertThat(sink.events).isEmpty();
    }

    @Test
    void validatesATextFrameThatSpansInputsAsItArrivesAndDeliversItOnce() {
        feed(whole, "810641ce"); // "A" and the first byte of kappa; 4 bytes still to come
        feed(whole, "ba42"); // the rest of kappa, "B"
        assertThat(sink.events).isEmpty();
        feed(whole, "4344");

        assertThat(sink.events).containsExactly("text A\u03baBCD");
    }

    @Test
    void failsAtTheFirstBadByteOfATextFrameThatIsNotWholeYet() {
        // Ten bytes announced, three arrive: C3 28 is invalid, so the frame fails now.
        assertViolation(() -> feed(whole, "810a41c328"), 1007, "Invalid UTF-8 at byte 2 of a text message");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void failsAtTheFirstBadByteOfAContinuationThatIsNotWholeYet() {
        feed(whole, "01024142"); // text "AB", not final

        assertViolation(() -> feed(whole, "800a43ff"), 1007, "Invalid UTF-8 at byte 3 of a text message");
    }

    @Test
    void aBinaryFrameThatSpansInputsIsNotValidatedAsText() {
        feed(whole, "8204c328"); // binary: any bytes
        feed(whole, "ff00");

        assertThat(sink.events).containsExactly("binary c328ff00");
    }

    @Test
    void lendsASingleFrameBinaryMessageAsAViewOfTheInput() {
        Borrowing borrowing = new Borrowing();
        MessageAssembler assembler = new MessageAssembler(borrowing, 16, 8, MessageAssembler.Mode.WHOLE);
        ByteBuffer input = Hex.buffer("820301020382020405");

        decoder.decode(input, assembler);

        assertThat(borrowing.lent).hasSize(2);
        assertThat(Hex.of(borrowing.lent.get(0))).isEqualTo("010203");
        assertThat(Hex.of(borrowing.lent.get(1))).isEqualTo("0405");
        input.put(2, (byte) 9);
        assertThat(borrowing.lent.get(0).get(0))
                .as("a view of the input, not a copy")
                .isEqualTo((byte) 9);
        assertThat(borrowing.binaries).isEmpty();
    }

    @Test
    void theDefaultSinkCopiesALentMessageBeforeTheInputIsReused() {
        ByteBuffer input = Hex.buffer("8203010203");

        decoder.decode(input, whole);
        input.put(2, (byte) 9);

        assertThat(sink.events).containsExactly("binary 010203");
        assertThat(Hex.of(sink.binaries.get(0))).isEqualTo("010203");
    }

    @Test
    void aFragmentedBinaryMessageIsNotLent() {
        Borrowing borrowing = new Borrowing();
        MessageAssembler assembler = new MessageAssembler(borrowing, 16, 8, MessageAssembler.Mode.WHOLE);

        decoder.decode(Hex.buffer("020101" + "800102"), assembler);

        assertThat(borrowing.lent).isEmpty();
        assertThat(borrowing.events).containsExactly("binary 0102");
    }

    private void feed(MessageAssembler assembler, String hex) {
        decoder.decode(Hex.buffer(hex), assembler);
    }

    /** A sink that keeps the views the assembler lends it, as a listener on the I/O thread may. */
    private static final class Borrowing extends RecordingMessageSink {
        final List<ByteBuffer> lent = new ArrayList<>();

        @Override
        public void onBinaryView(ByteBuffer view) {
            lent.add(view);
        }
    }

    /** A stand-in extension on RSV1 that reverses a message's bytes. */
    private static final class Reversing implements Extension {
        @Override
        public String name() {
            return "x-reverse";
        }

        @Override
        public int rsvBits() {
            return Frame.RSV1;
        }

        @Override
        public ByteBuffer decode(Opcode type, int rsv, ByteBuffer payload, int maxSize) {
            byte[] out = new byte[payload.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = payload.get(payload.limit() - 1 - i);
            }
            return ByteBuffer.wrap(out);
        }

        @Override
        public Encoded encode(Opcode type, ByteBuffer payload) {
            return new Encoded(Frame.RSV1, decode(type, Frame.RSV1, payload, Integer.MAX_VALUE));
        }
    }

    @Test
    void keepsABinaryMessageGatheredFromPiecesIntactWhileTheNextOnesArrive() {
        RecordingMessageSink sink = new RecordingMessageSink();
        MessageAssembler assembler = new MessageAssembler(sink, 1000, 1000, MessageAssembler.Mode.WHOLE);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, 1000);

        // Each frame arrives in two reads, so the decoder gathers it and hands its array over.
        decoder.decode(Hex.buffer("82044141"), assembler);
        decoder.decode(Hex.buffer("4141"), assembler);
        decoder.decode(Hex.buffer("82044242"), assembler);
        decoder.decode(Hex.buffer("4242"), assembler);
        decoder.decode(Hex.buffer("81024343"), assembler); // a whole text frame, not gathered

        assertThat(sink.binaries).hasSize(2);
        assertThat(bytes(sink.binaries.get(0))).containsExactly('A', 'A', 'A', 'A');
        assertThat(bytes(sink.binaries.get(1))).containsExactly('B', 'B', 'B', 'B');
        assertThat(sink.binaries.get(0).remaining()).isEqualTo(4);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
