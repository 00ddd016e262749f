package dev.duplex.websocket.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.ProtocolException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts protocol violations by close code and exact message. */
final class Violations {

    private Violations() {}

    static void assertViolation(ThrowingCallable call, int closeCode, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(ProtocolException.class)
                .hasMessage(message)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ProtocolException) e).closeCode())
                        .as("close code")
                        .isEqualTo(closeCode));
    }
}
