package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void looksUpNamesIgnoringCase() {
        HttpHeaders headers = new HttpHeaders().add("Content-Type", "text/plain");

        assertThat(headers.first("content-type")).isEqualTo("text/plain");
        assertThat(headers.contains("CONTENT-TYPE")).isTrue();
        assertThat(headers.first("Content-Length")).isNull();
    }

    @Test
    void keepsSeveralValuesPerNameInInsertionOrder() {
        HttpHeaders headers = new HttpHeaders().add("X-B", "1").add("X-A", "2").add("x-b", "3");

        assertThat(headers.all("X-B")).containsExactly("1", "3");
        assertThat(headers.count("x-b")).isEqualTo(2);
        assertThat(headers.names()).containsExactly("X-B", "X-A");
        assertThat(headers.toMap())
                .containsExactly(Map.entry("X-B", List.of("1", "3")), Map.entry("X-A", List.of("2")));
        assertThat(headers.toString()).isEqualTo("X-B: 1\nX-A: 2\nx-b: 3\n");
    }

    @Test
    void toMapLooksUpNamesIgnoringCaseAndKeepsFieldOrder() {
        HttpHeaders headers =
                new HttpHeaders().add("Sec-WebSocket-Key", "k").add("Host", "h").add("sec-websocket-KEY", "k2");

        Map<String, List<String>> map = headers.toMap();

        assertThat(map.get("sec-websocket-key")).containsExactly("k", "k2");
        assertThat(map.get("HOST")).containsExactly("h");
        assertThat(map.containsKey("host")).isTrue();
        assertThat(map.getOrDefault("origin", List.of("none"))).containsExactly("none");
        assertThat(map.get(42)).isNull();
        assertThat(map.keySet()).containsExactly("Sec-WebSocket-Key", "Host");
        assertThat(map).isEqualTo(Map.of("Sec-WebSocket-Key", List.of("k", "k2"), "Host", List.of("h")));
        assertThatThrownBy(() -> map.put("X", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.remove("Host")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void findsTokensInCommaSeparatedListsInAnyCase() {
        HttpHeaders headers = new HttpHeaders().add("Connection", "keep-alive, Upgrade");

        assertThat(headers.containsToken("connection", "upgrade")).isTrue();
        assertThat(headers.containsToken("connection", "UPGRADE")).isTrue();
        assertThat(headers.containsToken("connection", "close")).isFalse();
        assertThat(headers.containsToken("connection", "keep")).isFalse();
    }

    @Test
    void joinsTokensOfSeveralFieldsAndSkipsEmptyElements() {
        HttpHeaders headers =
                new HttpHeaders().add("Sec-WebSocket-Protocol", "a, ,b").add("sec-websocket-protocol", ",\tc");

        assertThat(headers.tokens("Sec-WebSocket-Protocol")).containsExactly("a", "b", "c");
    }

    @Test
    void refusesValuesThatCouldSplitTheMessage() {
        HttpHeaders headers = new HttpHeaders();

        assertThatThrownBy(() -> headers.add("X-A", "a\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "'value' must not contain control characters such as CR or LF, was \"a\\r\\nX-Injected: 1\"");
        assertThatThrownBy(() -> headers.add("X-A", "a\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("X-A", " a"))
                .hasMessage("'value' must not start or end with whitespace, was \" a\"");
        assertThat(headers.isEmpty()).isTrue();
    }

    @Test
    void refusesNamesThatAreNotTokens() {
        assertThatThrownBy(() -> new HttpHeaders().add("X A", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'name' must be an HTTP token, was \"X A\"");
        assertThatThrownBy(() -> new HttpHeaders().add("X:A", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpHeaders().add("", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setReplacesEveryFieldOfTheNameAtThePlaceOfTheFirst() {
        HttpHeaders headers = new HttpHeaders().add("A", "1").add("B", "2").add("a", "3");

        headers.set("A", "9");

        assertThat(headers.toString()).isEqualTo("A: 9\nB: 2\n");
    }

    @Test
    void readOnlyCopyRefusesChangesAndIgnoresLaterChangesOfTheOriginal() {
        HttpHeaders original = new HttpHeaders().add("A", "1");
        HttpHeaders copy = original.readOnly();
        original.add("B", "2");

        assertThat(copy.size()).isEqualTo(1);
        assertThatThrownBy(() -> copy.add("C", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.remove("A")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(HttpHeaders.copyOf(copy).add("C", "3").size()).isEqualTo(2);
    }

    @Test
    void equalityIgnoresTheCaseOfNamesButNotOfValues() {
        assertThat(new HttpHeaders().add("A", "x")).isEqualTo(new HttpHeaders().add("a", "x"));
        assertThat(new HttpHeaders().add("A", "x").hashCode())
                .isEqualTo(new HttpHeaders().add("a", "x").hashCode());
        assertThat(new HttpHeaders().add("A", "x")).isNotEqualTo(new HttpHeaders().add("A", "X"));
    }

    @Test
    void redactsCredentialsAndCookiesInToString() {
        HttpHeaders headers =
                new HttpHeaders().add("Authorization", "Bearer secret").add("Cookie", "s=1");

        assertThat(headers.toString()).isEqualTo("Authorization: <redacted>\nCookie: <redacted>\n");
    }
}
