package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Joins the parts of one connection's messages, which the container hands over as it reads them
 * (spring-websocket's partial messages), up to the endpoint's limits. A message past its limit is
 * refused with 1009 as soon as the part that passes it arrives, before that part is kept, so
 * memory per connection stays bounded by the limit rather than reserved up front: an idle
 * connection holds no buffer at all. A message that arrives whole in one part is handed on without
 * a copy. Text arrives already decoded and validated as UTF-8 by the container. For blocking-mode
 * connections it only checks the limits and hands each part on ({@link #textPart}, {@link
 * #binaryPart}).
 *
 * <p>Not thread-safe: the container delivers one connection's parts one at a time.
 */
final class InboundAssembler {

    private final int maxText;
    private final int maxBinary;

    private @Nullable StringBuilder text;
    private long textBytes;
    private byte @Nullable [] binary;
    private int binaryLength;
    /** Pull mode: a high surrogate that ended the last part, held for the next one. */
    private @Nullable String carry;

    InboundAssembler(int maxText, int maxBinary) {
        this.maxText = maxText;
        this.maxBinary = maxBinary;
    }

    /**
     * Adds a text part.
     *
     * @return the whole message once {@code last}, else null
     * @throws ProtocolException 1009 when the message passes the limit
     */
    @Nullable
    String text(String part, boolean last) {
        StringBuilder sb = text;
        if (sb == null && last) {
            // A char encodes to at most 3 bytes of UTF-8, so most messages need no counting.
            if (3L * part.length() > maxText && SpringWebSocket.utf8Length(part) > maxText) {
                throw textTooBig();
            }
            return part;
        }
        textBytes += SpringWebSocket.utf8Length(part);
        if (textBytes > maxText) {
            text = null;
            textBytes = 0;
            throw textTooBig();
        }
        if (sb == null) {
            sb = new StringBuilder(Math.max(16, part.length() * 2));
            text = sb;
        }
        sb.append(part);
        if (!last) {
            return null;
        }
        text = null;
        textBytes = 0;
        return sb.toString();
    }

    private ProtocolException textTooBig() {
        return new ProtocolException(
                ProtocolException.MESSAGE_TOO_BIG, "Text message larger than " + maxText + " bytes");
    }

    /**
     * Adds a binary part.
     *
     * @return the whole message once {@code last}, else null
     * @throws ProtocolException 1009 when the message passes the limit
     */
    @Nullable
    ByteBuffer binary(ByteBuffer part, boolean last) {
        int n = part.remaining();
        if ((long) binaryLength + n > maxBinary) {
            binary = null;
            binaryLength = 0;
            throw new ProtocolException(
                    ProtocolException.MESSAGE_TOO_BIG, "Binary message larger than " + maxBinary + " bytes");
        }
        byte[] buf = binary;
        if (buf == null && last) {
            return part;
        }
        if (buf == null) {
            buf = new byte[Math.min(maxBinary, Math.max(256, n * 2))];
        } else if (buf.length - binaryLength < n) {
            buf = Arrays.copyOf(buf, (int)
                    Math.min(maxBinary, Math.max((long) buf.length * 2, (long) binaryLength + n)));
        }
        part.get(buf, binaryLength, n);
        binaryLength += n;
        if (!last) {
            binary = buf;
            return null;
        }
        ByteBuffer whole = ByteBuffer.wrap(buf, 0, binaryLength);
        binary = null;
        binaryLength = 0;
        return whole;
    }

    /**
     * Pull mode: checks a text part against the limit and hands it on, cut at a code point boundary
     * (a surrogate pair that the container split goes out whole with the next part).
     *
     * @return the part, or null when nothing is left to hand on before the next part
     * @throws ProtocolException 1009 when the message passes the limit
     */
    @Nullable
    String textPart(String part, boolean last) {
        String s = carry == null ? part : carry + part;
        carry = null;
        if (!last && !s.isEmpty() && Character.isHighSurrogate(s.charAt(s.length() - 1))) {
            carry = s.substring(s.length() - 1);
            s = s.substring(0, s.length() - 1);
        }
        textBytes += SpringWebSocket.utf8Length(s);
        if (textBytes > maxText) {
            textBytes = 0;
            carry = null;
            throw textTooBig();
        }
        if (last) {
            textBytes = 0;
        } else if (s.isEmpty()) {
            return null;
        }
        return s;
    }

    /**
     * Pull mode: checks a binary part against the limit and hands on a copy (the container reuses
     * its buffer).
     *
     * @throws ProtocolException 1009 when the message passes the limit
     */
    ByteBuffer binaryPart(ByteBuffer part, boolean last) {
        int n = part.remaining();
        if ((long) binaryLength + n > maxBinary) {
            binaryLength = 0;
            throw new ProtocolException(
                    ProtocolException.MESSAGE_TOO_BIG, "Binary message larger than " + maxBinary + " bytes");
        }
        binaryLength = last ? 0 : binaryLength + n;
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(part).flip();
        return copy;
    }
}
