package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginMatcherTest {

    @ParameterizedTest(name = "{0} with Host {1}: {2}")
    @CsvSource({
        "https://a.com, a.com, true",
        "https://A.COM, a.com, true",
        "https://a.com:443, a.com, true",
        "http://a.com, a.com, true",
        "http://a.com:8080, a.com:8080, true",
        "http://a.com:8080, a.com, false",
        "https://a.com, a.com:8443, false",
        "https://b.com, a.com, false",
        "https://sub.a.com, a.com, false",
        "http://[::1]:8080, [::1]:8080, true",
        "http://127.0.0.1:8080, localhost:8080, false",
    })
    void allowsOnlyTheRequestsOwnHostByDefault(String origin, String host, boolean allowed) {
        assertThat(OriginMatcher.sameOrigin().allows(origin, host)).isEqualTo(allowed);
    }

    @Test
    void allowsRequestsWithoutOrigin() {
        assertThat(OriginMatcher.sameOrigin().allows(null, "a.com")).isTrue();
        assertThat(OriginMatcher.of("https://b.com").allows(null, "a.com")).isTrue();
    }

    @Test
    void refusesTheNullOriginUnlessAllowedExplicitly() {
        assertThat(OriginMatcher.sameOrigin().allows("null", "a.com")).isFalse();
        assertThat(OriginMatcher.anyOrigin().allows("null", "a.com")).isFalse();
        assertThat(OriginMatcher.of("null").allows("null", "a.com")).isTrue();
    }

    @Test
    void refusesMalformedOrigins() {
        assertThat(OriginMatcher.sameOrigin().allows("a.com", "a.com")).isFalse();
        assertThat(OriginMatcher.anyOrigin().allows("https://", "a.com")).isFalse();
        assertThat(OriginMatcher.anyOrigin().allows("https://a.com/path", "a.com"))
                .isFalse();
    }

    @Test
    void refusesAnOriginWhenTheHostIsMissing() {
        assertThat(OriginMatcher.sameOrigin().allows("https://a.com", null)).isFalse();
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "https://*.example.com, https://app.example.com, true",
        "https://*.example.com, https://a.b.example.com, true",
        "https://*.example.com, https://APP.Example.COM:443, true",
        "https://*.example.com, https://example.com, false",
        "https://*.example.com, https://app.example.com.evil.net, false",
        "https://*.example.com, http://app.example.com, false",
        "https://*.example.com, https://app.example.com:8443, false",
        "http://localhost:*, http://localhost:3000, true",
        "http://localhost:*, http://localhost, true",
        "http://localhost:*, https://localhost:3000, false",
        "https://a.com, https://a.com:443, true",
        "https://a.com:443, https://a.com, true",
        "HTTPS://A.com, https://a.COM, true",
        "*, https://anything.net:9, true",
        "http://[::1]:*, http://[::1]:8080, true",
    })
    void matchesGlobPatterns(String pattern, String origin, boolean allowed) {
        assertThat(OriginMatcher.of(pattern).allows(origin, "unrelated.host")).isEqualTo(allowed);
    }

    @Test
    void allowsWhenAnyPatternMatches() {
        OriginMatcher m = OriginMatcher.of("https://a.com", "https://b.com");

        assertThat(m.allows("https://b.com", "x")).isTrue();
        assertThat(m.allows("https://c.com", "x")).isFalse();
    }

    @Test
    void noPatternMeansSameOrigin() {
        assertThat(OriginMatcher.of(java.util.List.of()).isSameOrigin()).isTrue();
        assertThat(OriginMatcher.of("*").isSameOrigin()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"example.com", "https://", "https://a.com/", "https://a.com:x", "https://a.com:70000", "", "://a"
            })
    void refusesInvalidPatterns(String pattern) {
        assertThatThrownBy(() -> OriginMatcher.of(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'allowedOrigins' must hold \"*\", \"null\" or scheme://host[:port] patterns, was "
                        + HttpSyntax.quote(pattern));
    }
}
