package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameEncoderTest {

    private static final int RFC_KEY = 0x37fa213d;

    private final FrameEncoder server = new FrameEncoder(Role.SERVER);
    /** A client with the fixed key of RFC 6455 §5.7, so that its output can be compared. */
    private final FrameEncoder client = new FrameEncoder(Role.CLIENT, () -> RFC_KEY);

    @Test
    void encodesTheRfcUnmaskedHello() {
        assertThat(encode(server, Frame.text("Hello"))).isEqualTo("810548656c6c6f"); // unmasked text "Hello"
    }

    @Test
    void encodesTheRfcMaskedHello() {
        assertThat(encode(client, Frame.text("Hello"))).isEqualTo("818537fa213d7f9f4d5158"); // masked text "Hello"
    }

    @Test
    void encodesTheRfcPingAndMaskedPong() {
        assertThat(encode(server, Frame.ping(Hex.bytes("48656c6c6f")))).isEqualTo("890548656c6c6f");
        assertThat(encode(client, Frame.pong(Hex.bytes("48656c6c6f")))).isEqualTo("8a8537fa213d7f9f4d5158");
    }

    @Test
    void encodesTheRfcFragmentedHello() {
        ByteBuffer wire = ByteBuffer.allocate(32);

        server.encodeMessage(wire, Opcode.TEXT, 0, ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII)), 3);

        assertThat(Hex.of(wire.flip())).isEqualTo("010348656c" + "80026c6f"); // "Hel", then "lo"
    }

    @ParameterizedTest
    @CsvSource({
        "0,     8200",
        "125,   827d",
        "126,   827e007e",
        "127,   827e007f",
        "256,   827e0100", // RFC 6455 §5.7
        "65535, 827effff",
        "65536, 827f0000000000010000", // RFC 6455 §5.7
    })
    void writesTheShortestLengthForm(int length, String header) {
        ByteBuffer wire = ByteBuffer.allocate(length + 14);

        server.encode(wire, true, 0, Opcode.BINARY, ByteBuffer.wrap(Hex.counting(length)));

        wire.flip();
        assertThat(wire.remaining()).isEqualTo(header.length() / 2 + length);
        assertThat(Hex.of(wire.limit(header.length() / 2))).isEqualTo(header);
        assertThat(FrameEncoder.headerLength(length, false)).isEqualTo(header.length() / 2);
        assertThat(FrameEncoder.headerLength(length, true)).isEqualTo(header.length() / 2 + 4);
    }

    @Test
    void writesTheSameBytesIntoALittleEndianOrDirectBuffer() {
        byte[] payload = Hex.counting(70000);
        ByteBuffer heap = ByteBuffer.allocate(70014);
        ByteBuffer little = ByteBuffer.allocate(70014).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer direct = ByteBuffer.allocateDirect(70014);

        client.encode(heap, true, 0, Opcode.BINARY, ByteBuffer.wrap(payload));
        client.encode(little, true, 0, Opcode.BINARY, ByteBuffer.wrap(payload));
        client.encode(direct, true, 0, Opcode.BINARY, ByteBuffer.wrap(payload));

        assertThat(Hex.of(little.flip()))
                .startsWith("82ff000000000001117037fa213d")
                .isEqualTo(Hex.of(heap.flip()));
        assertThat(Hex.of(direct.flip())).isEqualTo(Hex.of(heap));
    }

    @Test
    void leavesThePayloadBufferAlone() {
        ByteBuffer payload = ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII));

        client.encode(ByteBuffer.allocate(20), true, 0, Opcode.TEXT, payload);

        assertThat(payload.position()).isZero();
        assertThat(new String(payload.array(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
    }

    @Test
    void setsRsvBitsAndClearsFin() {
        assertThat(encode(server, new Frame(false, Frame.RSV1 | Frame.RSV3, Opcode.BINARY, new byte[0])))
                .isEqualTo("5200");
    }

    @Test
    void masksEveryClientFrameWithAFreshKey() {
        FrameEncoder random = new FrameEncoder(Role.CLIENT);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer wire = ByteBuffer.allocate(6);
            random.encode(wire, true, 0, Opcode.BINARY, ByteBuffer.allocate(0));
            assertThat(wire.get(1)).isEqualTo((byte) 0x80);
            keys.add(Hex.of(wire.flip().position(2)));
        }

        // 2000 draws of 32 random bits collide with a probability of about 1 in 2000.
        assertThat(keys).hasSizeGreaterThan(1990);
    }

    @Test
    void aServerWritesAHeaderForAGatheringWrite() {
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);

        int key = server.writeHeader(header, true, 0, Opcode.TEXT, 5);

        assertThat(key).isZero();
        assertThat(Hex.of(header.flip())).isEqualTo("8105");
    }

    @Test
    void aClientWritesAHeaderAndReturnsItsKey() {
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);

        int key = client.writeHeader(header, true, 0, Opcode.TEXT, 5);

        assertThat(key).isEqualTo(RFC_KEY);
        assertThat(Hex.of(header.flip())).isEqualTo("818537fa213d");
    }

    @Test
    void splitsAMessageIntoFragments() {
        ByteBuffer wire = ByteBuffer.allocate(64);
        ByteBuffer payload = ByteBuffer.wrap(Hex.counting(6));

        server.encodeMessage(wire, Opcode.BINARY, Frame.RSV1, payload, 3);

        assertThat(Hex.of(wire.flip())).isEqualTo("4203000102" + "8003030405"); // RSV1 on the first frame only
        assertThat(server.messageLength(6, 3)).isEqualTo(10);
        assertThat(FrameEncoder.fragmentCount(6, 3)).isEqualTo(2);
        assertThat(FrameEncoder.fragmentCount(7, 3)).isEqualTo(3);
    }

    @Test
    void sendsAnEmptyMessageAsOneFrame() {
        ByteBuffer wire = ByteBuffer.allocate(16);

        client.encodeMessage(wire, Opcode.TEXT, 0, ByteBuffer.allocate(0), 100);

        assertThat(Hex.of(wire.flip())).isEqualTo("818037fa213d");
        assertThat(FrameEncoder.fragmentCount(0, 100)).isEqualTo(1);
        assertThat(client.messageLength(0, 100)).isEqualTo(6);
    }

    @Test
    void masksEachFragmentWithItsOwnKey() {
        int[] keys = {0x01020304, 0x0a0b0c0d};
        int[] next = {0};
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> keys[next[0]++]);
        ByteBuffer wire = ByteBuffer.allocate(32);

        encoder.encodeMessage(wire, Opcode.BINARY, 0, ByteBuffer.allocate(5), 3);

        assertThat(Hex.of(wire.flip())).isEqualTo("0283" + "01020304" + "010203" + "8082" + "0a0b0c0d" + "0a0b");
    }

    @Test
    void encodesCloseFrames() {
        ByteBuffer wire = ByteBuffer.allocate(32);

        server.encodeClose(wire, new CloseFrame(1000, "bye"));
        server.encodeClose(wire, CloseFrame.NO_STATUS);

        assertThat(Hex.of(wire.flip())).isEqualTo("880503e8627965" + "8800"); // 1000 "bye", then no status
    }

    @Test
    void refusesAnOversizedControlPayload() {
        ByteBuffer wire = ByteBuffer.allocate(200);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> server.encodePing(wire, ByteBuffer.allocate(126)))
                .withMessage("A PING payload must be at most 125 bytes, was 126");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> client.encodePong(wire, ByteBuffer.allocate(126)))
                .withMessage("A PONG payload must be at most 125 bytes, was 126");
        assertThat(wire.position()).isZero();
        server.encodePing(wire, ByteBuffer.allocate(125));
        assertThat(wire.position()).isEqualTo(127);
    }

    @Test
    void refusesAFragmentedControlFrame() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Frame(false, 0, Opcode.CLOSE, new byte[0]))
                .withMessage("A CLOSE frame must be final");
    }

    @Test
    void refusesRsvOutOfRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> server.writeHeader(ByteBuffer.allocate(14), true, 8, Opcode.TEXT, 0))
                .withMessage("'rsv' must be in [0, 7], was 8");
    }

    @Test
    void refusesAControlOpcodeAsAMessageType() {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> server.encodeMessage(ByteBuffer.allocate(14), Opcode.PING, 0, ByteBuffer.allocate(0), 1))
                .withMessage("'type' must be TEXT or BINARY, was PING");
    }

    @Test
    void writesNothingWhenTheDestinationIsTooSmall() {
        ByteBuffer wire = ByteBuffer.allocate(10);

        assertThatThrownBy(() -> client.encode(wire, true, 0, Opcode.TEXT, ByteBuffer.allocate(5)))
                .isInstanceOf(BufferOverflowException.class);
        assertThatThrownBy(() -> server.encodeMessage(wire, Opcode.TEXT, 0, ByteBuffer.allocate(9), 3))
                .isInstanceOf(BufferOverflowException.class);

        assertThat(wire.position()).isZero();
        assertThat(wire.array()).containsOnly(0);
    }

    private static String encode(FrameEncoder encoder, Frame frame) {
        ByteBuffer wire = ByteBuffer.allocate(frame.payloadLength() + 14);
        encoder.encode(wire, frame);
        return Hex.of(wire.flip());
    }
}
