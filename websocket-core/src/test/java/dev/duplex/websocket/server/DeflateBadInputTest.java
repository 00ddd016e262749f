package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.transport.ProtocolOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Permessage-deflate input a client may get wrong, on raw sockets: each case closes with exactly
 * one close frame carrying the right code. Client frames use the all-zero masking key, so their
 * payload bytes read as is.
 */
class DeflateBadInputTest {

    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
    private static final int LIMIT = 1024 * 1024;

    private static WebSocketServer server;

    @BeforeAll
    static void start() throws IOException {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .protocolOptions(ProtocolOptions.builder().maxMessageSize(LIMIT).build())
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** A client that offered permessage-deflate and saw it accepted. */
    private static RawClient negotiated() throws IOException {
        RawClient c = RawClient.connect(server.port());
        c.write(RawClient.upgradeRequest("/echo", OFFER));
        String head = c.readHead();
        assertThat(head).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Extensions: permessage-deflate\r\n");
        return c;
    }

    private static String close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        return String.format("88%02x%04x", r.length + 2, code) + HexFormat.of().formatHex(r);
    }

    @Test
    void inflatesACompressedMessageAndCompressesOnlyFromTheThreshold() throws IOException {
        try (RawClient c = negotiated()) {
            c.send("c187 00000000 f248cdc9c90700"); // RSV1 text "Hello" (RFC 7692 §7.2.3.1)
            assertThat(c.readFrame()).isEqualTo("810548656c6c6f"); // echoed uncompressed: below 32 bytes

            String text = "Hello, Hello, Hello, Hello, Hello, Hello!"; // 40 bytes
            c.send("81a8 00000000" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)));
            String echo = c.readFrame();
            assertThat(echo).startsWith("c1"); // FIN, RSV1, text
            assertThat(echo.length() / 2 - 2).isLessThan(text.length());
        }
    }

    @Test
    void rejectsRsv1OnAContinuationFrame() throws IOException {
        try (RawClient c = negotiated()) {
            c.send("4183 00000000 f248cd"); // RSV1 text, first part
            c.send("c084 00000000 c9c90700"); // RSV1 again on the continuation

            assertThat(c.expectCloseAndEnd(1002)).isEqualTo(close(1002, "RSV bits on a continuation frame"));
        }
    }

    @Test
    void rejectsRsv1OnAControlFrame() throws IOException {
        try (RawClient c = negotiated()) {
            c.send("c980 00000000"); // ping with RSV1

            assertThat(c.expectCloseAndEnd(1002)).isEqualTo(close(1002, "RSV bits on a control frame"));
        }
    }

    @Test
    void rejectsACompressedMessageWhenTheExtensionWasNotNegotiated() throws IOException {
        try (RawClient c = RawClient.connect(server.port()).open("/echo")) {
            c.send("c187 00000000 f248cdc9c90700"); // RSV1 text, but nothing was offered

            assertThat(c.expectCloseAndEnd(1002)).isEqualTo(close(1002, "RSV bits not negotiated: RSV1"));
        }
    }

    @Test
    void rejectsCorruptCompressedDataWith1007() throws IOException {
        try (RawClient c = negotiated()) {
            c.send("c284 00000000 ffffffff"); // RSV1 binary, not DEFLATE

            assertThat(c.expectCloseAndEnd(1007)).isEqualTo(close(1007, "Invalid compressed data: invalid block type"));
        }
    }

    @Test
    void rejectsInvalidUtf8InsideCompressedTextWith1007() throws IOException {
        try (RawClient c = negotiated()) {
            c.sendBytes(frame(0xc1, rawDeflate(new byte[] {'a', (byte) 0xff, 'b'})));

            assertThat(c.expectCloseAndEnd(1007)).isEqualTo(close(1007, "Invalid UTF-8 at byte 1 of a text message"));
        }
    }

    @Test
    void stopsABombAtTheMessageLimitWith1009() throws IOException {
        byte[] bomb = rawDeflate(new byte[64 * 1024 * 1024]); // 64 MiB of zeros in about 64 KiB
        assertThat(bomb.length).isLessThan(LIMIT / 10);
        try (RawClient c = negotiated()) {
            c.sendBytes(frame(0xc2, bomb));

            assertThat(c.expectCloseAndEnd(1009))
                    .isEqualTo(close(1009, "Binary message exceeds the limit of 1048576 bytes when decompressed"));
        }
    }

    /** A masked client frame (all-zero key) with {@code firstByte} and {@code payload}. */
    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        out.writeBytes(new byte[4]);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Raw DEFLATE, sync-flushed, trailer removed: a compressed message payload. */
    private static byte[] rawDeflate(byte[] data) {
        Deflater d = new Deflater(9, true);
        d.setInput(data);
        byte[] out = new byte[data.length / 500 + 1024];
        int n = 0;
        while (true) {
            n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        d.end();
        return Arrays.copyOf(out, n - 4);
    }
}
