package dev.duplex.websocket.handshake;

import static dev.duplex.websocket.handshake.Bytes.buffer;
import static dev.duplex.websocket.handshake.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.HandshakeException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProxyConnectTest {

    @Test
    void writesTheConnectRequest() {
        ProxyConnect c = ProxyConnect.to(WebSocketUri.of("wss://example.com/chat"), null);

        assertThat(text(c.requestBytes()))
                .isEqualTo("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    }

    @Test
    void writesProxyCredentialsAndBracketsIpv6() {
        ProxyConnect c = ProxyConnect.to(WebSocketUri.of("ws://[::1]:9000/"), HttpAuthorization.basic("u", "p"));

        assertThat(text(c.requestBytes()))
                .isEqualTo("CONNECT [::1]:9000 HTTP/1.1\r\n"
                        + "Host: [::1]:9000\r\n"
                        + "Proxy-Authorization: Basic dTpw\r\n"
                        + "\r\n");
    }

    @Test
    void opensTheTunnelOn2xxAndLeavesTheTunnelledBytes() {
        ProxyConnect c = new ProxyConnect("example.com", 443, null);
        ByteBuffer in = buffer("HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0001"); // TLS record start

        assertThat(c.receive(in)).isTrue();
        assertThat(text(in)).isEqualTo("\u0016\u0003\u0001");
    }

    @Test
    void needsMoreBytesUntilTheHeadIsComplete() {
        ProxyConnect c = new ProxyConnect("example.com", 443, null);

        assertThat(c.receive(buffer("HTTP/1.1 200 OK\r\n"))).isFalse();
        assertThat(c.receive(buffer("\r\n"))).isTrue();
    }

    @Test
    void reportsARefusalWithTheProxysStatus() {
        ProxyConnect c = new ProxyConnect("example.com", 443, null);

        assertThatThrownBy(() -> c.receive(buffer("HTTP/1.1 407 Proxy Authentication Required\r\n"
                        + "Proxy-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 6\r\n\r\nLog in")))
                .isInstanceOfSatisfying(HandshakeException.class, e -> {
                    assertThat(e.status()).isEqualTo(407);
                    assertThat(e.headerValues("proxy-authenticate")).containsExactly("Basic realm=\"proxy\"");
                    assertThat(e.bodyText()).isEqualTo("Log in");
                })
                .hasMessage("The proxy refused CONNECT example.com:443: 407 Proxy Authentication Required");
    }

    @Test
    void reportsAMalformedOrMissingAnswer() {
        assertThatThrownBy(() -> new ProxyConnect("a.com", 80, null).receive(buffer("garbage\r\n\r\n")))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("Malformed proxy response: Malformed status line");
        assertThat(new ProxyConnect("a.com", 80, null).endOfInput())
                .hasMessage("The proxy sent no complete response to CONNECT a.com:80");
    }

    @Test
    void refusesBadTargets() {
        assertThatThrownBy(() -> new ProxyConnect("a.com", 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'port' must be in [1, 65536), was 0");
        assertThatThrownBy(() -> new ProxyConnect("a.com\r\nX: 1", 80, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyConnect("a.com:81", 80, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProxyConnect("a.com", 80, "Basic x\r\nX: 1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
