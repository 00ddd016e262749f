package dev.duplex.websocket;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A message, or a part of one, as returned by pull-style reading ({@link WebSocket#receive}).
 * A message larger than the receive buffer arrives in several parts; {@link #last()} is
 * {@code true} on the final one (the IRIS {@code AtEnd} flag).
 */
public sealed interface Message {

    /** Whether this is the final part of its message. */
    boolean last();

    /**
     * Text, or a part of it. Parts are cut only at code point boundaries.
     *
     * @param text the text
     * @param last whether this is the final part of the message
     */
    record Text(String text, boolean last) implements Message {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Binary data, or a part of it. The buffer belongs to the receiver.
     *
     * @param data the bytes, positioned at the first one
     * @param last whether this is the final part of the message
     */
    record Binary(ByteBuffer data, boolean last) implements Message {
        public Binary {
            Objects.requireNonNull(data, "data");
        }

        /** A copy of the remaining bytes. */
        public byte[] bytes() {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        }

        @Override
        public String toString() {
            return "Binary[" + data.remaining() + " bytes, last=" + last + "]";
        }
    }

    /**
     * The end of the stream: the connection closed. Returned once, after every message.
     *
     * @param reason how the connection ended
     */
    record Closed(CloseReason reason) implements Message {
        public Closed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean last() {
            return true;
        }
    }
}
