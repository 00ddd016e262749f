package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The validator must agree with the JDK's strict UTF-8 decoder, however its input is split. */
class Utf8ValidatorJdkAgreementTest {

    /** Pieces that make well-formed and ill-formed strings when strung together. */
    private static final List<String> PIECES = List.of(
            "41",
            "7f",
            "4142434445464748494a4b4c", // ASCII, a run long enough for the 8-byte path
            "c280",
            "dfbf",
            "e0a080",
            "ed9fbf",
            "ee8080",
            "efbfbf",
            "f0908080",
            "f48fbfbf", // boundaries
            "c0af",
            "c1bf",
            "e080af",
            "e09fbf",
            "f08080af",
            "f08fbfbf", // overlong forms
            "eda080",
            "edbfbf", // surrogates
            "f4908080",
            "f5808080",
            "ff", // beyond U+10FFFF
            "80",
            "bf", // stray continuation bytes
            "c2",
            "e2",
            "e282",
            "f0",
            "f09f98"); // truncated sequences

    @Property
    void agreesWithTheJdkOnRandomBytes(@ForAll byte[] bytes) {
        checkAgainstJdk(bytes);
    }

    @Property
    void agreesWithTheJdkOnAdversarialStrings(@ForAll("adversarial") byte[] bytes) {
        checkAgainstJdk(bytes);
    }

    @Provide
    Arbitrary<byte[]> adversarial() {
        return Arbitraries.of(PIECES).list().ofMaxSize(12).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(piece -> out.writeBytes(Hex.bytes(piece)));
            return out.toByteArray();
        });
    }

    private static void checkAgainstJdk(byte[] bytes) {
        Utf8Validator whole = new Utf8Validator();
        int bad = whole.validate(bytes, 0, bytes.length);
        boolean valid = bad < 0 && whole.isComplete();

        assertThat(valid).as("valid").isEqualTo(jdkAccepts(bytes));
        if (bad >= 0) {
            assertThat(jdkAcceptsPrefix(bytes, bad))
                    .as("bytes before the first invalid byte %d", bad)
                    .isTrue();
        }
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8Validator split = new Utf8Validator();
            int first = split.validate(bytes, 0, cut);
            int result = first >= 0 ? first : split.validate(bytes, cut, bytes.length - cut);
            assertThat(result).as("first invalid byte, split at %d", cut).isEqualTo(bad);
            if (result < 0) {
                assertThat(split.isComplete()).as("complete, split at %d", cut).isEqualTo(whole.isComplete());
            }
        }
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            strictDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether the first {@code length} bytes can begin a well-formed string. */
    private static boolean jdkAcceptsPrefix(byte[] bytes, int length) {
        CharBuffer out = CharBuffer.allocate(length + 4);
        return !strictDecoder()
                .decode(ByteBuffer.wrap(bytes, 0, length), out, false)
                .isError();
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
