package dev.duplex.websocket.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/** A connection without TLS: bytes go straight between the socket and the handler. */
final class PlainConnection extends Connection {

    PlainConnection(EventLoop loop, SocketChannel channel, ConnectionOptions options) {
        super(loop, channel, options);
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public @Nullable SSLSession sslSession() {
        return null;
    }

    @Override
    void onConnected() {
        open();
    }

    @Override
    void onReadReady() {
        readPlain();
    }

    @Override
    void resumeDelivery() {
        redeliverLeftover();
    }

    @Override
    long writeOut(ByteBuffer[] buffers, int count) throws IOException {
        return channel.write(buffers, 0, count);
    }

    @Override
    boolean hasPendingOutput() {
        return false;
    }

    @Override
    boolean flushPendingOutput() {
        return true;
    }

    @Override
    void beforeGracefulClose() {}

    @Override
    void release(@Nullable Throwable cause) {}
}
