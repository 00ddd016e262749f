package dev.duplex.websocket.benchmarks;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Netty's RFC 6455 codec, called directly rather than through a channel pipeline.
 *
 * <p>Duplex and Jetty are measured as plain objects fed a buffer; pushing Netty's frames through
 * an {@code EmbeddedChannel} would add the pipeline walk, the channel's inbound queue and task
 * draining, none of which is codec work. So each handler sits in an {@link EmbeddedChannel}
 * only to get a genuine {@link ChannelHandlerContext} (for {@code ctx.alloc()}), and the
 * benchmark calls its protected {@code decode}/{@code encode} itself. The allocator is Netty
 * 4.2's default kind, adaptive and pooled, asked for heap buffers so that every implementation
 * works on heap memory. Not thread-safe: one instance per benchmark thread.
 */
final class NettyCodec {

    private final ServerDecoder decoder;
    private final ClientEncoder encoder = new ClientEncoder();
    private final ChannelHandlerContext decoderContext;
    private final ChannelHandlerContext encoderContext;
    private final EmbeddedChannel channel;

    /** Creates a server-role decoder (masked frames required) and a client-role encoder. */
    NettyCodec(int maxFramePayloadLength) {
        decoder = new ServerDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .maxFramePayloadLength(maxFramePayloadLength)
                .build());
        channel = new EmbeddedChannel(decoder, encoder);
        channel.config().setAllocator(new AdaptiveByteBufAllocator(false));
        decoderContext = channel.pipeline().context(decoder);
        encoderContext = channel.pipeline().context(encoder);
    }

    /** Decodes frames from the readable bytes of {@code in} into {@code out}. */
    void decode(ByteBuf in, List<Object> out) throws Exception {
        decoder.decodeNow(decoderContext, in, out);
    }

    /** Encodes {@code frame}, masked with a fresh key, into {@code out}; the frame is not released. */
    void encode(WebSocketFrame frame, List<Object> out) throws Exception {
        encoder.encodeNow(encoderContext, frame, out);
    }

    /** Closes the channel that hosts the handlers. */
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Opens up the protected decode step; adds no work. */
    private static final class ServerDecoder extends WebSocket08FrameDecoder {
        ServerDecoder(WebSocketDecoderConfig config) {
            super(config);
        }

        void decodeNow(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    /** Opens up the protected encode step; adds no work. Masks with Netty's default generator. */
    private static final class ClientEncoder extends WebSocket08FrameEncoder {
        ClientEncoder() {
            super(true);
        }

        void encodeNow(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws Exception {
            encode(ctx, frame, out);
        }
    }
}
