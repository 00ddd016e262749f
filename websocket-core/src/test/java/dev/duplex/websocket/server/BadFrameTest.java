package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.transport.ProtocolOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One raw-socket test per RFC 6455 rule a client can break after the handshake: the server answers
 * with exactly one close frame carrying the right code and closes TCP. Client frames use the
 * all-zero masking key, so their payload bytes read as is.
 */
class BadFrameTest {

    private static WebSocketServer server;

    @BeforeAll
    static void start() throws IOException {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .protocolOptions(ProtocolOptions.builder()
                        .maxFrameSize(1024)
                        .maxMessageSize(1500)
                        .build())
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static String closeAfter(String... frames) throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            for (String f : frames) {
                c.send(f);
            }
            return c.readFrame() + (c.isClosedByServer() ? " EOF" : " OPEN");
        }
    }

    /** The hex of the unmasked close frame a server sends with {@code code} and {@code reason}. */
    private static String close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return String.format("88%02x%04x", r.length + 2, code) + HexFormat.of().formatHex(r);
    }

    private static int code(String closeAndEnd) {
        return Integer.parseInt(closeAndEnd.substring(4, 8), 16);
    }

    @Test
    void echoesAMaskedFrame() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("8185 00000000 68656c6c6f"); // masked text "hello"
            assertThat(c.readFrame()).isEqualTo("810568656c6c6f"); // text "hello"
            c.send("8880 00000000"); // masked close, no code
            assertThat(c.readFrame()).isEqualTo("8800"); // empty close echoed
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void rejectsUnmaskedClientFrame() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("810568656c6c6f"); // unmasked text "hello"
            assertThat(c.expectCloseAndEnd(1002)).isEqualTo(close(1002, "Unmasked frame from client"));
        }
    }

    @Test
    void rejectsOversizeFrameFromItsHeader() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("82fe07d0 00000000"); // binary frame announcing 2000 bytes, none sent
            assertThat(c.expectCloseAndEnd(1009))
                    .isEqualTo(close(1009, "Frame payload of 2000 bytes exceeds the limit of 1024"));
        }
    }

    @Test
    void rejectsOversizeMessage() throws IOException {
        String kilo = "00".repeat(1000);
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("02fe03e8 00000000" + kilo); // binary, 1000 bytes, not final
            c.send("00fe03e8 00000000" + kilo); // continuation, 1000 bytes: 2000 > 1500, not final
            c.expectCloseAndEnd(1009);
        }
    }

    @Test
    void rejectsInvalidUtf8() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("8182 00000000 c328"); // text: C3 then 28 is not a continuation byte
            c.expectCloseAndEnd(1007);
        }
    }

    @Test
    void rejectsInvalidUtf8InsideOneLargeFrameBeforeTheFrameEnds() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            // Text, final, 1,000 bytes (unmasked by a zero key); only the first 6 are ever sent,
            // and the fifth (28 after C3) cannot continue the code point.
            c.send("81fe03e8 00000000 414243c32841");
            // The rest of the frame never comes: the close must come now, not at the frame's end.
            assertThat(c.expectCloseAndEnd(1007)).isEqualTo(close(1007, "Invalid UTF-8 at byte 4 of a text message"));
        }
    }

    @Test
    void rejectsInvalidUtf8InALargeContinuationFrameBeforeItEnds() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("0182 00000000 4142"); // text "AB", not final
            c.send("80fe03e8 00000000 43ff"); // continuation of 1,000 bytes: FF is never UTF-8
            assertThat(c.expectCloseAndEnd(1007)).isEqualTo(close(1007, "Invalid UTF-8 at byte 3 of a text message"));
        }
    }

    @Test
    void rejectsInvalidUtf8SplitAcrossFragmentsBeforeTheFinalOne() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("0181 00000000 ce"); // text, not final: first byte of a 2-byte sequence
            c.send("0081 00000000 28"); // continuation, not final: '(' cannot continue it
            // No final fragment is ever sent: the close must come now.
            c.expectCloseAndEnd(1007);
        }
    }

    @Test
    void acceptsUtf8SplitInsideACodePoint() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("0181 00000000 ce"); // text, not final: first byte of kappa
            c.send("8081 00000000 ba"); // final continuation: its second byte
            assertThat(c.readFrame()).isEqualTo("8102ceba"); // text "κ"
        }
    }

    @Test
    void rejectsReservedBits() throws IOException {
        assertThat(code(closeAfter("c180 00000000"))).isEqualTo(1002); // RSV1 set, no extension
        assertThat(code(closeAfter("a180 00000000"))).isEqualTo(1002); // RSV2 set
        assertThat(code(closeAfter("9180 00000000"))).isEqualTo(1002); // RSV3 set
    }

    @Test
    void rejectsReservedOpcodes() throws IOException {
        assertThat(closeAfter("8380 00000000")).isEqualTo(close(1002, "Reserved opcode 0x3") + " EOF"); // opcode 3
        assertThat(closeAfter("8b80 00000000")).isEqualTo(close(1002, "Reserved opcode 0xb") + " EOF"); // opcode 0xB
    }

    @Test
    void rejectsFragmentedControlFrame() throws IOException {
        assertThat(closeAfter("0980 00000000")) // ping without FIN
                .isEqualTo(close(1002, "Fragmented control frame") + " EOF");
    }

    @Test
    void rejectsControlFrameOver125Bytes() throws IOException {
        assertThat(code(closeAfter("89fe007e 00000000" + "00".repeat(126)))).isEqualTo(1002); // 126-byte ping
    }

    @Test
    void rejectsContinuationWithoutAMessage() throws IOException {
        assertThat(code(closeAfter("8080 00000000"))).isEqualTo(1002); // lone final continuation
    }

    @Test
    void rejectsANewMessageInsideAFragmentedOne() throws IOException {
        assertThat(code(closeAfter("0181 00000000 61", "8181 00000000 62"))).isEqualTo(1002); // text, then text
    }

    @Test
    void rejectsBadCloseCodes() throws IOException {
        assertThat(code(closeAfter("8882 00000000 03ed"))).isEqualTo(1002); // close 1005
        assertThat(code(closeAfter("8882 00000000 03ee"))).isEqualTo(1002); // close 1006
        assertThat(code(closeAfter("8882 00000000 03e7"))).isEqualTo(1002); // close 999
        assertThat(code(closeAfter("8882 00000000 1388"))).isEqualTo(1002); // close 5000
        assertThat(code(closeAfter("8881 00000000 03"))).isEqualTo(1002); // 1-byte close payload
    }

    @Test
    void rejectsInvalidUtf8InCloseReason() throws IOException {
        assertThat(code(closeAfter("8884 00000000 03e8 c328"))).isEqualTo(1007); // 1000 + bad UTF-8
    }

    @Test
    void echoesAValidCloseCode() throws IOException {
        assertThat(closeAfter("8882 00000000 0fa0")).isEqualTo("88020fa0 EOF"); // close 4000, echoed
    }

    @Test
    void answersPingWithPong() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("8982 00000000 6869"); // ping "hi"
            assertThat(c.readFrame()).isEqualTo("8a026869"); // pong "hi"
        }
    }
}
