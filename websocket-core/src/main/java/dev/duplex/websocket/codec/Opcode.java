package dev.duplex.websocket.codec;

import dev.duplex.websocket.ProtocolException;

/**
 * The six opcodes RFC 6455 §5.2 defines. Every other 4-bit value is reserved (0x3–0x7 for further
 * data frames, 0xB–0xF for further control frames) and is rejected by {@link #of(int)}.
 */
public enum Opcode {
    /** 0x0: a continuation of a fragmented message. */
    CONTINUATION(0x0),
    /** 0x1: the first (or only) frame of a text message. */
    TEXT(0x1),
    /** 0x2: the first (or only) frame of a binary message. */
    BINARY(0x2),
    /** 0x8: a close frame (RFC 6455 §5.5.1). */
    CLOSE(0x8),
    /** 0x9: a ping (RFC 6455 §5.5.2). */
    PING(0x9),
    /** 0xA: a pong (RFC 6455 §5.5.3). */
    PONG(0xA);

    /** Indexed by the 4-bit code; null marks a reserved code. */
    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The 4-bit value of this opcode on the wire. */
    public int code() {
        return code;
    }

    /** Whether this is a control opcode (RFC 6455 §5.5: the most significant bit of the opcode is set). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /**
     * The opcode for a 4-bit value read from the wire.
     *
     * @throws ProtocolException with code 1002 if the value is a reserved opcode
     * @throws IllegalArgumentException if the value is not in [0, 15]
     */
    public static Opcode of(int code) {
        if ((code & ~0xF) != 0) {
            throw new IllegalArgumentException("'code' must be in [0, 15], was " + code);
        }
        Opcode opcode = BY_CODE[code];
        if (opcode == null) {
            throw new ProtocolException(
                    ProtocolException.PROTOCOL_ERROR, "Reserved opcode 0x" + Integer.toHexString(code));
        }
        return opcode;
    }
}
