package dev.duplex.websocket.handshake;

import static dev.duplex.websocket.handshake.Bytes.buffer;
import static dev.duplex.websocket.handshake.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerHandshakeTest {

    private final ServerHandshake handshake = ServerHandshake.builder().build();

    /** A valid request head, line by line, to be varied by each test. */
    private static final class Req {
        String requestLine = "GET /chat HTTP/1.1";
        final List<String> fields = new ArrayList<>(List.of(
                "Host: server.example.com",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version: 13"));

        Req line(String line) {
            requestLine = line;
            return this;
        }

        Req with(String field) {
            fields.add(field);
            return this;
        }

        Req without(String name) {
            fields.removeIf(f -> f.regionMatches(true, 0, name + ":", 0, name.length() + 1));
            return this;
        }

        HttpRequest parse() {
            return new HttpRequestParser()
                    .parse(buffer(requestLine + "\r\n" + String.join("\r\n", fields) + "\r\n\r\n"));
        }
    }

    private static Req req() {
        return new Req();
    }

    private HandshakeRejection rejection(ServerHandshake server, Req req) {
        HandshakeDecision decision = server.decide(req.parse());
        assertThat(decision).isInstanceOf(HandshakeRejection.class);
        return (HandshakeRejection) decision;
    }

    private HandshakeRejection rejection(Req req) {
        return rejection(handshake, req);
    }

    private HandshakeAcceptance acceptance(ServerHandshake server, Req req) {
        HandshakeDecision decision = server.decide(req.parse());
        assertThat(decision).isInstanceOf(HandshakeAcceptance.class);
        return (HandshakeAcceptance) decision;
    }

    @Test
    void acceptsTheRfcSampleRequestWithTheExactResponse() {
        HandshakeAcceptance accepted = acceptance(handshake, req());

        assertThat(accepted.status()).isEqualTo(101);
        assertThat(accepted.subprotocol()).isNull();
        assertThat(text(accepted.toBytes()))
                .isEqualTo("HTTP/1.1 101 Switching Protocols\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                        + "\r\n");
    }

    @Test
    void acceptsUpgradeAndConnectionTokensInAnyCaseAndInLists() {
        Req req = req().without("Upgrade")
                .without("Connection")
                .with("upgrade: h2c, WebSocket")
                .with("connection: keep-alive")
                .with("CONNECTION: UPGRADE");

        assertThat(handshake.decide(req.parse())).isInstanceOf(HandshakeAcceptance.class);
    }

    @Test
    void rejectsOtherMethodsWith405AndAllowGet() {
        HandshakeRejection r = rejection(req().line("POST /chat HTTP/1.1"));

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.message()).isEqualTo("Method POST is not allowed; a WebSocket handshake uses GET");
        assertThat(r.headers().first("Allow")).isEqualTo("GET");
        assertThat(text(r.toBytes()))
                .isEqualTo("HTTP/1.1 405 Method Not Allowed\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 58\r\n"
                        + "Connection: close\r\n"
                        + "Allow: GET\r\n"
                        + "\r\n"
                        + "Method POST is not allowed; a WebSocket handshake uses GET");
    }

    @Test
    void rejectsHttp10With400() {
        HandshakeRejection r = rejection(req().line("GET /chat HTTP/1.0"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("HTTP/1.0 is not supported; a WebSocket handshake requires HTTP/1.1");
    }

    @Test
    void rejectsOtherHttpVersionsWith505() {
        HandshakeRejection r = rejection(req().line("GET /chat HTTP/2.0"));

        assertThat(r.status()).isEqualTo(505);
        assertThat(r.message()).isEqualTo("HTTP/2.0 is not supported; a WebSocket handshake requires HTTP/1.1");
        assertThat(text(r.toBytes())).startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n");
    }

    @Test
    void rejectsAMissingHostWith400() {
        HandshakeRejection r = rejection(req().without("Host"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("Missing Host header");
    }

    @Test
    void rejectsARepeatedOrInvalidHostWith400() {
        assertThat(rejection(req().with("Host: other.example.com")).message()).isEqualTo("Multiple Host headers");
        assertThat(rejection(req().without("Host").with("Host: a b")).message()).isEqualTo("Invalid Host header");
        assertThat(rejection(req().without("Host").with("Host: a:99999")).status())
                .isEqualTo(400);
    }

    @Test
    void answersAPlainHttpRequestWith426AndTheUpgradeHeaders() {
        HandshakeRejection r = rejection(req().without("Upgrade"));

        assertThat(r.status()).isEqualTo(426);
        assertThat(r.message()).isEqualTo("Missing Upgrade: websocket");
        assertThat(text(r.toBytes()))
                .isEqualTo("HTTP/1.1 426 Upgrade Required\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 26\r\n"
                        + "Connection: Upgrade, close\r\n"
                        + "Upgrade: websocket\r\n"
                        + "\r\n"
                        + "Missing Upgrade: websocket");
    }

    @Test
    void answersAMissingConnectionUpgradeWith426() {
        HandshakeRejection r = rejection(req().without("Connection").with("Connection: keep-alive"));

        assertThat(r.status()).isEqualTo(426);
        assertThat(r.message()).isEqualTo("Missing Connection: Upgrade");
        assertThat(r.headers().first("Upgrade")).isEqualTo("websocket");
        assertThat(r.headers().containsToken("Connection", "upgrade")).isTrue();
    }

    @Test
    void answersAnUpgradeToAnotherProtocolWith426() {
        assertThat(rejection(req().without("Upgrade").with("Upgrade: h2c")).status())
                .isEqualTo(426);
    }

    @Test
    void answersAMissingVersionWith426AndVersion13() {
        HandshakeRejection r = rejection(req().without("Sec-WebSocket-Version"));

        assertThat(r.status()).isEqualTo(426);
        assertThat(r.message()).isEqualTo("Missing Sec-WebSocket-Version header");
        assertThat(r.headers().all("Sec-WebSocket-Version")).containsExactly("13");
    }

    @Test
    void answersAnotherVersionWith426AndVersion13() {
        HandshakeRejection r = rejection(req().without("Sec-WebSocket-Version").with("Sec-WebSocket-Version: 8"));

        assertThat(r.status()).isEqualTo(426);
        assertThat(r.message()).isEqualTo("Unsupported Sec-WebSocket-Version 8; only 13 is supported");
        assertThat(text(r.toBytes())).contains("\r\nSec-WebSocket-Version: 13\r\n");
        assertThat(rejection(req().without("Sec-WebSocket-Version").with("Sec-WebSocket-Version: 13, 8"))
                        .status())
                .isEqualTo(426);
    }

    @Test
    void rejectsARepeatedVersionWith400() {
        HandshakeRejection r = rejection(req().with("Sec-WebSocket-Version: 13"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("Multiple Sec-WebSocket-Version headers");
    }

    @Test
    void rejectsAMissingKeyWith400() {
        HandshakeRejection r = rejection(req().without("Sec-WebSocket-Key"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("Missing Sec-WebSocket-Key header");
    }

    @Test
    void rejectsARepeatedKeyWith400() {
        HandshakeRejection r = rejection(req().with("Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA=="));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("Multiple Sec-WebSocket-Key headers");
    }

    @Test
    void rejectsAKeyThatIsNotBase64Of16BytesWith400() {
        for (String key : List.of("dGhlIHNhbXBsZSBub25j", "not base64 at all!!!!!!!", "AAAAAAAAAAAAAAAAAAAAAAA=")) {
            HandshakeRejection r = rejection(req().without("Sec-WebSocket-Key").with("Sec-WebSocket-Key: " + key));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.message()).isEqualTo("Sec-WebSocket-Key is not base64 of 16 bytes");
        }
    }

    @Test
    void refusesACrossOriginBrowserRequestWith403ByDefault() {
        HandshakeRejection r = rejection(req().with("Origin: https://evil.example"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.message()).isEqualTo("Origin https://evil.example is not allowed");
    }

    @Test
    void acceptsASameOriginBrowserRequestAndARequestWithoutOriginByDefault() {
        assertThat(handshake.decide(
                        req().with("Origin: https://server.example.com").parse()))
                .isInstanceOf(HandshakeAcceptance.class);
        assertThat(handshake.decide(req().parse())).isInstanceOf(HandshakeAcceptance.class);
    }

    @Test
    void refusesTheNullOriginByDefault() {
        assertThat(rejection(req().with("Origin: null")).status()).isEqualTo(403);
    }

    @Test
    void acceptsConfiguredOrigins() {
        ServerHandshake server = ServerHandshake.builder()
                .allowedOrigins("https://*.example.org")
                .build();

        assertThat(acceptance(server, req().with("Origin: https://app.example.org"))
                        .status())
                .isEqualTo(101);
        assertThat(rejection(server, req().with("Origin: https://server.example.com"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void rejectsARepeatedOriginWith400() {
        assertThat(rejection(req().with("Origin: https://server.example.com").with("Origin: https://a.b"))
                        .message())
                .isEqualTo("Multiple Origin headers");
    }

    @Test
    void selectsTheSubprotocolInTheServersOrderOfPreference() {
        ServerHandshake server =
                ServerHandshake.builder().subprotocols("v2.chat", "v1.chat").build();

        HandshakeAcceptance a = acceptance(
                server, req().with("Sec-WebSocket-Protocol: v1.chat, soap").with("Sec-WebSocket-Protocol: v2.chat"));

        assertThat(a.subprotocol()).isEqualTo("v2.chat");
        assertThat(text(a.toBytes())).contains("\r\nSec-WebSocket-Protocol: v2.chat\r\n");
    }

    @Test
    void opensWithoutSubprotocolWhenNoneMatches() {
        ServerHandshake server = ServerHandshake.builder().subprotocols("mqtt").build();

        HandshakeAcceptance a = acceptance(server, req().with("Sec-WebSocket-Protocol: soap, wamp"));

        assertThat(a.subprotocol()).isNull();
        assertThat(text(a.toBytes())).doesNotContain("Sec-WebSocket-Protocol");
    }

    @Test
    void rejectsAMalformedSubprotocolListWith400() {
        HandshakeRejection r = rejection(req().with("Sec-WebSocket-Protocol: chat, a b"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("Malformed Sec-WebSocket-Protocol: a b is not a token");
    }

    @Test
    void letsTheHookChooseAnotherOfferedSubprotocolButNoOther() {
        HandshakeAcceptance a = acceptance(handshake, req().with("Sec-WebSocket-Protocol: a, b"));

        assertThat(a.withSubprotocol("b").subprotocol()).isEqualTo("b");
        assertThatThrownBy(() -> a.withSubprotocol("c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'subprotocol' must be one the client offered [a, b], was \"c\"");
    }

    @Test
    void passesExtensionOffersToTheNegotiatorAndWritesItsAnswer() {
        List<List<ExtensionOffer>> seen = new ArrayList<>();
        ServerHandshake server = ServerHandshake.builder()
                .extensions(offers -> {
                    seen.add(offers);
                    return List.of(ExtensionOffer.of(
                            "permessage-deflate", new ExtensionParameter("server_max_window_bits", "10")));
                })
                .build();

        HandshakeAcceptance a = acceptance(
                server,
                req().with("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-foo")
                        .with("Sec-WebSocket-Extensions: permessage-deflate"));

        assertThat(seen)
                .containsExactly(List.of(
                        ExtensionOffer.of("permessage-deflate", ExtensionParameter.flag("client_max_window_bits")),
                        ExtensionOffer.of("x-foo"),
                        ExtensionOffer.of("permessage-deflate")));
        assertThat(text(a.toBytes()))
                .contains("\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n");
    }

    @Test
    void rejectsMalformedExtensionOffersWith400() {
        HandshakeRejection r = rejection(req().with("Sec-WebSocket-Extensions: permessage-deflate;"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message())
                .isEqualTo(
                        "Malformed Sec-WebSocket-Extensions: expected a parameter name at index 19 of \"permessage-deflate;\"");
    }

    @Test
    void failsWhenTheNegotiatorAcceptsAnExtensionThatWasNotOffered() {
        ServerHandshake server = ServerHandshake.builder()
                .extensions(offers -> List.of(ExtensionOffer.of("x-other")))
                .build();
        HttpRequest request = req().with("Sec-WebSocket-Extensions: x-foo").parse();

        assertThatThrownBy(() -> server.decide(request))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the extension negotiator accepted x-other, which was not offered");
    }

    @Test
    void doesNotCallTheNegotiatorWithoutOffers() {
        ServerHandshake server = ServerHandshake.builder()
                .extensions(offers -> {
                    throw new AssertionError("called");
                })
                .build();

        assertThat(acceptance(server, req()).extensions()).isEmpty();
    }

    @Test
    void writesExtraHeadersAfterTheHandshakeHeaders() {
        HandshakeAcceptance a =
                acceptance(handshake, req()).withHeader("Set-Cookie", "id=1").withHeader("Set-Cookie", "b=2");

        assertThat(text(a.toBytes()))
                .endsWith("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                        + "Set-Cookie: id=1\r\nSet-Cookie: b=2\r\n\r\n");
    }

    @Test
    void refusesExtraHeadersTheHandshakeWrites() {
        HandshakeAcceptance a = acceptance(handshake, req());

        assertThatThrownBy(() -> a.withHeader("sec-websocket-accept", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'headers' must not set sec-websocket-accept, which the handshake writes");
        assertThatThrownBy(() -> a.withHeader("X-A", "1\r\nX-B: 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answersMalformedAndOversizeHeadsFromTheParser() {
        HttpParseException tooBig = new HttpParseException(431, "Request head is larger than 8192 bytes");

        assertThat(text(HandshakeRejection.of(tooBig).toBytes()))
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                .endsWith("\r\n\r\nRequest head is larger than 8192 bytes");
    }

    @Test
    void writesTheBodyLengthInUtf8Bytes() {
        HandshakeRejection r = HandshakeRejection.of(403, "caf\u00e9");

        assertThat(text(r.toBytes())).contains("Content-Length: 5\r\n");
    }

    @Test
    void refusesRejectionsWithoutAnErrorStatusOrWithLineBreaks() {
        assertThatThrownBy(() -> HandshakeRejection.of(200, "ok"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'status' must be in [300, 600), was 200");
        assertThatThrownBy(() -> HandshakeRejection.of(400, "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBadServerSubprotocols() {
        assertThatThrownBy(() -> ServerHandshake.builder().subprotocols("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'subprotocols' must hold HTTP tokens, was \"a b\"");
        assertThatThrownBy(() -> ServerHandshake.builder().subprotocols("a", "a"))
                .hasMessage("'subprotocols' must not repeat a");
    }
}
