package dev.duplex.websocket.spring.autoconfigure.server;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Puts one message or control frame on the container's wire without blocking the caller, and says
 * when it is written ({@code done} gets null) or failed. The {@link OutboundQueue} calls it with
 * one operation in flight at a time, as the Jakarta API requires of asynchronous sends.
 */
interface Transmitter {

    void text(String text, Consumer<@Nullable Throwable> done);

    void binary(ByteBuffer data, Consumer<@Nullable Throwable> done);

    /**
     * Writes a text message on the calling thread, with the container's blocking send: {@code done}
     * has run when this returns. For small messages on the container's own thread only.
     */
    void textNow(String text, Consumer<@Nullable Throwable> done);

    /** As {@link #textNow}, for a binary message. */
    void binaryNow(ByteBuffer data, Consumer<@Nullable Throwable> done);

    /** Sends a text message as fragments, one per part (RFC 6455 section 5.4), the last one final. */
    void textParts(List<String> parts, Consumer<@Nullable Throwable> done);

    /** Sends a binary message as fragments, one per part, the last one final. */
    void binaryParts(List<ByteBuffer> parts, Consumer<@Nullable Throwable> done);

    /** Sends one fragment of a streamed text message; the final one when {@code last}. */
    void textPart(String part, boolean last, Consumer<@Nullable Throwable> done);

    /** Sends one fragment of a streamed binary message; the final one when {@code last}. */
    void binaryPart(ByteBuffer part, boolean last, Consumer<@Nullable Throwable> done);

    void ping(ByteBuffer payload, Consumer<@Nullable Throwable> done);

    void pong(ByteBuffer payload, Consumer<@Nullable Throwable> done);

    /** Sends the close frame; the container completes the closing handshake. */
    void close(int code, String reason, Consumer<@Nullable Throwable> done);

    /** Ends the connection now, without waiting for anything queued. */
    void abort();
}
