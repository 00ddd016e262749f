package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeflateOptionsTest {

    @Test
    void defaultsAreOnWithTheRfcParameters() {
        DeflateOptions d = DeflateOptions.defaults();

        assertThat(d.enabled()).isTrue();
        assertThat(d.compressionThreshold()).isEqualTo(32);
        assertThat(d.compressionLevel()).isEqualTo(6);
        assertThat(d.serverNoContextTakeover()).isFalse();
        assertThat(d.clientNoContextTakeover()).isFalse();
        assertThat(d.serverMaxWindowBits()).isEqualTo(15);
        assertThat(d.clientMaxWindowBits()).isEqualTo(15);
        assertThat(DeflateOptions.disabled().enabled()).isFalse();
    }

    @Test
    void toBuilderKeepsEverySetting() {
        DeflateOptions d = DeflateOptions.builder()
                .compressionThreshold(0)
                .compressionLevel(1)
                .serverNoContextTakeover(true)
                .clientNoContextTakeover(true)
                .serverMaxWindowBits(9)
                .clientMaxWindowBits(10)
                .build();

        assertThat(d.toBuilder().build()).hasToString(d.toString());
    }

    @Test
    void rejectsValuesOutOfRange() {
        DeflateOptions.Builder b = DeflateOptions.builder();

        assertThatThrownBy(() -> b.compressionThreshold(-1))
                .hasMessage("'compressionThreshold' must not be negative, was -1");
        assertThatThrownBy(() -> b.compressionLevel(0)).hasMessage("'compressionLevel' must be in [1, 9], was 0");
        assertThatThrownBy(() -> b.compressionLevel(10)).hasMessage("'compressionLevel' must be in [1, 9], was 10");
        assertThatThrownBy(() -> b.serverMaxWindowBits(7))
                .hasMessage("'serverMaxWindowBits' must be in [8, 15], was 7");
        assertThatThrownBy(() -> b.clientMaxWindowBits(16))
                .hasMessage("'clientMaxWindowBits' must be in [8, 15], was 16");
    }
}
