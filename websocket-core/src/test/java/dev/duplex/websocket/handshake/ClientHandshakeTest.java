package dev.duplex.websocket.handshake;

import static dev.duplex.websocket.handshake.Bytes.buffer;
import static dev.duplex.websocket.handshake.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.HandshakeException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final String OK = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n";

    private static ClientHandshake.Builder builder(String uri) {
        return ClientHandshake.builder(URI.create(uri)).key(KEY);
    }

    private static ClientHandshake offering() {
        return builder("ws://example.com/chat")
                .subprotocols(List.of("chat", "superchat"))
                .extensions(List.of(ExtensionOffer.of("permessage-deflate")))
                .build();
    }

    private static HandshakeException failure(ClientHandshake handshake, String response) {
        try {
            handshake.receive(buffer(response));
        } catch (HandshakeException e) {
            return e;
        }
        throw new AssertionError("no HandshakeException for " + response);
    }

    @Test
    void writesTheMinimalRequest() {
        ClientHandshake h = builder("ws://example.com/chat").build();

        assertThat(text(h.requestBytes()))
                .isEqualTo("GET /chat HTTP/1.1\r\n"
                        + "Host: example.com\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n"
                        + "\r\n");
    }

    @Test
    void writesEveryOptionalHeaderInOrder() {
        ClientHandshake h = builder("wss://example.com:8443?room=1")
                .origin("https://app.example.com")
                .subprotocols(List.of("v2.chat", "v1.chat"))
                .extensions(List.of(
                        ExtensionOffer.of("permessage-deflate", ExtensionParameter.flag("client_max_window_bits")),
                        ExtensionOffer.of("permessage-deflate")))
                .bearerToken("abc.DEF-123=")
                .cookie("a", "1")
                .header("X-Trace", "t1")
                .cookie("b", "2")
                .header("x-trace", "t2")
                .build();

        assertThat(text(h.requestBytes()))
                .isEqualTo("GET /?room=1 HTTP/1.1\r\n"
                        + "Host: example.com:8443\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n"
                        + "Origin: https://app.example.com\r\n"
                        + "Sec-WebSocket-Protocol: v2.chat, v1.chat\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate\r\n"
                        + "Authorization: Bearer abc.DEF-123=\r\n"
                        + "Cookie: a=1; b=2\r\n"
                        + "X-Trace: t1\r\n"
                        + "x-trace: t2\r\n"
                        + "\r\n");
    }

    @Test
    void writesBasicCredentialsInUtf8() {
        ClientHandshake h = builder("ws://[::1]:9000/")
                .basicAuth("Aladdin", "open sesame\u00e9")
                .build();

        assertThat(text(h.requestBytes()))
                .contains("\r\nHost: [::1]:9000\r\n")
                .contains("\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZcOp\r\n");
    }

    @Test
    void turnsUserInfoOfTheUriIntoBasicCredentials() {
        ClientHandshake h = builder("ws://Aladdin:open%20sesame@example.com/").build();

        assertThat(text(h.requestBytes()))
                .contains("\r\nHost: example.com\r\n")
                .contains("\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n");
    }

    @Test
    void mergesACookieHeaderWithCookies() {
        ClientHandshake h = builder("ws://example.com/")
                .header("Cookie", "yummy_cookie=choco; tasty_cookie=strawberry")
                .cookie("c", "3")
                .build();

        assertThat(text(h.requestBytes())).contains("\r\nCookie: yummy_cookie=choco; tasty_cookie=strawberry; c=3\r\n");
    }

    @Test
    void drawsAFreshRandomKeyPerHandshake() {
        ClientHandshake.Builder b = ClientHandshake.builder(URI.create("ws://example.com/"));

        ClientHandshake first = b.build();
        ClientHandshake second = b.build();

        assertThat(AcceptKey.isValidKey(first.key())).isTrue();
        assertThat(first.key()).isNotEqualTo(second.key());
        assertThat(text(first.requestBytes())).contains("Sec-WebSocket-Key: " + first.key() + "\r\n");
    }

    @Test
    void refusesHeaderInjection() {
        ClientHandshake.Builder b = builder("ws://example.com/");

        assertThatThrownBy(() -> b.header("X-A", "1\r\nX-Evil: 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'value' must not contain control characters such as CR or LF, was \"1\\r\\nX-Evil: 2\"");
        assertThatThrownBy(() -> b.header("X-A\r\nX-Evil", "2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.header("X A", "2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.origin("https://a.com\nX: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.cookie("a", "1; b=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'value' must be cookie octets (RFC 6265 §4.1.1), was \"1; b=2\"");
        assertThatThrownBy(() -> b.cookie("a=b", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.bearerToken("abc\r\ndef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.basicAuth("a:b", "c")).hasMessage("'user' must not contain ':' (RFC 7617 §2)");
        assertThatThrownBy(() -> b.subprotocols(List.of("chat\r\n")))
                .hasMessage("'subprotocols' must hold HTTP tokens, was \"chat\\r\\n\"");
    }

    @Test
    void refusesHeadersTheHandshakeWrites() {
        assertThatThrownBy(() -> builder("ws://example.com/").header("Sec-WebSocket-Key", KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'name' must not be Sec-WebSocket-Key, which the handshake writes");
        assertThatThrownBy(() -> builder("ws://example.com/").header("host", "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder("ws://example.com/")
                        .bearerToken("t")
                        .header("Authorization", "Basic x")
                        .build())
                .hasMessage("'Authorization' must not be both a header and credentials");
    }

    @Test
    void refusesUrisThatAreNotWebSocketUris() {
        assertThatThrownBy(() -> ClientHandshake.builder(URI.create("https://example.com/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'uri' must use the ws or wss scheme, was https in https://example.com/");
    }

    @Test
    void acceptsAValidResponseAndLeavesTheFirstFrames() {
        ClientHandshake h = offering();
        ByteBuffer in = buffer(OK + "Sec-WebSocket-Protocol: superchat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n"
                + "\u0081\u0002hi"); // text frame "hi"

        assertThat(h.receive(in)).isTrue();

        assertThat(h.isAccepted()).isTrue();
        assertThat(h.subprotocol()).isEqualTo("superchat");
        assertThat(h.extensions())
                .containsExactly(
                        ExtensionOffer.of("permessage-deflate", ExtensionParameter.flag("server_no_context_takeover")));
        assertThat(h.response().headers().first("upgrade")).isEqualTo("websocket");
        assertThat(text(in)).isEqualTo("\u0081\u0002hi");
    }

    @Test
    void acceptsAResponseSplitAtEveryPosition() {
        byte[] bytes = (OK + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < bytes.length; split++) {
            ClientHandshake h = offering();
            assertThat(h.receive(ByteBuffer.wrap(bytes, 0, split))).isFalse();
            assertThat(h.receive(ByteBuffer.wrap(bytes, split, bytes.length - split)))
                    .as("split at %d", split)
                    .isTrue();
        }
    }

    @Test
    void acceptsUpgradeAndConnectionTokensInAnyCase() {
        ClientHandshake h = offering();

        assertThat(h.receive(buffer("HTTP/1.1 101 Switching Protocols\r\n"
                        + "UPGRADE: WebSocket\r\n"
                        + "connection: keep-alive, upgrade\r\n"
                        + "sec-websocket-accept: " + ACCEPT + "\r\n\r\n")))
                .isTrue();
        assertThat(h.subprotocol()).isNull();
        assertThat(h.extensions()).isEmpty();
    }

    @Test
    void reportsARefusalWithStatusHeadersAndBody() {
        HandshakeException e = failure(
                offering(),
                "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nX-Why: origin\r\n\r\n"
                        + "Go away, you!");

        assertThat(e.status()).isEqualTo(403);
        assertThat(e).hasMessage("Expected HTTP 101 Switching Protocols, the server answered 403 Forbidden");
        assertThat(e.headerValues("x-why")).containsExactly("origin");
        assertThat(e.bodyText()).isEqualTo("Go away, you!");
    }

    @Test
    void waitsForTheBodyOfARefusalAcrossReads() {
        ClientHandshake h = offering();

        assertThat(h.receive(buffer("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nNot ")))
                .isFalse();
        assertThatThrownBy(() -> h.receive(buffer("found")))
                .isInstanceOfSatisfying(
                        HandshakeException.class, e -> assertThat(e.bodyText()).isEqualTo("Not found"));
    }

    @Test
    void keepsOnlyTheFirstKibibyteOfALongBody() {
        String body = "x".repeat(5000);
        ByteBuffer in = buffer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5000\r\n\r\n" + body);

        HandshakeException e = failure(offering(), text(in));

        assertThat(e.body()).hasSize(HandshakeException.MAX_BODY_BYTES);
    }

    @Test
    void decodesAChunkedBody() {
        HandshakeException e = failure(
                offering(),
                "HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nLog i\r\n4;ext=1\r\nn fi\r\n3\r\nrst\r\n0\r\n\r\n");

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.bodyText()).isEqualTo("Log in first");
    }

    @Test
    void reportsWhatArrivedWhenTheServerClosesDuringTheBody() {
        ClientHandshake h = offering();
        assertThat(h.receive(buffer("HTTP/1.1 503 Service Unavailable\r\n\r\nBusy, tr")))
                .isFalse();

        HandshakeException e = h.endOfInput();

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.bodyText()).isEqualTo("Busy, tr");
    }

    @Test
    void reportsAServerThatClosesBeforeAnyResponse() {
        ClientHandshake h = offering();
        h.receive(buffer("HTTP/1.1 101 Swi"));

        HandshakeException e = h.endOfInput();

        assertThat(e.status()).isZero();
        assertThat(e).hasMessage("The server sent no complete handshake response");
    }

    @Test
    void failsOnAResponseWithoutBodyAtOnce() {
        HandshakeException e = failure(offering(), "HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(e.status()).isEqualTo(204);
        assertThat(e.body()).isEmpty();
    }

    @Test
    void failsOnAWrongAcceptKey() {
        HandshakeException e = failure(
                offering(),
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n");

        assertThat(e.status()).isEqualTo(101);
        assertThat(e).hasMessage("The server's Sec-WebSocket-Accept does not match the key sent");
        assertThat(e.headerValues("Sec-WebSocket-Accept")).containsExactly("AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    }

    @Test
    void failsOnARepeatedAcceptKey() {
        assertThat(failure(offering(), OK + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n"))
                .hasMessage("The server's Sec-WebSocket-Accept does not match the key sent");
    }

    @Test
    void failsOnAMissingAcceptKey() {
        assertThat(failure(
                        offering(),
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"))
                .hasMessage("The server's response lacks Sec-WebSocket-Accept");
    }

    @Test
    void failsWithoutUpgradeOrConnectionTokens() {
        assertThat(failure(offering(), OK.replace("Upgrade: websocket", "Upgrade: h2c") + "\r\n"))
                .hasMessage("The server's response lacks Upgrade: websocket");
        assertThat(failure(offering(), OK.replace("Connection: Upgrade", "Connection: close") + "\r\n"))
                .hasMessage("The server's response lacks Connection: Upgrade");
    }

    @Test
    void failsOnAnHttp10Response() {
        assertThat(failure(offering(), OK.replace("HTTP/1.1", "HTTP/1.0") + "\r\n"))
                .hasMessage("The server answered with HTTP/1.0 instead of HTTP/1.1");
    }

    @Test
    void failsOnASubprotocolThatWasNotOffered() {
        assertThat(failure(offering(), OK + "Sec-WebSocket-Protocol: mqtt\r\n\r\n"))
                .hasMessage("The server selected subprotocol mqtt, which was not offered");
        assertThat(failure(builder("ws://example.com/").build(), OK + "Sec-WebSocket-Protocol: chat\r\n\r\n"))
                .hasMessage("The server selected subprotocol chat, which was not offered");
    }

    @Test
    void failsOnSeveralSubprotocols() {
        assertThat(failure(offering(), OK + "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n"))
                .hasMessage("The server selected several subprotocols: chat, superchat");
        assertThat(failure(offering(), OK + "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n\r\n"))
                .hasMessage("The server selected several subprotocols: chat, chat");
    }

    @Test
    void failsOnAnExtensionThatWasNotOffered() {
        assertThat(failure(offering(), OK + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n"))
                .hasMessage("The server accepted extension x-webkit-deflate-frame, which was not offered");
        assertThat(failure(
                        builder("ws://example.com/").build(),
                        OK + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"))
                .hasMessage("The server accepted extension permessage-deflate, which was not offered");
    }

    @Test
    void failsOnAnExtensionAcceptedTwice() {
        assertThat(failure(offering(), OK + "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n\r\n"))
                .hasMessage("The server accepted extension permessage-deflate twice");
    }

    @Test
    void failsOnAMalformedExtensionsHeader() {
        assertThat(failure(offering(), OK + "Sec-WebSocket-Extensions: permessage-deflate; =1\r\n\r\n"))
                .hasMessage(
                        "Malformed Sec-WebSocket-Extensions: expected a parameter name at index 20 of \"permessage-deflate; =1\"");
    }

    @Test
    void failsOnAMalformedResponse() {
        HandshakeException e = failure(offering(), "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n");

        assertThat(e.status()).isZero();
        assertThat(e).hasMessage("Malformed handshake response: Bare LF in response head");
    }

    @Test
    void failsOnAnOversizeResponseHead() {
        ClientHandshake h = builder("ws://example.com/").maxResponseHeadSize(64).build();

        assertThat(failure(h, OK + "X-Padding: " + "p".repeat(100) + "\r\n\r\n"))
                .hasMessage("Malformed handshake response: Response head is larger than 64 bytes");
    }

    @Test
    void refusesToReceiveAfterTheOutcome() {
        ClientHandshake h = offering();
        h.receive(buffer(OK + "\r\n"));

        assertThatThrownBy(() -> h.receive(buffer("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void worksAgainstTheServerSide() {
        ClientHandshake client = builder("ws://example.com/chat?x=1")
                .origin("http://example.com")
                .subprotocols(List.of("a", "b"))
                .build();
        ServerHandshake server = ServerHandshake.builder().subprotocols("b").build();

        HttpRequest request = new HttpRequestParser().parse(ByteBuffer.wrap(client.requestBytes()));
        HandshakeDecision decision = server.decide(request);

        assertThat(decision).isInstanceOf(HandshakeAcceptance.class);
        assertThat(client.receive(ByteBuffer.wrap(decision.toBytes()))).isTrue();
        assertThat(client.subprotocol()).isEqualTo("b");
    }
}
