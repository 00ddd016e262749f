package dev.duplex.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcceptKeyTest {

    @Test
    void answersTheKeyOfRfc6455Section4_2_2() {
        assertThat(AcceptKey.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void makesFreshValidKeysOf16RandomBytes() {
        String a = AcceptKey.newKey();
        String b = AcceptKey.newKey();

        assertThat(Base64.getDecoder().decode(a)).hasSize(16);
        assertThat(AcceptKey.isValidKey(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void makesRepeatableKeysFromAGivenRandom() {
        assertThat(AcceptKey.newKey(new Random(7))).isEqualTo(AcceptKey.newKey(new Random(7)));
    }

    @Test
    void acceptsTheRfcSampleKey() {
        assertThat(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25jZQ==")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "dGhlIHNhbXBsZSBub25jZQ", // 16 bytes without padding
                "dGhlIHNhbXBsZSBub25j", // 15 bytes
                "dGhlIHNhbXBsZSBub25jZQ==dGhl", // too long
                "dGhlIHNhbXBsZSBub25jZR==", // non-zero padding bits: not canonical
                "dGhlIHNhbXBsZSBub25jZ!==", // not base64
                "AAAAAAAAAAAAAAAAAAAAAAA=", // 17 bytes
            })
    void rejectsKeysThatAreNotBase64Of16Bytes(String key) {
        assertThat(AcceptKey.isValidKey(key)).isFalse();
    }
}
