package dev.duplex.websocket.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The permessage-deflate extension (RFC 7692) of one connection, with the parameters its
 * handshake agreed on: messages whose first frame carries RSV1 are compressed (§6).
 *
 * <p>Outbound, a text or binary payload of at least {@link DeflateOptions#compressionThreshold()}
 * bytes is compressed (§7.2.1) and marked with RSV1; smaller ones go out as they are, which §6
 * allows. Inbound, a message with RSV1 is decompressed (§7.2.2) with the message size limit
 * applied to the decompressed bytes while they are produced, so that a decompression bomb fails
 * with 1009 without its excess ever being held. Invalid compressed data fails with 1007.
 *
 * <p>Context takeover (§7.1.1): each direction keeps its LZ77 window across messages unless the
 * handshake agreed {@code server_no_context_takeover} or {@code client_no_context_takeover} for
 * the side that compresses it. The JDK's deflater always compresses with a 15-bit window, so the
 * handshake must have left this side's window at 15 bits ({@code PerMessageDeflateNegotiator} and
 * {@code PerMessageDeflateOffer} in the handshake package make sure of it).
 *
 * <p>Threads: {@link #encode} is called by one sending thread at a time (the connection's send
 * lock) and {@link #decode} by the connection's loop thread; the two share no state and may run
 * at the same time. {@link #close()} must exclude both. Each direction's zlib stream is allocated
 * on its first compressed message (about 256 KiB native for compression, 40 KiB for
 * decompression) and freed by {@link #close()}.
 */
public final class PerMessageDeflate implements Extension {

    /** The extension's registered name (RFC 7692 §7). */
    public static final String NAME = "permessage-deflate";

    private final int threshold;
    private final MessageDeflater deflater;
    private final MessageInflater inflater;

    /**
     * The extension of one connection.
     *
     * @param role this endpoint's side: a client compresses as the client and decompresses what
     *     the server compressed, a server the other way round
     * @param serverNoContextTakeover whether the server resets its compression context after every
     *     message, as agreed
     * @param clientNoContextTakeover whether the client does, as agreed (or as it promised)
     * @param options the threshold and level; its negotiation parameters are not used here
     */
    public PerMessageDeflate(
            Role role, boolean serverNoContextTakeover, boolean clientNoContextTakeover, DeflateOptions options) {
        Objects.requireNonNull(role, "role");
        boolean server = role == Role.SERVER;
        this.threshold = options.compressionThreshold();
        this.deflater = new MessageDeflater(
                options.compressionLevel(), server ? serverNoContextTakeover : clientNoContextTakeover);
        this.inflater = new MessageInflater(server ? clientNoContextTakeover : serverNoContextTakeover);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@link Frame#RSV1}, the "Per-Message Compressed" bit (RFC 7692 §6). */
    @Override
    public int rsvBits() {
        return Frame.RSV1;
    }

    /**
     * {@code size} plus 1/1024 and 64 bytes: DEFLATE makes incompressible data slightly larger
     * (zlib's stored blocks add 5 bytes per at most 64 KiB, its worst-case bound is under 1/2048
     * plus a constant), so a message at the limit must still be accepted compressed.
     */
    @Override
    public long maxEncodedSize(int size) {
        return size + (size >> 10) + 64L;
    }

    /**
     * Decompresses a message that arrived with RSV1.
     *
     * @throws dev.duplex.websocket.ProtocolException 1009 once the decompressed size passes
     *     {@code maxSize}, 1007 if the payload is not valid DEFLATE data
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public ByteBuffer decode(Opcode type, int rsv, ByteBuffer payload, int maxSize) {
        return inflater.decompress(payload, maxSize, type == Opcode.TEXT ? "Text" : "Binary", type == Opcode.BINARY);
    }

    /**
     * Compresses a payload of at least the threshold; a smaller one, any payload after {@link
     * #close()}, and (without context takeover) one that would not shrink, pass as they are.
     */
    @Override
    public Encoded encode(Opcode type, ByteBuffer payload) {
        if (payload.remaining() < threshold || deflater.isEnded()) {
            return new Encoded(0, payload);
        }
        @Nullable ByteBuffer compressed = deflater.compress(payload);
        return compressed == null ? new Encoded(0, payload) : new Encoded(Frame.RSV1, compressed);
    }

    /** Frees both zlib streams. Idempotent. */
    @Override
    public void close() {
        deflater.end();
        inflater.end();
    }

    /** Bytes decompressed since the inflater was last reset; for tests. */
    long bytesInflated() {
        return inflater.bytesInflated();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
