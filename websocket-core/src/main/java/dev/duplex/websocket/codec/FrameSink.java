package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;

/**
 * Receives the frames a {@link FrameDecoder} decodes, one call per whole frame, in wire order, on
 * the thread that called {@link FrameDecoder#decode}.
 */
@FunctionalInterface
public interface FrameSink {

    /**
     * Handles one whole frame.
     *
     * <p>The payload is already unmasked and lies between the buffer's position and limit. It is
     * a view of the decoder's input or of its internal buffer and is valid only during this call:
     * copy what must outlive it. The sink may read and change the view's position and limit.
     *
     * @param fin whether this is the final frame of its message
     * @param rsv the RSV bits, RSV1 as {@link Frame#RSV1} (4), RSV2 as 2, RSV3 as 1
     * @param opcode the frame's opcode
     * @param payload the unmasked payload
     * @throws dev.duplex.websocket.ProtocolException if the frame violates a rule above the framing
     *     layer; the decoder then fails for good
     */
    void onFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload);

    /**
     * Handles one whole frame whose payload the sink may keep: the decoder gathered it into an
     * array that it has let go of, so keeping it saves a copy. Otherwise as {@link #onFrame}, which
     * the default calls.
     */
    default void onDetachedFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        onFrame(fin, rsv, opcode, payload);
    }

    /**
     * Sees bytes of a data frame's payload as they arrive, before the frame is whole (only for a
     * frame that spans several inputs): {@code chunk} holds the next unmasked bytes and, like a
     * payload, is valid only during the call. The whole payload still reaches {@link #onFrame}
     * once complete. A sink checks here what must fail as soon as the bad byte arrives (invalid
     * UTF-8) rather than when the frame ends; the default ignores the chunk.
     *
     * @throws dev.duplex.websocket.ProtocolException to fail the connection at once
     */
    default void onPayloadChunk(int rsv, Opcode opcode, ByteBuffer chunk) {}
}
