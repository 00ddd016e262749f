package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Part checks of blocking mode, and how outgoing text is cut into fragments. */
class InboundAssemblerTests {

    private final InboundAssembler assembler = new InboundAssembler(10, 10);

    @Test
    void carriesASurrogatePairThatTheContainerSplitIntoTheNextPart() {
        String clef = "\uD834\uDD1E"; // U+1D11E, 4 bytes of UTF-8
        assertThat(assembler.textPart("a" + clef.charAt(0), false)).isEqualTo("a");
        assertThat(assembler.textPart(clef.substring(1) + "b", true)).isEqualTo(clef + "b");
    }

    @Test
    void handsNothingOnWhenAPartIsOnlyAHeldHighSurrogate() {
        assertThat(assembler.textPart("\uD834", false)).isNull();
        assertThat(assembler.textPart("\uDD1E", true)).isEqualTo("\uD834\uDD1E");
    }

    @Test
    void refusesATextMessageWhosePartsPassTheLimitWith1009() {
        assertThat(assembler.textPart("123456", false)).isEqualTo("123456");
        assertThatThrownBy(() -> assembler.textPart("78901", true))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1009))
                .hasMessage("Text message larger than 10 bytes");
    }

    @Test
    void countsEachMessageFromZero() {
        assertThat(assembler.textPart("1234567890", true)).hasSize(10);
        assertThat(assembler.textPart("1234567890", true)).hasSize(10);
        assertThat(assembler.binaryPart(ByteBuffer.allocate(6), false).remaining())
                .isEqualTo(6);
        assertThat(assembler.binaryPart(ByteBuffer.allocate(4), true).remaining())
                .isEqualTo(4);
        assertThat(assembler.binaryPart(ByteBuffer.allocate(10), true).remaining())
                .isEqualTo(10);
    }

    @Test
    void copiesBinaryPartsBecauseTheContainerReusesItsBuffer() {
        ByteBuffer container = ByteBuffer.wrap(new byte[] {1, 2, 3});
        ByteBuffer part = assembler.binaryPart(container, true);
        container.array()[0] = 9;
        assertThat(part.get(0)).isEqualTo((byte) 1);
    }

    @Test
    void refusesABinaryMessageWhosePartsPassTheLimitWith1009() {
        assembler.binaryPart(ByteBuffer.allocate(8), false);
        assertThatThrownBy(() -> assembler.binaryPart(ByteBuffer.allocate(3), true))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
    }

    @Test
    void cutsOutgoingTextAtCodePointsWithinTheFragmentSize() {
        // "é" is 2 bytes, the clef 4: parts of at most 5 bytes never split either.
        String text = "éé\uD834\uDD1Eaé";
        assertThat(SpringWebSocket.textParts(text, 5)).containsExactly("éé", "\uD834\uDD1Ea", "é");
        assertThat(String.join("", SpringWebSocket.textParts(text, 5))).isEqualTo(text);
    }

    @Test
    void putsACodePointLargerThanTheFragmentSizeInAPartOfItsOwn() {
        assertThat(SpringWebSocket.textParts("a\uD834\uDD1Eb", 2)).containsExactly("a", "\uD834\uDD1E", "b");
    }
}
