package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.WebSocketException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeExceptionTest {

    @Test
    void keepsAtMostOneKibibyteOfBodyAndCopiesWhatItIsGiven() {
        byte[] body = new byte[3000];
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Retry-After", List.of("5"));

        HandshakeException e = new HandshakeException(503, "busy", headers, body);
        body[0] = 1;
        headers.put("X-Later", List.of("1"));

        assertThat(e).isInstanceOf(WebSocketException.class);
        assertThat(e.body()).hasSize(1024).containsOnly(0);
        assertThat(e.headers()).containsOnlyKeys("Retry-After");
        assertThat(e.headerValues("retry-after")).containsExactly("5");
    }

    @Test
    void hasStatusZeroWithoutAResponse() {
        HandshakeException e = new HandshakeException("no response");

        assertThat(e.status()).isZero();
        assertThat(e.headers()).isEmpty();
        assertThat(e.bodyText()).isEmpty();
    }
}
