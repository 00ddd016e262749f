package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebSocketUriTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ws://example.com, false, example.com, 80, /, example.com",
        "ws://example.com:80/chat, false, example.com, 80, /chat, example.com",
        "wss://example.com/chat?a=1&b=%20, true, example.com, 443, /chat?a=1&b=%20, example.com",
        "wss://example.com:8443/, true, example.com, 8443, /, example.com:8443",
        "ws://example.com:443/, false, example.com, 443, /, example.com:443",
        "ws://[::1]:9000/x, false, ::1, 9000, /x, [::1]:9000",
        "wss://[2001:db8::1]/x, true, 2001:db8::1, 443, /x, [2001:db8::1]",
        "WS://Example.com/A%2Fb, false, Example.com, 80, /A%2Fb, Example.com",
        "ws://h?q, false, h, 80, /?q, h",
    })
    void derivesConnectionTargetAndHostHeader(
            String uri, boolean secure, String host, int port, String target, String hostHeader) {
        WebSocketUri u = WebSocketUri.of(uri);

        assertThat(u.secure()).isEqualTo(secure);
        assertThat(u.host()).isEqualTo(host);
        assertThat(u.port()).isEqualTo(port);
        assertThat(u.requestTarget()).isEqualTo(target);
        assertThat(u.hostHeader()).isEqualTo(hostHeader);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "http://example.com/   | 'uri' must use the ws or wss scheme, was http in http://example.com/",
                "https://example.com/  | 'uri' must use the ws or wss scheme, was https in https://example.com/",
                "ftp://example.com/    | 'uri' must use the ws or wss scheme, was ftp in ftp://example.com/",
                "//example.com/        | 'uri' must use the ws or wss scheme, was none in //example.com/",
                "ws:example            | 'uri' must look like ws://host/path, was ws:example",
                "ws:///chat            | 'uri' must have a host, was ws:///chat",
                "ws://a_b.com/         | 'uri' must have a host, was ws://a_b.com/",
                "ws://example.com/#top | 'uri' must not have a fragment, was ws://example.com/#top",
            })
    void refusesUrisThatAreNotWebSocketUris(String uri, String message) {
        assertThatThrownBy(() -> WebSocketUri.of(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void refusesStringsThatAreNotUris() {
        assertThatThrownBy(() -> WebSocketUri.of("ws://exa mple.com/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'uri' must be a URI: ");
    }
}
