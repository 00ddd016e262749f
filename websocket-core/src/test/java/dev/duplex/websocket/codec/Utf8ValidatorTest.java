package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {

    private final Utf8Validator validator = new Utf8Validator();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // empty
                "7f", // U+007F, the last 1-byte form
                "c280", // U+0080, the first 2-byte form
                "dfbf", // U+07FF
                "e0a080", // U+0800, the first 3-byte form
                "ed9fbf", // U+D7FF, below the surrogates
                "ee8080", // U+E000, above them
                "efbfbf", // U+FFFF
                "f0908080", // U+10000, the first 4-byte form
                "f48fbfbf", // U+10FFFF, the last code point
                "48656c6c6fe282ac" // "Hello€"
            })
    void acceptsWellFormedStrings(String hex) {
        byte[] bytes = Hex.bytes(hex);

        assertThat(validator.validate(bytes, 0, bytes.length)).isEqualTo(-1);
        assertThat(validator.isComplete()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "80,         0", // a stray continuation byte
        "41bf,       1", // a stray continuation byte after ASCII
        "c0af,       0", // overlong '/': C0 can only start an overlong form
        "c1bf,       0", // overlong U+007F
        "e080af,     1", // overlong '/' in 3 bytes
        "e09fbf,     1", // overlong U+07FF
        "f08080af,   1", // overlong '/' in 4 bytes
        "f08fbfbf,   1", // overlong U+FFFF
        "eda080,     1", // U+D800, a high surrogate
        "edbfbf,     1", // U+DFFF, a low surrogate
        "f4908080,   1", // U+110000, beyond Unicode
        "f5808080,   0", // F5 never appears
        "ff,         0", // nor does FF
        "c241,       1", // a 2-byte sequence cut short by ASCII
        "e282e282ac, 2", // a 3-byte sequence cut short by a new lead byte
        "f0908041,   3", // a 4-byte sequence cut short at its last byte
    })
    void reportsTheFirstInvalidByte(String hex, int index) {
        byte[] bytes = Hex.bytes(hex);

        assertThat(validator.validate(bytes, 0, bytes.length)).isEqualTo(index);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"c2, 1", "e282, 2", "f09f98, 3"})
    void seesATruncatedSequenceAsIncomplete(String hex, int pending) {
        byte[] bytes = Hex.bytes(hex);

        assertThat(validator.validate(bytes, 0, bytes.length)).isEqualTo(-1);
        assertThat(validator.isComplete()).isFalse();
        assertThat(validator.pendingBytes()).isEqualTo(pending);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
    }

    @Test
    void followsACodePointSplitAcrossCalls() {
        byte[] smiley = Hex.bytes("f09f9880"); // U+1F600

        for (byte b : smiley) {
            assertThat(validator.validate(new byte[] {b}, 0, 1)).isEqualTo(-1);
        }

        assertThat(validator.isComplete()).isTrue();
        assertThat(validator.pendingBytes()).isZero();
    }

    @Test
    void reportsABadByteInALaterCallByItsIndexInThatCall() {
        validator.validate(Hex.bytes("41ed"), 0, 2); // 'A' and the lead byte of a 3-byte form

        assertThat(validator.validate(Hex.bytes("4141a0"), 2, 1)).isEqualTo(2); // ED A0 is a surrogate
    }

    @Test
    void findsABadByteAtEveryPositionOfALongAsciiRun() {
        for (int at = 0; at < 40; at++) {
            byte[] bytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN".getBytes(StandardCharsets.US_ASCII);
            bytes[at] = (byte) 0x80;
            validator.reset();

            assertThat(validator.validate(bytes, 0, bytes.length))
                    .as("at %d", at)
                    .isEqualTo(at);
        }
    }

    @Test
    void validatesDirectAndSlicedBuffers() {
        byte[] bytes = "ascii text before a surrogate \u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] bad = FrameDecoderTest.concat(bytes, Hex.bytes("eda080"));
        ByteBuffer direct = ByteBuffer.allocateDirect(bad.length).put(bad).flip();
        ByteBuffer slice = ByteBuffer.wrap(FrameDecoderTest.concat(new byte[3], bad))
                .position(3)
                .slice();

        assertThat(validator.validate(direct)).isEqualTo(bytes.length + 1);
        validator.reset();
        assertThat(validator.validate(slice)).isEqualTo(bytes.length + 1);
        assertThat(Utf8Validator.isValid(direct.limit(bytes.length))).isTrue();
    }

    @Test
    void startsAfreshAfterReset() {
        validator.validate(Hex.bytes("e2"), 0, 1);

        validator.reset();

        assertThat(validator.isComplete()).isTrue();
        assertThat(validator.validate(Hex.bytes("41"), 0, 1)).isEqualTo(-1);
    }
}
