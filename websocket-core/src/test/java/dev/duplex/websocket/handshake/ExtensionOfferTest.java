package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtensionOfferTest {

    @Test
    void parsesOffersWithParametersFromSeveralHeaders() {
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate",
                "x-webkit-deflate-frame"));

        assertThat(offers)
                .containsExactly(
                        ExtensionOffer.of(
                                "permessage-deflate",
                                ExtensionParameter.flag("client_max_window_bits"),
                                new ExtensionParameter("server_max_window_bits", "10")),
                        ExtensionOffer.of("permessage-deflate"),
                        ExtensionOffer.of("x-webkit-deflate-frame"));
        assertThat(offers.get(0).hasParameter("CLIENT_MAX_WINDOW_BITS")).isTrue();
        assertThat(offers.get(0).parameterValue("client_max_window_bits")).isNull();
        assertThat(offers.get(0).parameterValue("server_max_window_bits")).isEqualTo("10");
        assertThat(offers.get(1).hasParameter("server_max_window_bits")).isFalse();
    }

    @Test
    void toleratesWhitespaceAroundSeparatorsAndEmptyElements() {
        assertThat(ExtensionOffer.parse(List.of(" , a ;\tb = 1 ;c ,, d ,")))
                .containsExactly(
                        ExtensionOffer.of("a", new ExtensionParameter("b", "1"), ExtensionParameter.flag("c")),
                        ExtensionOffer.of("d"));
    }

    @Test
    void unquotesQuotedValues() {
        assertThat(ExtensionOffer.parse(List.of("a; b=\"10\"; c=\"x\\y\"")))
                .containsExactly(
                        ExtensionOffer.of("a", new ExtensionParameter("b", "10"), new ExtensionParameter("c", "xy")));
    }

    @Test
    void parsesNothingFromNoOrEmptyHeaders() {
        assertThat(ExtensionOffer.parse(List.of())).isEmpty();
        assertThat(ExtensionOffer.parse(List.of("", " "))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a;                | expected a parameter name at index 2 of \"a;\"",
                ";a                | expected an extension name at index 0 of \";a\"",
                "a; b=             | expected a parameter value at index 5 of \"a; b=\"",
                "a b               | expected ';' or ',' at index 2 of \"a b\"",
                "a; b=1 2          | expected ';' or ',' at index 7 of \"a; b=1 2\"",
                "a; b=\"10         | unterminated quoted value at index 5 of \"a; b=\\\"10\"",
                "a; b=\"1 0\"      | quoted value at index 5 is not a token of \"a; b=\\\"1 0\\\"\"",
                "a; b=\"\"         | quoted value at index 5 is not a token of \"a; b=\\\"\\\"\"",
                "a; b=@            | expected a parameter value at index 5 of \"a; b=@\"",
                "a=1               | expected ';' or ',' at index 1 of \"a=1\"",
            })
    void rejectsMalformedHeadersSayingWhere(String header, String detail) {
        assertThatThrownBy(() -> ExtensionOffer.parse(List.of(header)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Malformed Sec-WebSocket-Extensions: " + detail);
    }

    @Test
    void formatsOffersAsOneHeaderValue() {
        String value = ExtensionOffer.format(List.of(
                ExtensionOffer.of("permessage-deflate", ExtensionParameter.flag("client_max_window_bits")),
                ExtensionOffer.of("x-foo", new ExtensionParameter("a", "1"), new ExtensionParameter("b", "2"))));

        assertThat(value).isEqualTo("permessage-deflate; client_max_window_bits, x-foo; a=1; b=2");
        assertThat(ExtensionOffer.parse(List.of(value))).hasSize(2);
    }

    @Test
    void refusesNamesAndValuesThatAreNotTokens() {
        assertThatThrownBy(() -> ExtensionOffer.of("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'name' must be an HTTP token, was \"a b\"");
        assertThatThrownBy(() -> new ExtensionParameter("a", "x,y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'value' must be an HTTP token, was \"x,y\"");
    }
}
