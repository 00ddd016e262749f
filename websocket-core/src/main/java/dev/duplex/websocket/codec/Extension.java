package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;

/**
 * A negotiated extension that claims RSV bits and transforms whole message payloads
 * (RFC 6455 §9), such as permessage-deflate (RFC 7692).
 *
 * <p>The contract is per message: the claimed bits may be set on the first frame of a text or
 * binary message only, never on a continuation or control frame, and a message whose first frame
 * carries none of them passes through untouched. {@link FrameDecoder#setAllowedRsv} takes
 * {@link #rsvBits()} so that the decoder accepts them; {@link MessageAssembler#setExtension} routes
 * such messages through {@link #decode}. An instance belongs to one connection and is called from
 * one thread at a time.
 */
public interface Extension {

    /** The extension's registered name, as in {@code Sec-WebSocket-Extensions}. */
    String name();

    /** The RSV bits this extension claims, a combination of {@link Frame#RSV1}, {@link Frame#RSV2}, {@link Frame#RSV3}. */
    int rsvBits();

    /**
     * Turns the payload of a received message whose first frame carried some of this extension's
     * bits into the payload the application sees.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param rsv the RSV bits of the message's first frame
     * @param payload the whole message payload as received, valid only during the call
     * @param maxSize the largest result allowed; the extension must stop before producing more
     * @return the transformed payload, which the caller may keep
     * @throws dev.duplex.websocket.ProtocolException 1009 if the result would exceed {@code maxSize},
     *     or another close code if the payload is invalid for this extension
     */
    ByteBuffer decode(Opcode type, int rsv, ByteBuffer payload, int maxSize);

    /**
     * The largest payload this extension may put on the wire for a message of {@code size}
     * bytes: received transformed messages and their frames may be this large although the limits
     * are set for what the application sees. The default is {@code size} (no growth).
     *
     * @param size a message size limit, not negative
     */
    default long maxEncodedSize(int size) {
        return size;
    }

    /**
     * Turns the payload of a message about to be sent into the payload for the wire.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the message payload; the extension must not change it
     * @return the payload for the wire and the RSV bits to set on the message's first frame
     */
    Encoded encode(Opcode type, ByteBuffer payload);

    /**
     * Releases what the extension holds outside the heap (such as zlib streams). The connection
     * calls it once, when it is closed, while no {@link #encode} or {@link #decode} runs; the
     * default does nothing.
     */
    default void close() {}

    /**
     * An outbound message after {@link #encode}.
     *
     * @param rsv the RSV bits to set on the first frame (0 to send the payload as it is)
     * @param payload the payload for the wire
     */
    record Encoded(int rsv, ByteBuffer payload) {}
}
