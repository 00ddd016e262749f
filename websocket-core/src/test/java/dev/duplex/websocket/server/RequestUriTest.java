package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RequestUriTest {

    @Test
    void joinsSchemeHostAndTarget() {
        assertThat(new RequestUri(false, "example.com:8080", "/chat/r%201?user=bob").get())
                .isEqualTo(URI.create("ws://example.com:8080/chat/r%201?user=bob"));
        assertThat(new RequestUri(true, "example.com", "/chat").get()).isEqualTo(URI.create("wss://example.com/chat"));
    }

    @Test
    void makesTheUriOnceAndKeepsIt() {
        RequestUri uri = new RequestUri(false, "example.com", "/chat");
        assertThat(uri.get()).isSameAs(uri.get());
    }

    @Test
    void fallsBackToThePathWhenTheHostDoesNotFormAUri() {
        assertThat(new RequestUri(false, "bad host", "/chat?x=1").get()).isEqualTo(URI.create("/chat"));
    }
}
