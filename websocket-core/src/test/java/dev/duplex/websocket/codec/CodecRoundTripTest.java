package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Whatever is encoded decodes back to itself, from either side and under any chunking of the bytes. */
class CodecRoundTripTest {

    @Property
    void framesDecodeToWhatWasEncoded(
            @ForAll("frames") List<Frame> frames,
            @ForAll Role sender,
            @ForAll("chunks") List<Integer> chunks,
            @ForAll boolean direct) {
        FrameEncoder encoder = new FrameEncoder(sender);
        ByteBuffer wire = ByteBuffer.allocate(frames.stream()
                .mapToInt(f -> (int) encoder.frameLength(f.payloadLength()))
                .sum());
        frames.forEach(frame -> encoder.encode(wire, frame));
        FrameDecoder decoder = new FrameDecoder(receiver(sender), 1 << 20);
        decoder.setAllowedRsv(7);
        RecordingFrameSink sink = new RecordingFrameSink();

        feed(wire.array(), chunks, direct, buffer -> decoder.decode(buffer, sink));

        assertThat(sink.frames).isEqualTo(frames);
    }

    @Property
    void messagesReassembleToWhatWasSent(
            @ForAll("messages") List<Object> messages,
            @ForAll Role sender,
            @ForAll("chunks") List<Integer> chunks,
            @ForAll("fragmentSizes") int fragmentSize,
            @ForAll boolean direct) {
        RecordingMessageSink sink = new RecordingMessageSink();
        MessageAssembler assembler = new MessageAssembler(sink, 1 << 20, 1 << 20, MessageAssembler.Mode.WHOLE);
        FrameDecoder decoder = new FrameDecoder(receiver(sender), 1 << 20);

        feed(encode(messages, sender, fragmentSize), chunks, direct, buffer -> decoder.decode(buffer, assembler));

        assertThat(sink.events).isEqualTo(expectedEvents(messages));
    }

    @Property
    void messagePartsJoinToWhatWasSent(
            @ForAll("messages") List<Object> messages,
            @ForAll Role sender,
            @ForAll("chunks") List<Integer> chunks,
            @ForAll("fragmentSizes") int fragmentSize) {
        Joining sink = new Joining();
        MessageAssembler assembler = new MessageAssembler(sink, 1 << 20, 1 << 20, MessageAssembler.Mode.PARTS);
        FrameDecoder decoder = new FrameDecoder(receiver(sender), 1 << 20);

        feed(encode(messages, sender, fragmentSize), chunks, false, buffer -> decoder.decode(buffer, assembler));

        assertThat(sink.events).isEqualTo(expectedEvents(messages));
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<Frame> data = Combinators.combine(
                        Arbitraries.of(Opcode.CONTINUATION, Opcode.TEXT, Opcode.BINARY),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 7),
                        payloads())
                .as((opcode, fin, rsv, payload) -> new Frame(fin, rsv, opcode, payload));
        Arbitrary<Frame> control = Combinators.combine(
                        Arbitraries.of(Opcode.CLOSE, Opcode.PING, Opcode.PONG),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(125))
                .as((opcode, payload) -> new Frame(true, 0, opcode, payload));
        return Arbitraries.frequencyOf(Tuple.of(3, data), Tuple.of(1, control))
                .list()
                .ofMaxSize(8);
    }

    /** Mostly small payloads around the 7-bit limit, now and then past the 16-bit one. */
    private static Arbitrary<byte[]> payloads() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.integers().between(65530, 65540).map(Hex::counting)));
    }

    @Provide
    Arbitrary<List<Object>> messages() {
        Arbitrary<Object> text = Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(0x20, 0x7e)),
                        Tuple.of(
                                1,
                                Arbitraries.integers()
                                        .between(0x80, 0x10FFFF)
                                        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)))
                .list()
                .ofMaxSize(200)
                .map(codePoints -> {
                    StringBuilder builder = new StringBuilder();
                    codePoints.forEach(builder::appendCodePoint);
                    return builder.toString();
                });
        Arbitrary<Object> binary =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(400).map(b -> b);
        return Arbitraries.oneOf(text, binary).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Integer> fragmentSizes() {
        return Arbitraries.integers().between(1, 500);
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 2048).list().ofMinSize(1).ofMaxSize(10);
    }

    /** Each message split into fragments, with a ping carrying its index after each. */
    private static byte[] encode(List<Object> messages, Role sender, int fragmentSize) {
        FrameEncoder encoder = new FrameEncoder(sender);
        ByteBuffer wire = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < messages.size(); i++) {
            Object message = messages.get(i);
            boolean text = message instanceof String;
            byte[] payload = text ? ((String) message).getBytes(StandardCharsets.UTF_8) : (byte[]) message;
            encoder.encodeMessage(wire, text ? Opcode.TEXT : Opcode.BINARY, 0, ByteBuffer.wrap(payload), fragmentSize);
            encoder.encodePing(wire, ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        wire.flip();
        byte[] bytes = new byte[wire.remaining()];
        wire.get(bytes);
        return bytes;
    }

    private static List<String> expectedEvents(List<Object> messages) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Object message = messages.get(i);
            events.add(message instanceof String text ? "text " + text : "binary " + Hex.of((byte[]) message));
            events.add("ping " + Hex.of(new byte[] {(byte) i}));
        }
        return events;
    }

    private interface Decode {
        void decode(ByteBuffer buffer);
    }

    /** Feeds {@code wire} in chunks of the given sizes, taken in turn. */
    private static void feed(byte[] wire, List<Integer> chunks, boolean direct, Decode decode) {
        int at = 0;
        for (int i = 0; at < wire.length; i++) {
            int size = Math.min(chunks.get(i % chunks.size()), wire.length - at);
            ByteBuffer chunk = ByteBuffer.wrap(wire, at, size);
            if (direct) {
                chunk = ByteBuffer.allocateDirect(size).put(chunk).flip();
            }
            decode.decode(chunk);
            assertThat(chunk.hasRemaining()).isFalse();
            at += size;
        }
    }

    private static Role receiver(Role sender) {
        return sender == Role.CLIENT ? Role.SERVER : Role.CLIENT;
    }

    /** Joins parts into messages, checking that only the last part of each may be empty. */
    private static final class Joining implements MessageSink {
        final List<String> events = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onText(String message) {
            throw new AssertionError("whole text in parts mode");
        }

        @Override
        public void onBinary(ByteBuffer data) {
            throw new AssertionError("whole binary in parts mode");
        }

        @Override
        public void onTextPart(String part, boolean last) {
            assertThat(last || !part.isEmpty())
                    .as("a non-final part is not empty")
                    .isTrue();
            text.append(part);
            if (last) {
                events.add("text " + text);
                text.setLength(0);
            }
        }

        @Override
        public void onBinaryPart(ByteBuffer part, boolean last) {
            assertThat(last || part.hasRemaining())
                    .as("a non-final part is not empty")
                    .isTrue();
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                events.add("binary " + Hex.of(binary.toByteArray()));
                binary.reset();
            }
        }

        @Override
        public void onPing(ByteBuffer payload) {
            events.add("ping " + Hex.of(payload));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            events.add("pong " + Hex.of(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close " + code + " " + reason);
        }
    }
}
