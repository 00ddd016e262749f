package dev.duplex.websocket.interop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Netty 4.2 {@code websocketx} server with its permessage-deflate handler. The script handler
 * answers close frames itself (so it sees their code and reason) and receives pongs. Fragments cut
 * bytes; {@code #bad} writes a raw close frame carrying code 1005, which RFC 6455 §7.4.1 forbids on
 * the wire, under Netty's frame encoder.
 */
final class NettyPeerServer extends PeerServer {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    NettyPeerServer() throws InterruptedException {
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new WebSocketServerCompressionHandler(MAX_MESSAGE))
                                .addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/echo")
                                        .subprotocols(String.join(",", SUBPROTOCOLS))
                                        .allowExtensions(true)
                                        .maxFramePayloadLength(MAX_MESSAGE)
                                        .handleCloseFrames(false)
                                        .dropPongFrames(false)
                                        .build()))
                                .addLast(new WebSocketFrameAggregator(MAX_MESSAGE))
                                .addLast(new Script(NettyPeerServer.this));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    @Override
    URI uri() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort() + "/echo");
    }

    @Override
    boolean fragmentsBytes() {
        return true;
    }

    @Override
    boolean misbehaves() {
        return true;
    }

    @Override
    boolean deflates() {
        return true;
    }

    /**
     * With the JDK's zlib, which cannot deflate with a smaller window, Netty declines an offer
     * that asks for one, as RFC 7692 §7.1.2.1 allows.
     */
    @Override
    @Nullable
    String agreedToServerWindowOf10() {
        return null;
    }

    /** Netty accepts client_no_context_takeover without naming it, which RFC 7692 §7.1.1.2 allows. */
    @Override
    String agreedToClientNoContextTakeover() {
        return "permessage-deflate";
    }

    /**
     * Netty's inflater fails a compressed message ("cannot read uncompressed buffer") when its
     * first fragment inflates to nothing, which a fragment of a few bytes of deflate data may well
     * do and RFC 7692 allows; so Netty gets fragments long enough to yield output.
     */
    @Override
    int compressedFragmentSize() {
        return 1 << 20;
    }

    @Override
    void stop() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    /** One connection's script; one instance per channel. */
    private static final class Script extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final NettyPeerServer owner;
        private boolean closeSent;

        Script(NettyPeerServer owner) {
            super(false);
            this.owner = owner;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                Command command = Command.parse(text.text());
                if (command == null) {
                    ctx.writeAndFlush(text);
                    return;
                }
                text.release();
                run(ctx, command);
            } else if (frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame);
            } else if (frame instanceof PongWebSocketFrame pong) {
                ctx.writeAndFlush(
                        new TextWebSocketFrame("pong " + pong.content().toString(StandardCharsets.UTF_8)));
                pong.release();
            } else if (frame instanceof CloseWebSocketFrame close) {
                int code = close.statusCode();
                owner.closed(code < 0 ? 1005 : code, code < 0 ? "" : close.reasonText());
                if (closeSent) {
                    close.release();
                    ctx.close();
                } else {
                    // RFC 6455 §5.5.1: echo the status code; the frame itself goes back.
                    closeSent = true;
                    ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
                }
            } else {
                frame.release();
            }
        }

        private void run(ChannelHandlerContext ctx, Command command) {
            switch (command.verb()) {
                case "close" -> {
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(command.number(), command.text()));
                }
                case "fragments" -> {
                    List<byte[]> pieces = Payloads.byteFragments(command.text(), command.number());
                    for (int i = 0; i < pieces.size(); i++) {
                        boolean last = i == pieces.size() - 1;
                        var content = Unpooled.wrappedBuffer(pieces.get(i));
                        ctx.write(
                                i == 0
                                        ? new TextWebSocketFrame(last, 0, content)
                                        : new ContinuationWebSocketFrame(last, 0, content));
                    }
                    ctx.flush();
                }
                case "ping" ->
                    ctx.writeAndFlush(new PingWebSocketFrame(
                            Unpooled.wrappedBuffer(command.text().getBytes(StandardCharsets.UTF_8))));
                case "bad" ->
                    ctx.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {
                        (byte) 0x88, 0x02, 0x03, (byte) 0xed
                    })); // close frame, 2-byte payload: code 1005
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
