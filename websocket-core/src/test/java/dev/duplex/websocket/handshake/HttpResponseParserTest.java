package dev.duplex.websocket.handshake;

import static dev.duplex.websocket.handshake.Bytes.buffer;
import static dev.duplex.websocket.handshake.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseParserTest {

    private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n";

    @Test
    void parsesResponseHead() {
        HttpResponse response = new HttpResponseParser().parse(buffer(RESPONSE));

        assertThat(response).isNotNull();
        assertThat(response.version()).isEqualTo("HTTP/1.1");
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.reason()).isEqualTo("Switching Protocols");
        assertThat(response.headers().first("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void leavesFramesSentRightAfterThe101InTheBuffer() {
        ByteBuffer in = buffer(RESPONSE + "\u0081\u0002hi"); // text frame "hi"

        assertThat(new HttpResponseParser().parse(in)).isNotNull();

        assertThat(text(in)).isEqualTo("\u0081\u0002hi");
    }

    @Test
    void parsesResponseSplitAtEveryPosition() {
        byte[] bytes = (RESPONSE + "\u0089\u0000").getBytes(StandardCharsets.ISO_8859_1); // + empty ping
        HttpResponse whole = new HttpResponseParser().parse(buffer(RESPONSE));
        for (int split = 1; split < RESPONSE.length(); split++) {
            HttpResponseParser parser = new HttpResponseParser();
            assertThat(parser.parse(ByteBuffer.wrap(bytes, 0, split))).isNull();
            ByteBuffer rest = ByteBuffer.wrap(bytes, split, bytes.length - split);
            assertThat(parser.parse(rest)).as("split at %d", split).isEqualTo(whole);
            assertThat(text(rest)).isEqualTo("\u0089\u0000");
        }
    }

    @Test
    void acceptsAStatusLineWithoutReasonPhrase() {
        HttpResponse response = new HttpResponseParser().parse(buffer("HTTP/1.1 101\r\n\r\n"));

        assertThat(response.status()).isEqualTo(101);
        assertThat(response.reason()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "HTTP/1.1 1010 Switching\r\n\r\n",
                "HTTP/1.1  101 Switching\r\n\r\n",
                "HTTP/1.1 10x Switching\r\n\r\n",
                "HTTP/1.1 099 Nope\r\n\r\n",
                "HTTP/11 101 Switching\r\n\r\n",
                "ICY 200 OK\r\n\r\n",
                "HTTP/1.1 101 Bad\u0001Reason\r\n\r\n",
            })
    void rejectsMalformedStatusLines(String head) {
        assertThatThrownBy(() -> new HttpResponseParser().parse(buffer(head)))
                .isInstanceOf(HttpParseException.class)
                .hasMessage("Malformed status line");
    }

    @Test
    void failsOnAResponseHeadPastTheLimit() {
        ByteBuffer in = buffer("HTTP/1.1 101 Switching Protocols\r\nX: " + "a".repeat(200));

        assertThatThrownBy(() -> new HttpResponseParser(100, 10).parse(in))
                .hasMessage("Response head is larger than 100 bytes");
        assertThat(in.position()).isEqualTo(100);
    }

    @Test
    void rejectsBareLineFeedsInResponses() {
        assertThatThrownBy(() -> new HttpResponseParser().parse(buffer("HTTP/1.1 101 OK\n\n")))
                .hasMessage("Bare LF in response head");
    }
}
