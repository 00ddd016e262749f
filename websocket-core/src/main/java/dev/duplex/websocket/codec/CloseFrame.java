package dev.duplex.websocket.codec;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The status code and reason a close frame carries (RFC 6455 §5.5.1). An empty close payload is
 * represented by {@link #NO_STATUS} (code 1005, empty reason), which encodes back to an empty
 * payload: 1005 itself never reaches the wire.
 *
 * @param code a code {@link CloseCodes#isValidOnWire valid on the wire}, or 1005 with an empty reason
 * @param reason at most {@value #MAX_REASON_BYTES} bytes of UTF-8
 */
public record CloseFrame(int code, String reason) {

    /** A control payload holds 125 bytes (RFC 6455 §5.5), two of which are the code. */
    public static final int MAX_REASON_BYTES = 123;

    /** A close frame without a status code, reported to the application as 1005. */
    public static final CloseFrame NO_STATUS = new CloseFrame(CloseCodes.NO_STATUS_RECEIVED, "");

    /**
     * Checks the code and the reason.
     *
     * @throws IllegalArgumentException if the code is not valid on the wire (1005 with an empty
     *     reason excepted), or the reason is over 123 bytes of UTF-8 or holds an unpaired surrogate
     */
    public CloseFrame {
        Objects.requireNonNull(reason, "reason");
        if (code == CloseCodes.NO_STATUS_RECEIVED) {
            if (!reason.isEmpty()) {
                throw new IllegalArgumentException(
                        "'reason' must be empty without a status code, was '" + reason + "'");
            }
        } else if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException(
                    "'code' must be in [1000, 1003], [1007, 1014] or [3000, 5000), was " + code);
        }
        int length = utf8(reason).remaining();
        if (length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "'reason' must be at most " + MAX_REASON_BYTES + " bytes of UTF-8, was " + length);
        }
    }

    /**
     * Parses the payload of a received close frame, between the buffer's position and limit; the
     * position is not moved.
     *
     * @throws ProtocolException 1002 for a 1-byte payload, a payload over 125 bytes or a code not
     *     valid on the wire; 1007 for a reason that is not valid UTF-8
     */
    public static CloseFrame parse(ByteBuffer payload) {
        int length = payload.remaining();
        if (length == 0) {
            return NO_STATUS;
        }
        if (length == 1) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "Close frame with a 1-byte payload");
        }
        if (length > FrameEncoder.MAX_CONTROL_PAYLOAD) {
            throw new ProtocolException(
                    ProtocolException.PROTOCOL_ERROR, "Control frame payload longer than 125 bytes");
        }
        int start = payload.position();
        int code = ((payload.get(start) & 0xFF) << 8) | (payload.get(start + 1) & 0xFF);
        if (!CloseCodes.isValidOnWire(code)) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "Invalid close code " + code);
        }
        byte[] reason = new byte[length - 2];
        payload.get(start + 2, reason);
        if (!Utf8Validator.isValid(reason, 0, reason.length)) {
            throw new ProtocolException(ProtocolException.INVALID_PAYLOAD, "Invalid UTF-8 in close reason");
        }
        return new CloseFrame(code, new String(reason, StandardCharsets.UTF_8));
    }

    /** The close frame payload: empty for {@link #NO_STATUS}, else the code (big-endian) and the reason. */
    public byte[] payload() {
        if (code == CloseCodes.NO_STATUS_RECEIVED) {
            return new byte[0];
        }
        ByteBuffer reasonBytes = utf8(reason);
        byte[] payload = new byte[2 + reasonBytes.remaining()];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        reasonBytes.get(payload, 2, reasonBytes.remaining());
        return payload;
    }

    private static ByteBuffer utf8(String reason) {
        try {
            return StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(reason));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'reason' must be valid Unicode, has an unpaired surrogate", e);
        }
    }
}
