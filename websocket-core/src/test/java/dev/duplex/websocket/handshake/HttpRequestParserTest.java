package dev.duplex.websocket.handshake;

import static dev.duplex.websocket.handshake.Bytes.buffer;
import static dev.duplex.websocket.handshake.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestParserTest {

    private static final String REQUEST = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "Sec-WebSocket-Protocol: superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    @Test
    void parsesRequestHeadInOneBuffer() {
        HttpRequest request = new HttpRequestParser().parse(buffer(REQUEST));

        assertThat(request).isNotNull();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.target()).isEqualTo("/chat?room=1");
        assertThat(request.path()).isEqualTo("/chat");
        assertThat(request.query()).isEqualTo("room=1");
        assertThat(request.version()).isEqualTo("HTTP/1.1");
        assertThat(request.headers().size()).isEqualTo(7);
        assertThat(request.headers().first("host")).isEqualTo("server.example.com");
        assertThat(request.headers().all("SEC-WEBSOCKET-PROTOCOL")).containsExactly("chat", "superchat");
        assertThat(request.offeredSubprotocols()).containsExactly("chat", "superchat");
        assertThat(request.headers().isReadOnly()).isTrue();
    }

    @Test
    void parsesRequestSplitAtEveryPosition() {
        HttpRequest whole = new HttpRequestParser().parse(buffer(REQUEST));
        byte[] bytes = REQUEST.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int split = 1; split < bytes.length; split++) {
            HttpRequestParser parser = new HttpRequestParser();
            ByteBuffer first = ByteBuffer.wrap(bytes, 0, split);
            assertThat(parser.parse(first)).as("split at %d", split).isNull();
            assertThat(first.hasRemaining()).isFalse();
            ByteBuffer second = ByteBuffer.wrap(bytes, split, bytes.length - split);
            assertThat(parser.parse(second)).as("split at %d", split).isEqualTo(whole);
        }
    }

    @Test
    void parsesRequestFedOneByteAtATime() {
        HttpRequestParser parser = new HttpRequestParser();
        byte[] bytes = REQUEST.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpRequest request = null;
        for (int i = 0; i < bytes.length; i++) {
            request = parser.parse(ByteBuffer.wrap(bytes, i, 1));
            assertThat(request == null).isEqualTo(i < bytes.length - 1);
        }
        assertThat(request).isEqualTo(new HttpRequestParser().parse(buffer(REQUEST)));
    }

    @Test
    void leavesBytesAfterTheHeadInTheBuffer() {
        ByteBuffer in = buffer(REQUEST + "\u0081\u0085hello");

        assertThat(new HttpRequestParser().parse(in)).isNotNull();

        assertThat(text(in)).isEqualTo("\u0081\u0085hello");
    }

    @Test
    void failsOnceTheHeadSizeLimitIsPassedWithoutBufferingMore() {
        HttpRequestParser parser = new HttpRequestParser(64, 10);
        ByteBuffer in = buffer("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(1000) + "\r\n\r\n");

        assertThatThrownBy(() -> parser.parse(in))
                .isInstanceOfSatisfying(
                        HttpParseException.class, e -> assertThat(e.status()).isEqualTo(431))
                .hasMessage("Request head is larger than 64 bytes");
        assertThat(in.position()).isEqualTo(64);
    }

    @Test
    void neverHoldsMoreThanTheLimitWhenFedInPieces() {
        HeadAccumulator head = new HeadAccumulator("request", 1000, 10, 431);
        ByteBuffer piece = buffer("GET / HTTP/1.1\r\nX: " + "a".repeat(300));
        head.feed(piece);
        for (int i = 0; i < 2; i++) {
            head.feed(buffer("b".repeat(300)));
        }

        assertThatThrownBy(() -> head.feed(buffer("c".repeat(300))))
                .hasMessage("Request head is larger than 1000 bytes");
        assertThat(head.bufferedBytes()).isLessThanOrEqualTo(1000);
    }

    @Test
    void acceptsAHeadOfExactlyTheLimit() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

        assertThat(new HttpRequestParser(head.length(), 10).parse(buffer(head))).isNotNull();
        assertThatThrownBy(() -> new HttpRequestParser(head.length() - 1, 10).parse(buffer(head)))
                .hasMessage("Request head is larger than " + (head.length() - 1) + " bytes");
    }

    @Test
    void failsOnTooManyHeaderFields() {
        HttpRequestParser parser = new HttpRequestParser(8192, 2);

        assertThatThrownBy(() -> parser.parse(buffer("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n")))
                .isInstanceOfSatisfying(
                        HttpParseException.class, e -> assertThat(e.status()).isEqualTo(431))
                .hasMessage("More than 2 header fields");
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfHeaderFields() {
        HttpRequestParser parser = new HttpRequestParser(8192, 2);

        assertThat(parser.parse(buffer("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n")))
                .isNotNull();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET / HTTP/1.1\\nHost: a\\r\\n\\r\\n                 | Bare LF in request head",
                "GET / HTTP/1.1\\r\\nHost: a\\n\\n                     | Bare LF in request head",
                "GET / HTTP/1.1\\rHost: a\\r\\n\\r\\n                 | Bare CR in request head",
                "GET / HTTP/1.1\\r\\nHost: a\\r\\n folded\\r\\n\\r\\n   | Obsolete line folding in request head",
                "GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n              | Whitespace before colon in request head",
                "GET / HTTP/1.1\\r\\nHost\\t: a\\r\\n\\r\\n            | Whitespace before colon in request head",
                "GET / HTTP/1.1\\r\\nHost a\\r\\n\\r\\n               | Header field without a colon in request head",
                "GET / HTTP/1.1\\r\\n: a\\r\\n\\r\\n                   | Empty header field name in request head",
                "GET / HTTP/1.1\\r\\nHo(st: a\\r\\n\\r\\n             | Malformed header field name in request head",
                "GET / HTTP/1.1\\r\\nX-A: a\\u0000b\\r\\n\\r\\n        | Control character in header field X-A",
                "GET / HTTP/1.1\\r\\nX-A: a\\u007fb\\r\\n\\r\\n        | Control character in header field X-A",
                "GET  / HTTP/1.1\\r\\n\\r\\n                          | Malformed request line",
                "GET / HTTP/1.1 \\r\\n\\r\\n                          | Malformed request line",
                "GET /\\r\\n\\r\\n                                    | Malformed request line",
                "\\r\\n\\r\\n                                         | Malformed request line",
                "G(T / HTTP/1.1\\r\\n\\r\\n                           | Malformed request line",
                "GET http://a/ HTTP/1.1\\r\\n\\r\\n                   | Request target is not in origin-form",
                "GET * HTTP/1.1\\r\\n\\r\\n                           | Request target is not in origin-form",
                "GET /a%zz HTTP/1.1\\r\\n\\r\\n                       | Request target is not in origin-form",
                "GET /a\"b HTTP/1.1\\r\\n\\r\\n                       | Request target is not in origin-form",
                "GET / HTTP/1\\r\\n\\r\\n                             | Malformed HTTP version",
                "GET / http/1.1\\r\\n\\r\\n                           | Malformed HTTP version",
            })
    void rejectsMalformedRequestHeadsWith400(String escaped, String message) {
        ByteBuffer in = buffer(unescape(escaped.strip()));

        assertThatThrownBy(() -> new HttpRequestParser().parse(in))
                .isInstanceOfSatisfying(
                        HttpParseException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(message);
    }

    @Test
    void refusesToParseAfterAFailure() {
        HttpRequestParser parser = new HttpRequestParser();
        assertThatThrownBy(() -> parser.parse(buffer("GET / HTTP/1.1\n"))).isInstanceOf(HttpParseException.class);

        assertThatThrownBy(() -> parser.parse(buffer("\r\n"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsObsoleteTextInValuesAsLatin1() {
        HttpRequest request = new HttpRequestParser().parse(buffer("GET / HTTP/1.1\r\nX-Name: caf\u00e9\r\n\r\n"));

        assertThat(request.headers().first("x-name")).isEqualTo("caf\u00e9");
    }

    @Test
    void trimsWhitespaceAroundValues() {
        HttpRequest request = new HttpRequestParser().parse(buffer("GET / HTTP/1.1\r\nX-A: \t a b \t\r\nX-B:\r\n\r\n"));

        assertThat(request.headers().first("x-a")).isEqualTo("a b");
        assertThat(request.headers().first("x-b")).isEmpty();
    }

    @Test
    void readsCookies() {
        HttpRequest request = new HttpRequestParser()
                .parse(buffer("GET / HTTP/1.1\r\nCookie: a=1; b=\"two\"\r\nCookie: c=3; a=9; junk\r\n\r\n"));

        assertThat(request.cookies())
                .containsExactly(
                        java.util.Map.entry("a", "1"), java.util.Map.entry("b", "two"), java.util.Map.entry("c", "3"));
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
