package dev.duplex.websocket.interop;

import dev.duplex.websocket.interop.Recorder.Binary;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.interop.Recorder.Pong;
import dev.duplex.websocket.interop.Recorder.Text;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Netty 4.2 {@code websocketx} client on one NIO event loop, with its permessage-deflate handler
 * when asked. The recording handler answers close frames itself (so it sees their code and reason)
 * and receives pongs; Netty answers pings. Fragments cut bytes, through characters. It misbehaves
 * by writing raw frames under Netty's frame encoder: {@link Connection#misbehave()} a masked close
 * frame carrying code 1005, which RFC 6455 §7.4.1 forbids on the wire, and {@link
 * Connection#sendUnmasked} a frame without the mask that §5.1 requires of a client.
 */
final class NettyPeerClient extends PeerClient {

    NettyPeerClient() {
        super(new Abilities(true, true, true, true));
    }

    /** Above the largest test message: Netty's default frame limit (64 KiB) would refuse it. */
    private static final int MAX_MESSAGE = PeerServer.MAX_MESSAGE;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @Override
    Connection connect(URI uri, List<String> subprotocols, boolean deflate) throws Exception {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(subprotocols.isEmpty() ? null : String.join(",", subprotocols))
                .allowExtensions(deflate)
                .maxFramePayloadLength(MAX_MESSAGE)
                .handleCloseFrames(false)
                .dropPongFrames(false)
                // No close frame of Netty's own when the channel closes: the recorder sends them.
                .sendCloseFrame(null)
                .handshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(Recorder.WAIT_SECONDS))
                .build();
        Connection connection = new Connection();
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(connection.new ResponseHeaders());
                        if (deflate) {
                            ch.pipeline().addLast(new WebSocketClientCompressionHandler(MAX_MESSAGE));
                        }
                        ch.pipeline()
                                .addLast(new WebSocketClientProtocolHandler(config))
                                .addLast(new WebSocketFrameAggregator(MAX_MESSAGE))
                                .addLast(connection.new Events());
                    }
                })
                .connect(uri.getHost(), uri.getPort());
        connection.channel = connected.channel();
        await(connected);
        connection.opened.get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        return connection;
    }

    @Override
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits, bounded, for a connect or write, so a failed one fails the test. */
    private static void await(ChannelFuture future) throws Exception {
        if (!future.await(Recorder.WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException("Netty did not finish within " + Recorder.WAIT_SECONDS + " s");
        }
        if (!future.isSuccess()) {
            throw new IllegalStateException("Netty failed", future.cause());
        }
    }

    /** One connection; its handlers run on the event loop, its methods on the test's thread. */
    static final class Connection extends PeerConnection {
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        private volatile Channel channel;
        private volatile String subprotocol = "";
        private volatile String extensions = "";
        /** Whether this side has sent its close frame; event loop and test thread. */
        private volatile boolean closeSent;

        @Override
        String subprotocol() {
            return subprotocol;
        }

        @Override
        String extensions() {
            return extensions;
        }

        @Override
        void sendText(String text) throws Exception {
            await(channel.writeAndFlush(new TextWebSocketFrame(text)));
        }

        @Override
        void sendBinary(byte[] bytes) throws Exception {
            await(channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))));
        }

        @Override
        void sendFragments(String text, int size) throws Exception {
            List<byte[]> pieces = Payloads.byteFragments(text, size);
            ChannelFuture last = null;
            for (int i = 0; i < pieces.size(); i++) {
                boolean fin = i == pieces.size() - 1;
                var content = Unpooled.wrappedBuffer(pieces.get(i));
                last = channel.write(
                        i == 0
                                ? new TextWebSocketFrame(fin, 0, content)
                                : new ContinuationWebSocketFrame(fin, 0, content));
            }
            channel.flush();
            await(last);
        }

        @Override
        void ping(String payload) throws Exception {
            await(channel.writeAndFlush(
                    new PingWebSocketFrame(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)))));
        }

        @Override
        void close(int code, String reason) throws Exception {
            closeSent = true;
            await(channel.writeAndFlush(new CloseWebSocketFrame(code, reason)));
        }

        /** Writes a masked close frame whose payload is code 1005, which RFC 6455 §7.4.1 keeps off the wire. */
        @Override
        void misbehave() throws Exception {
            byte[] mask = {0x1b, 0x2c, 0x3d, 0x4e};
            writeRaw(new byte[] {
                (byte) 0x88, // FIN, close
                (byte) 0x82, // masked, 2-byte payload
                mask[0],
                mask[1],
                mask[2],
                mask[3],
                (byte) (0x03 ^ mask[0]), // 1005 = 0x03ed
                (byte) (0xed ^ mask[1])
            });
        }

        /** Writes a whole text frame without a mask, which RFC 6455 §5.1 requires of every client frame. */
        void sendUnmasked(String text) throws Exception {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            if (payload.length > 125) {
                throw new IllegalArgumentException("'text' must fit a 7-bit length, was " + payload.length + " bytes");
            }
            byte[] frame = new byte[2 + payload.length];
            frame[0] = (byte) 0x81; // FIN, text
            frame[1] = (byte) payload.length; // mask bit clear
            System.arraycopy(payload, 0, frame, 2, payload.length);
            writeRaw(frame);
        }

        /** Writes bytes from the head of the pipeline, past Netty's frame encoder and its checks. */
        private void writeRaw(byte[] bytes) throws Exception {
            await(channel.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(bytes)));
        }

        /** Keeps the server's {@code Sec-WebSocket-Extensions} header, which Netty does not expose. */
        final class ResponseHeaders extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpResponse response) {
                    String header = response.headers().get("Sec-WebSocket-Extensions");
                    extensions = header == null ? "" : header;
                    ctx.pipeline().remove(this);
                }
                ctx.fireChannelRead(msg);
            }
        }

        /** Records the connection's events; answers the server's close frame. */
        final class Events extends SimpleChannelInboundHandler<WebSocketFrame> {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    String chosen = ctx.pipeline()
                            .get(WebSocketClientProtocolHandler.class)
                            .handshaker()
                            .actualSubprotocol();
                    subprotocol = chosen == null ? "" : chosen;
                    opened.complete(null);
                } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                    opened.completeExceptionally(new TimeoutException("no handshake response"));
                }
                ctx.fireUserEventTriggered(event);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof TextWebSocketFrame text) {
                    events.record(new Text(text.text()));
                } else if (frame instanceof BinaryWebSocketFrame binary) {
                    events.record(new Binary(ByteBufUtil.getBytes(binary.content())));
                } else if (frame instanceof PongWebSocketFrame pong) {
                    events.record(new Pong(pong.content().toString(StandardCharsets.UTF_8)));
                } else if (frame instanceof CloseWebSocketFrame close) {
                    int code = close.statusCode();
                    events.record(new Close(code < 0 ? 1005 : code, code < 0 ? "" : close.reasonText(), true));
                    if (closeSent) {
                        ctx.close();
                    } else {
                        // RFC 6455 §5.5.1: echo the status code; the frame itself goes back.
                        closeSent = true;
                        ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                opened.completeExceptionally(cause);
                events.record(new Recorder.Error(cause));
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                opened.completeExceptionally(new ClosedChannelException());
                ctx.fireChannelInactive();
            }
        }
    }
}
