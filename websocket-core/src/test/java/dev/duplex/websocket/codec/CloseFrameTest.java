package dev.duplex.websocket.codec;

import static dev.duplex.websocket.codec.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseFrameTest {

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999})
    void acceptsCodesValidOnTheWire(int code) {
        assertThat(CloseCodes.isValidOnWire(code)).isTrue();
        assertThat(CloseFrame.parse(ByteBuffer.wrap(new byte[] {(byte) (code >> 8), (byte) code})))
                .isEqualTo(new CloseFrame(code, ""));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void rejectsCodesInvalidOnTheWire(int code) {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {(byte) (code >> 8), (byte) code});

        assertThat(CloseCodes.isValidOnWire(code)).isFalse();
        assertViolation(() -> CloseFrame.parse(payload), 1002, "Invalid close code " + code);
    }

    @Test
    void allowsApplicationsOnly1000AndTheRangeFrom3000To4999() {
        assertThat(CloseCodes.isValidForApplication(1000)).isTrue();
        assertThat(CloseCodes.isValidForApplication(3000)).isTrue();
        assertThat(CloseCodes.isValidForApplication(4999)).isTrue();
        assertThat(CloseCodes.isValidForApplication(1001)).isFalse();
        assertThat(CloseCodes.isValidForApplication(2999)).isFalse();
        assertThat(CloseCodes.isValidForApplication(5000)).isFalse();
    }

    @Test
    void reportsAnEmptyPayloadAsNoStatus() {
        CloseFrame close = CloseFrame.parse(ByteBuffer.allocate(0));

        assertThat(close).isSameAs(CloseFrame.NO_STATUS);
        assertThat(close.code()).isEqualTo(1005);
        assertThat(close.payload()).isEmpty();
    }

    @Test
    void rejectsAOneBytePayload() {
        assertViolation(() -> CloseFrame.parse(Hex.buffer("03")), 1002, "Close frame with a 1-byte payload");
    }

    @Test
    void parsesACodeAndReason() {
        ByteBuffer payload = Hex.buffer("03e8" + "627965e282ac"); // 1000 "bye€"

        assertThat(CloseFrame.parse(payload)).isEqualTo(new CloseFrame(1000, "bye\u20ac"));
        assertThat(payload.position()).isZero();
    }

    @Test
    void rejectsAReasonThatIsNotUtf8() {
        assertViolation(() -> CloseFrame.parse(Hex.buffer("03e8" + "eda080")), 1007, "Invalid UTF-8 in close reason");
        assertViolation(() -> CloseFrame.parse(Hex.buffer("03e8" + "e282")), 1007, "Invalid UTF-8 in close reason");
    }

    @Test
    void rejectsAPayloadOver125Bytes() {
        ByteBuffer payload = ByteBuffer.allocate(126).put(0, (byte) 0x03).put(1, (byte) 0xe8);

        assertViolation(() -> CloseFrame.parse(payload), 1002, "Control frame payload longer than 125 bytes");
    }

    @Test
    void buildsAPayloadOfCodeAndReason() {
        assertThat(Hex.of(new CloseFrame(4000, "bye").payload())).isEqualTo("0fa0627965");
    }

    @Test
    void takesAReasonOfExactly123Bytes() {
        String reason = "\u20ac".repeat(41); // 41 x 3 bytes

        assertThat(new CloseFrame(1000, reason).payload()).hasSize(125);
    }

    @Test
    void refusesAReasonOver123Bytes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CloseFrame(1000, "\u20ac".repeat(41) + "x"))
                .withMessage("'reason' must be at most 123 bytes of UTF-8, was 124");
    }

    @Test
    void refusesACodeInvalidOnTheWire() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CloseFrame(1006, ""))
                .withMessage("'code' must be in [1000, 1003], [1007, 1014] or [3000, 5000), was 1006");
    }

    @Test
    void refusesAReasonWithoutAStatusCode() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CloseFrame(1005, "why"))
                .withMessage("'reason' must be empty without a status code, was 'why'");
    }

    @Test
    void refusesAnUnpairedSurrogateInTheReason() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CloseFrame(1000, "\ud800"))
                .withMessage("'reason' must be valid Unicode, has an unpaired surrogate");
    }
}
