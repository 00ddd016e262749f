package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateNegotiationTest {

    private final PerMessageDeflateNegotiator server = PerMessageDeflateNegotiator.defaults();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "permessage-deflate | permessage-deflate",
                "permessage-deflate; client_max_window_bits | permessage-deflate", // Chromium's offer
                "permessage-deflate; client_max_window_bits=12 | permessage-deflate",
                "permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover",
                "permessage-deflate; client_no_context_takeover | permessage-deflate",
                "permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_max_window_bits=15",
                "PerMessage-Deflate; Server_No_Context_Takeover | permessage-deflate; server_no_context_takeover",
                "permessage-deflate; server_max_window_bits=\"15\" | permessage-deflate; server_max_window_bits=15",
            })
    void answersAnOfferItCanHonour(String offer, String answer) {
        assertThat(negotiate(server, offer)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "permessage-deflate; server_max_window_bits=10", // the JDK deflater cannot use a smaller window
                "permessage-deflate; server_max_window_bits=8",
                "permessage-deflate; server_max_window_bits", // needs a value
                "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; server_max_window_bits=015", // leading zero
                "permessage-deflate; client_max_window_bits=7",
                "permessage-deflate; client_max_window_bits=abc",
                "permessage-deflate; server_no_context_takeover=1", // a flag has no value
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover", // twice
                "permessage-deflate; x_unknown",
                "x-webkit-deflate-frame",
            })
    void declinesAnOfferItCannotHonour(String offer) {
        assertThat(negotiate(server, offer)).isEmpty();
    }

    @Test
    void triesTheNextOfferAfterDecliningOne() {
        String offers = "permessage-deflate; server_max_window_bits=10; client_max_window_bits,"
                + " permessage-deflate; client_max_window_bits";

        assertThat(negotiate(server, offers)).isEqualTo("permessage-deflate");
    }

    @Test
    void declaresItsOwnSettings() {
        PerMessageDeflateNegotiator strict = new PerMessageDeflateNegotiator(true, true, 10);

        assertThat(negotiate(strict, "permessage-deflate; client_max_window_bits"))
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " client_max_window_bits=10");
        assertThat(negotiate(strict, "permessage-deflate; client_max_window_bits=9"))
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " client_max_window_bits=9");
        // §7.1.2.2: without client_max_window_bits in the offer the answer must not hold it.
        assertThat(negotiate(strict, "permessage-deflate"))
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    }

    @Test
    void readsTheAgreedParametersFromItsAnswer() {
        ExtensionOffer answer = server.negotiate(
                        ExtensionOffer.parse(List.of("permessage-deflate; server_no_context_takeover")))
                .get(0);

        assertThat(PerMessageDeflateParameters.fromResponse(answer))
                .isEqualTo(new PerMessageDeflateParameters(true, false, 15, 15));
    }

    @Test
    void offersWhatItIsConfiguredTo() {
        assertThat(PerMessageDeflateOffer.defaults().offer()).hasToString("permessage-deflate");
        assertThat(new PerMessageDeflateOffer(true, true, 10).offer())
                .hasToString("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " server_max_window_bits=10");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "permessage-deflate | false | false | 15",
                "permessage-deflate; server_no_context_takeover | true | false | 15",
                "permessage-deflate; client_no_context_takeover | false | true | 15",
                "permessage-deflate; server_max_window_bits=9 | false | false | 9", // a server may limit itself
                "permessage-deflate; server_max_window_bits=15 | false | false | 15",
            })
    void acceptsAnswersItCanWorkWith(String answer, boolean serverNoContext, boolean clientNoContext, int serverBits) {
        PerMessageDeflateParameters agreed = PerMessageDeflateOffer.defaults().accept(element(answer));

        assertThat(agreed).isEqualTo(new PerMessageDeflateParameters(serverNoContext, clientNoContext, serverBits, 15));
    }

    @Test
    void keepsItsOwnPromiseOfNoContextTakeover() {
        PerMessageDeflateOffer promise = new PerMessageDeflateOffer(false, true, 15);

        assertThat(promise.accept(element("permessage-deflate")).clientNoContextTakeover())
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "permessage-deflate; client_max_window_bits=15 | client_max_window_bits was not offered",
                "permessage-deflate; client_max_window_bits=10 | client_max_window_bits was not offered",
                "permessage-deflate; client_max_window_bits | client_max_window_bits must have a value",
                "permessage-deflate; server_max_window_bits | server_max_window_bits must have a value",
                "permessage-deflate; server_max_window_bits=7 | server_max_window_bits must be in [8, 15], was 7",
                "permessage-deflate; server_no_context_takeover=x | server_no_context_takeover must have no value, was x",
                "permessage-deflate; client_no_context_takeover; client_no_context_takeover"
                        + " | parameter client_no_context_takeover appears twice",
                "permessage-deflate; foo=1 | unknown parameter foo",
            })
    void failsOnAnAnswerItCannotAccept(String answer, String reason) {
        assertThatThrownBy(() -> PerMessageDeflateOffer.defaults().accept(element(answer)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid permessage-deflate response: " + reason);
    }

    @Test
    void failsOnAServerWindowAboveTheOneOffered() {
        assertThatThrownBy(() -> new PerMessageDeflateOffer(false, false, 10)
                        .accept(element("permessage-deflate; server_max_window_bits=12")))
                .hasMessage("Invalid permessage-deflate response: server_max_window_bits=12 exceeds the 10 offered");
        assertThat(new PerMessageDeflateOffer(false, false, 10)
                        .accept(element("permessage-deflate; server_max_window_bits=9"))
                        .serverMaxWindowBits())
                .isEqualTo(9);
    }

    @Test
    void negotiatesThroughTheServerHandshake() {
        ServerHandshake handshake = ServerHandshake.builder()
                .extensions(PerMessageDeflateNegotiator.defaults())
                .build();
        HttpRequest request = new HttpRequestParser(8192, 100)
                .parse(java.nio.ByteBuffer.wrap(("GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                + "Sec-WebSocket-Version: 13\r\n"
                                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));

        HandshakeAcceptance accepted =
                (HandshakeAcceptance) handshake.decide(java.util.Objects.requireNonNull(request));

        assertThat(accepted.extensions()).extracting(ExtensionOffer::toString).containsExactly("permessage-deflate");
    }

    private static String negotiate(PerMessageDeflateNegotiator negotiator, String header) {
        return ExtensionOffer.format(negotiator.negotiate(ExtensionOffer.parse(List.of(header))));
    }

    private static ExtensionOffer element(String header) {
        return ExtensionOffer.parse(List.of(header)).get(0);
    }
}
