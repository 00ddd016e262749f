package dev.duplex.websocket.codec;

import static dev.duplex.websocket.codec.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    private final RecordingFrameSink sink = new RecordingFrameSink();
    /** Decodes a server's frames. */
    private final FrameDecoder client = new FrameDecoder(Role.CLIENT, 1 << 20);
    /** Decodes a client's frames. */
    private final FrameDecoder server = new FrameDecoder(Role.SERVER, 1 << 20);

    @Test
    void decodesTheRfcUnmaskedHello() {
        client.decode(Hex.buffer("810548656c6c6f"), sink); // unmasked text "Hello"

        assertThat(sink.frames).containsExactly(Frame.text("Hello"));
    }

    @Test
    void decodesTheRfcMaskedHello() {
        server.decode(Hex.buffer("818537fa213d7f9f4d5158"), sink); // masked text "Hello"

        assertThat(sink.frames).containsExactly(Frame.text("Hello"));
    }

    @Test
    void decodesTheRfcFragmentedHello() {
        client.decode(Hex.buffer("010348656c" + "80026c6f"), sink); // "Hel", then "lo"

        assertThat(sink.frames)
                .containsExactly(
                        new Frame(false, 0, Opcode.TEXT, Hex.bytes("48656c")),
                        new Frame(true, 0, Opcode.CONTINUATION, Hex.bytes("6c6f")));
    }

    @Test
    void decodesTheRfcPingAndMaskedPong() {
        client.decode(Hex.buffer("890548656c6c6f"), sink); // unmasked ping "Hello"
        server.decode(Hex.buffer("8a8537fa213d7f9f4d5158"), sink); // masked pong "Hello"

        assertThat(sink.frames)
                .containsExactly(Frame.ping(Hex.bytes("48656c6c6f")), Frame.pong(Hex.bytes("48656c6c6f")));
    }

    @Test
    void decodesTheRfc256ByteAnd64KibBinaryFrames() {
        client.decode(ByteBuffer.wrap(concat(Hex.bytes("827e0100"), Hex.counting(256))), sink); // 16-bit length 256
        client.decode(
                ByteBuffer.wrap(concat(Hex.bytes("827f0000000000010000"), Hex.counting(65536))),
                sink); // 64-bit length 65536

        assertThat(sink.frames).containsExactly(Frame.binary(Hex.counting(256)), Frame.binary(Hex.counting(65536)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
    void decodesEveryLengthBoundaryFromEitherSide(int length) {
        byte[] payload = Hex.counting(length);
        for (Role sender : Role.values()) {
            ByteBuffer wire = ByteBuffer.allocate(length + 14);
            new FrameEncoder(sender).encode(wire, true, 0, Opcode.BINARY, ByteBuffer.wrap(payload));
            RecordingFrameSink frames = new RecordingFrameSink();

            new FrameDecoder(sender == Role.CLIENT ? Role.SERVER : Role.CLIENT, 1 << 20).decode(wire.flip(), frames);

            assertThat(frames.frames).containsExactly(Frame.binary(payload));
            assertThat(wire.hasRemaining()).isFalse();
        }
    }

    @Test
    void acceptsLengthsInALongerFormThanNeeded() {
        client.decode(Hex.buffer("827e0003010203"), sink); // 3 bytes with a 16-bit length
        client.decode(Hex.buffer("827f0000000000000003010203"), sink); // 3 bytes with a 64-bit length

        assertThat(sink.frames).containsExactly(Frame.binary(Hex.bytes("010203")), Frame.binary(Hex.bytes("010203")));
    }

    @Test
    void rejectsA64BitLengthWithTheTopBitSet() {
        assertViolation(
                () -> client.decode(Hex.buffer("827f8000000000000000"), sink), // length 2^63
                1002,
                "Frame length with the most significant bit set");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void rejectsReservedOpcodes(int code) {
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {(byte) (0x80 | code), 0}); // empty, opcode reserved

        assertViolation(() -> client.decode(frame, sink), 1002, "Reserved opcode 0x" + Integer.toHexString(code));
    }

    @Test
    void rejectsRsvBitsNoExtensionClaims() {
        assertViolation(() -> client.decode(Hex.buffer("c100"), sink), 1002, "RSV bits not negotiated: RSV1");
    }

    @Test
    void acceptsRsvBitsAnExtensionClaimsAndNoOthers() {
        client.setAllowedRsv(Frame.RSV1);

        client.decode(Hex.buffer("c100"), sink); // empty text, RSV1

        assertThat(sink.frames).containsExactly(new Frame(true, Frame.RSV1, Opcode.TEXT, new byte[0]));
        assertViolation(() -> client.decode(Hex.buffer("f100"), sink), 1002, "RSV bits not negotiated: RSV2, RSV3");
    }

    @Test
    void rejectsUnmaskedClientFrame() {
        assertViolation(() -> server.decode(Hex.buffer("810548656c6c6f"), sink), 1002, "Unmasked frame from client");
    }

    @Test
    void rejectsMaskedServerFrame() {
        assertViolation(
                () -> client.decode(Hex.buffer("818537fa213d7f9f4d5158"), sink), 1002, "Masked frame from server");
    }

    @Test
    void acceptsAControlFrameOf125Bytes() {
        client.decode(ByteBuffer.wrap(concat(Hex.bytes("897d"), Hex.counting(125))), sink); // ping, 125 bytes

        assertThat(sink.frames).containsExactly(Frame.ping(Hex.counting(125)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"897e007e", "8a7f000000000000007e", "887e0000"})
    void rejectsAControlFrameOver125Bytes(String header) {
        assertViolation(
                () -> client.decode(Hex.buffer(header), sink), 1002, "Control frame payload longer than 125 bytes");
    }

    @Test
    void rejectsAFragmentedControlFrame() {
        assertViolation(
                () -> client.decode(Hex.buffer("0900"), sink), 1002, "Fragmented control frame"); // ping, no FIN
    }

    @Test
    void rejectsAFrameOverTheMaximumAsSoonAsItsHeaderIsRead() {
        FrameDecoder small = new FrameDecoder(Role.CLIENT, 1000);
        small.decode(ByteBuffer.wrap(concat(Hex.bytes("827e03e8"), Hex.counting(1000))), sink); // exactly the maximum

        assertViolation(
                () -> small.decode(Hex.buffer("827e03e9"), sink), // 1001 bytes announced, none sent
                1009,
                "Frame payload of 1001 bytes exceeds the limit of 1000");
        assertThat(sink.frames).hasSize(1);
    }

    @Test
    void rejectsAHuge64BitLengthBeforeBufferingAnything() {
        assertViolation(
                () -> client.decode(Hex.buffer("827f7fffffffffffffff00"), sink),
                1009,
                "Frame payload of 9223372036854775807 bytes exceeds the limit of 1048576");
    }

    @Test
    void isDeadAfterAnError() {
        assertViolation(() -> client.decode(Hex.buffer("8300"), sink), 1002, "Reserved opcode 0x3");

        assertThatThrownBy(() -> client.decode(Hex.buffer("8100"), sink))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The decoder failed earlier: Reserved opcode 0x3");
        assertThat(sink.frames).isEmpty();
    }

    @Test
    void isDeadAfterTheSinkThrows() {
        FrameSink failing = (fin, rsv, opcode, payload) -> {
            throw new dev.duplex.websocket.ProtocolException(1007, "bad");
        };
        assertViolation(() -> client.decode(Hex.buffer("8100"), failing), 1007, "bad");

        assertThatThrownBy(() -> client.decode(Hex.buffer("8100"), sink)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void decodesManyFramesInOneBuffer() {
        server.decode(
                Hex.buffer(
                        "818537fa213d7f9f4d5158" // masked "Hello"
                                + "89800a0b0c0d" // masked empty ping
                                + "828201020304fffe"), // masked binary 0xfefc ^ key
                sink);

        assertThat(sink.frames)
                .containsExactly(Frame.text("Hello"), Frame.ping(new byte[0]), Frame.binary(Hex.bytes("fefc")));
    }

    @Test
    void decodesOneByteAtATime() {
        byte[] wire =
                Hex.bytes("818537fa213d7f9f4d5158" + "88820000000003e8" + "00"); // "Hello", close 1000, 1 byte more

        for (byte b : wire) {
            server.decode(ByteBuffer.wrap(new byte[] {b}), sink);
        }

        assertThat(sink.frames).containsExactly(Frame.text("Hello"), Frame.close(new CloseFrame(1000, "")));
    }

    @Test
    void keepsAnIncompleteFrameForTheNextCall() {
        client.decode(Hex.buffer("8105486565"), sink); // "Hee" of 5 bytes
        assertThat(sink.frames).isEmpty();

        client.decode(Hex.buffer("6c6c" + "8a00"), sink); // the rest, then an empty pong

        assertThat(sink.frames).containsExactly(Frame.text("Heell"), Frame.pong(new byte[0]));
    }

    @Test
    void handsOutAViewOfTheInputWithoutCopyingAndUnmasksInPlace() {
        ByteBuffer wire = Hex.buffer("818537fa213d7f9f4d5158"); // masked "Hello"

        server.decode(wire, sink);

        ByteBuffer view = sink.views.get(0);
        assertThat(view.array()).isSameAs(wire.array());
        assertThat(view.position()).isEqualTo(6);
        assertThat(Hex.of(wire.array())).isEqualTo("818537fa213d48656c6c6f");
    }

    @Test
    void gathersAFrameSplitAcrossInputs() {
        ByteBuffer first = Hex.buffer("818537fa213d7f9f"); // masked "Hello", cut after "He"

        server.decode(first, sink);
        server.decode(Hex.buffer("4d5158"), sink);

        assertThat(sink.frames).containsExactly(Frame.text("Hello"));
        assertThat(sink.views.get(0).array()).isNotSameAs(first.array());
    }

    @Test
    void reusesItsGatheringBufferForFramesOfAnySize() {
        for (String frame : new String[] {"820a00010203040506070809", "8203000102", "82080001020304050607"}) {
            byte[] wire = Hex.bytes(frame); // binary of 10, 3, then 8 bytes, split after 3 bytes
            client.decode(ByteBuffer.wrap(wire, 0, 3), sink);
            client.decode(ByteBuffer.wrap(wire, 3, wire.length - 3), sink);
        }

        assertThat(sink.frames)
                .containsExactly(
                        Frame.binary(Hex.counting(10)), Frame.binary(Hex.counting(3)), Frame.binary(Hex.counting(8)));
    }

    @Test
    void decodesDirectBuffers() {
        byte[] wire = Hex.bytes("818537fa213d7f9f4d5158" + "818537fa213d7f9f4d5158"); // masked "Hello" twice
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();

        server.decode(direct.limit(14), sink);
        server.decode(direct.limit(wire.length), sink);

        assertThat(sink.frames).containsExactly(Frame.text("Hello"), Frame.text("Hello"));
    }

    @Test
    void decodesAHeaderSplitAtEveryPosition() {
        byte[] frame = concat(Hex.bytes("82fe0100" + "01020304"), new byte[256]); // masked, 16-bit length 256
        for (int cut = 1; cut < 8; cut++) {
            byte[] wire = frame.clone(); // unmasked in place
            RecordingFrameSink frames = new RecordingFrameSink();
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1000);

            decoder.decode(ByteBuffer.wrap(wire, 0, cut), frames);
            decoder.decode(ByteBuffer.wrap(wire, cut, wire.length - cut), frames);

            byte[] expected = new byte[256];
            Masking.mask(expected, 0, 256, 0x01020304, 0);
            assertThat(frames.frames).as("cut at %d", cut).containsExactly(Frame.binary(expected));
        }
    }

    @Test
    void refusesAMaximumBelowTheControlFrameSize() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FrameDecoder(Role.SERVER, 124))
                .withMessage("'maxFramePayload' must be in [125, 2147483639], was 124");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] result = new byte[a.length + b.length];
        System.arraycopy(a, 0, result, 0, a.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
