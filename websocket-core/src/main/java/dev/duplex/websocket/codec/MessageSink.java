package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link MessageAssembler} assembles, in wire order, on the thread that fed it.
 * Buffers passed here are the sink's to keep (the assembler never touches them again), except the
 * one {@link #onBinaryView} lends.
 */
public interface MessageSink {

    /** A whole text message (in {@link MessageAssembler.Mode#WHOLE} mode). */
    void onText(String text);

    /** A whole binary message (in {@link MessageAssembler.Mode#WHOLE} mode). */
    void onBinary(ByteBuffer data);

    /**
     * A whole binary message (in {@link MessageAssembler.Mode#WHOLE} mode) that arrived in one
     * frame inside the decoder's input: {@code view} shows that input and is lent for this call
     * only, since the input buffer is read into again afterwards. A sink that is done with the
     * message before it returns (a listener run on the calling thread) spares a copy; the default
     * copies the payload and calls {@link #onBinary}.
     */
    default void onBinaryView(ByteBuffer view) {
        byte[] bytes = new byte[view.remaining()];
        view.get(view.position(), bytes);
        onBinary(ByteBuffer.wrap(bytes));
    }

    /**
     * A part of a text message (in {@link MessageAssembler.Mode#PARTS} mode), cut at a code point
     * boundary; {@code last} marks the message's final part. A non-final part is never empty.
     * The default rejects parts.
     */
    default void onTextPart(String part, boolean last) {
        throw new UnsupportedOperationException("This sink takes whole messages only");
    }

    /**
     * A part of a binary message (in {@link MessageAssembler.Mode#PARTS} mode); {@code last} marks
     * the message's final part. A non-final part is never empty. The default rejects parts.
     */
    default void onBinaryPart(ByteBuffer part, boolean last) {
        throw new UnsupportedOperationException("This sink takes whole messages only");
    }

    /** A ping with its payload (at most 125 bytes); answering it is the caller's business. */
    void onPing(ByteBuffer payload);

    /** A pong with its payload (at most 125 bytes). */
    void onPong(ByteBuffer payload);

    /**
     * A close frame: its code (1005 when the frame had none) and its reason (empty when none). No
     * frame is accepted after it.
     */
    void onClose(int code, String reason);
}
