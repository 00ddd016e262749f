package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpcodeTest {

    @Test
    void hasTheCodesOfRfc6455() {
        assertThat(Opcode.CONTINUATION.code()).isEqualTo(0x0);
        assertThat(Opcode.TEXT.code()).isEqualTo(0x1);
        assertThat(Opcode.BINARY.code()).isEqualTo(0x2);
        assertThat(Opcode.CLOSE.code()).isEqualTo(0x8);
        assertThat(Opcode.PING.code()).isEqualTo(0x9);
        assertThat(Opcode.PONG.code()).isEqualTo(0xA);
    }

    @Test
    void controlOpcodesAreCloseAndPingAndPong() {
        assertThat(Opcode.values())
                .filteredOn(Opcode::isControl)
                .containsExactly(Opcode.CLOSE, Opcode.PING, Opcode.PONG);
    }

    @ParameterizedTest
    @EnumSource(Opcode.class)
    void looksUpEachOpcodeByItsCode(Opcode opcode) {
        assertThat(Opcode.of(opcode.code())).isSameAs(opcode);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void rejectsReservedOpcodes(int code) {
        assertThatThrownBy(() -> Opcode.of(code))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("Reserved opcode 0x" + Integer.toHexString(code))
                .extracting(e -> ((ProtocolException) e).closeCode())
                .isEqualTo(1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 16, 0x81})
    void rejectsValuesWiderThanFourBits(int code) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Opcode.of(code))
                .withMessage("'code' must be in [0, 15], was " + code);
    }
}
