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
}
