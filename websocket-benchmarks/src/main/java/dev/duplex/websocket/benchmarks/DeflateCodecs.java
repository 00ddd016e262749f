package dev.duplex.websocket.benchmarks;

import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.codec.Extension;
import dev.duplex.websocket.codec.Frame;
import dev.duplex.websocket.codec.Opcode;
import dev.duplex.websocket.codec.PerMessageDeflate;
import dev.duplex.websocket.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One connection's permessage-deflate in Duplex and in Netty, set up alike: a server that keeps
 * its context both ways, level 6, a 15-bit window, every message compressed, at most 16 MiB per
 * decompressed message. Each method handles one message and returns its size after the step, so
 * that the work cannot be optimized away.
 */
final class DeflateCodecs {

    /** The decompressed size limit of both: the core's default message size limit. */
    static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private DeflateCodecs() {}

    /** Duplex: {@link PerMessageDeflate}, as the engine calls it. */
    static final class Duplex implements AutoCloseable {
        private final PerMessageDeflate deflate = new PerMessageDeflate(
                Role.SERVER,
                false,
                false,
                DeflateOptions.builder()
                        .compressionThreshold(0)
                        .compressionLevel(DeflateData.LEVEL)
                        .build());

        int compress(byte[] message, boolean binary) {
            Extension.Encoded e = deflate.encode(binary ? Opcode.BINARY : Opcode.TEXT, ByteBuffer.wrap(message));
            return e.payload().remaining();
        }

        int decompress(byte[] compressed, boolean binary) {
            return deflate.decode(
                            binary ? Opcode.BINARY : Opcode.TEXT, Frame.RSV1, ByteBuffer.wrap(compressed), MAX_MESSAGE)
                    .remaining();
        }

        @Override
        public void close() {
            deflate.close();
        }
    }

    /**
     * Netty 4.2: the {@code PerMessageDeflateEncoder} and {@code PerMessageDeflateDecoder} that its
     * public {@link PerMessageDeflateServerExtensionHandshaker} hands out for a plain offer, each in
     * an {@link EmbeddedChannel} as a pipeline would run them.
     */
    static final class Netty implements AutoCloseable {
        private final EmbeddedChannel encoder;
        private final EmbeddedChannel decoder;

        Netty() {
            PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
                    DeflateData.LEVEL, false, 15, false, false, MAX_MESSAGE);
            WebSocketServerExtension extension =
                    handshaker.handshakeExtension(new WebSocketExtensionData("permessage-deflate", Map.of()));
            encoder = new EmbeddedChannel(extension.newExtensionEncoder());
            decoder = new EmbeddedChannel(extension.newExtensionDecoder());
        }

        int compress(byte[] message, boolean binary) {
            ByteBuf content = Unpooled.wrappedBuffer(message);
            encoder.writeOutbound(binary ? new BinaryWebSocketFrame(content) : new TextWebSocketFrame(content));
            WebSocketFrame frame = encoder.readOutbound();
            int size = frame.content().readableBytes();
            frame.release();
            return size;
        }

        int decompress(byte[] compressed, boolean binary) {
            ByteBuf content = Unpooled.wrappedBuffer(compressed);
            decoder.writeInbound(
                    binary
                            ? new BinaryWebSocketFrame(true, Frame.RSV1, content)
                            : new TextWebSocketFrame(true, Frame.RSV1, content));
            WebSocketFrame frame = decoder.readInbound();
            int size = frame.content().readableBytes();
            frame.release();
            return size;
        }

        @Override
        public void close() {
            encoder.finishAndReleaseAll();
            decoder.finishAndReleaseAll();
        }
    }
}
