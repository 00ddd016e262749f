package dev.duplex.websocket.transport;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A connection through an {@link SSLEngine}. Ciphertext is read into, decrypted into and
 * encrypted into buffers its loop shares; the connection itself keeps only a partial record
 * received, plaintext its handler left, and ciphertext the socket did not take — each sized to
 * fit, and none while idle. Delegated tasks of the handshake run on the loop thread.
 *
 * <p>A deferred connection (a tunnel through an HTTP proxy) first carries plain bytes, like a
 * {@link PlainConnection}, and opens as soon as TCP is up; {@link #startTls()} then runs the TLS
 * handshake on the open connection, holding queued writes until it is done.
 */
final class TlsConnection extends Connection {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    /** Ciphertext of an incomplete record; loop thread only. */
    private @Nullable ByteBuffer netInLeftover;
    /** Ciphertext the socket has not taken yet; loop thread only. */
    private @Nullable ByteBuffer netOutLeftover;
    /** Whether the first handshake finished; loop thread only. */
    private boolean handshakeDone;
    /** Whether TLS runs: from the start, or once {@link #startTls()} was called; loop thread only. */
    private boolean tlsStarted;
    /** Completed when a deferred handshake is done; null unless one is under way; loop thread only. */
    private @Nullable CompletableFuture<Void> tlsReady;

    /** The future {@link #startTls()} returned, set by its first call (any thread). */
    @SuppressWarnings("unused") // accessed through TLS_REQUESTED
    private volatile @Nullable CompletableFuture<Void> tlsRequested;

    private static final VarHandle TLS_REQUESTED;

    static {
        try {
            TLS_REQUESTED =
                    MethodHandles.lookup().findVarHandle(TlsConnection.class, "tlsRequested", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    TlsConnection(
            EventLoop loop, SocketChannel channel, ConnectionOptions options, SSLEngine engine, boolean deferred) {
        super(loop, channel, options);
        this.engine = engine;
        this.tlsStarted = !deferred;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public @Nullable SSLSession sslSession() {
        return engine.getSession();
    }

    @Override
    boolean wantsRead() {
        // The handshake needs the peer's records whatever the owner wants.
        return state == OPENING ? key != null : super.wantsRead();
    }

    @Override
    boolean holdsWrites() {
        return tlsStarted && !handshakeDone;
    }

    @Override
    void onConnected() throws IOException {
        if (!tlsStarted) {
            open();
            return;
        }
        engine.beginHandshake();
        updateInterest();
        driveHandshake();
    }

    @Override
    public CompletableFuture<Void> startTls() {
        if (!tlsStarted && TLS_REQUESTED.compareAndSet(this, null, new CompletableFuture<Void>())) {
            CompletableFuture<Void> ready = requestedTls();
            // A barrier in the write queue, not a task: writes queued before this call go out in
            // plain, whichever thread queued them and whenever the loop flushes them; the
            // handshake begins right after them, and later writes wait for it.
            if (!queueBarrier()) {
                ready.completeExceptionally(new ChannelClosedException("connection is closed", null));
            }
            return ready;
        }
        return CompletableFuture.failedFuture(new IllegalStateException("TLS has already started on " + this));
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Void> requestedTls() {
        return (CompletableFuture<Void>) Objects.requireNonNull(TLS_REQUESTED.getVolatile(this));
    }

    @Override
    void onWriteBarrier() {
        beginDeferredHandshake(requestedTls());
    }

    private void beginDeferredHandshake(CompletableFuture<Void> ready) {
        if (state != OPEN) {
            ready.completeExceptionally(new ChannelClosedException("connection is closed", null));
            return;
        }
        if (readLeftover != null) {
            // Plain bytes the peer sent past the point where TLS begins cannot be TLS records of ours.
            closeWith(new SSLException("the peer sent plain bytes before the TLS handshake"));
            ready.completeExceptionally(new ChannelClosedException("connection is closed", null));
            return;
        }
        tlsStarted = true;
        tlsReady = ready;
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            closeWith(e);
            return;
        }
        updateInterest();
        driveHandshake();
    }

    @Override
    void onReadReady() {
        if (!tlsStarted) {
            readPlain();
            return;
        }
        for (int i = 0; i < 16; i++) {
            ByteBuffer left = netInLeftover;
            int kept = left == null ? 0 : left.remaining();
            ByteBuffer net = loop.tlsNetIn(Math.max(engine.getSession().getPacketBufferSize(), 2 * kept));
            net.clear();
            if (left != null) {
                net.put(left);
                netInLeftover = null;
            }
            int n;
            try {
                n = channel.read(net);
            } catch (IOException e) {
                closeWith(e);
                return;
            }
            if (n < 0) {
                closeWith(new EOFException("connection closed by the peer"));
                return;
            }
            if (n == 0) {
                netInLeftover = copyOf(net.flip());
                return;
            }
            markRead();
            boolean filled = !net.hasRemaining();
            net.flip();
            if (!unwrapAll(net) || !filled) {
                return;
            }
        }
    }

    @Override
    void resumeDelivery() {
        if (!tlsStarted) {
            redeliverLeftover();
            return;
        }
        ByteBuffer net = netInLeftover;
        if (net != null) {
            netInLeftover = null;
            unwrapAll(net);
        } else {
            redeliverLeftover();
        }
    }

    /** Decrypts every whole record in {@code net} and delivers the plaintext; false to stop reading. */
    private boolean unwrapAll(ByteBuffer net) {
        int appSize = engine.getSession().getApplicationBufferSize();
        ByteBuffer app = withKept(loop.tlsAppIn(appSize), appSize);
        boolean go = true;
        boolean peerClosed = false;
        try {
            while (net.hasRemaining() && go) {
                SSLEngineResult r = engine.unwrap(net, app);
                SSLEngineResult.Status status = r.getStatus();
                if (status == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    if (app.position() > 0 && handler != null) {
                        go = deliver(app.flip());
                        if (state == CLOSED) {
                            return false;
                        }
                        app = withKept(loop.tlsAppIn(appSize), appSize);
                    } else {
                        app = grow(app, appSize);
                    }
                    continue;
                }
                if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (status == SSLEngineResult.Status.CLOSED) {
                    peerClosed = true;
                    break;
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                if (hs != HandshakeStatus.NOT_HANDSHAKING || !handshakeDone) {
                    if (!driveHandshake()) {
                        return false;
                    }
                } else if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            closeWith(e);
            return false;
        }
        if (net.hasRemaining()) {
            netInLeftover = copyOf(net);
        }
        if (app.position() > 0) {
            app.flip();
            go = deliver(app) && go;
            if (state == CLOSED) {
                return false;
            }
        }
        if (peerClosed) {
            closeWith(new EOFException("connection closed by the peer"));
            return false;
        }
        return go && state != CLOSED;
    }

    /** {@code app} cleared, with the plaintext the handler left in front, and room for a record. */
    private ByteBuffer withKept(ByteBuffer app, int appSize) {
        app.clear();
        ByteBuffer kept = readLeftover;
        if (kept != null) {
            readLeftover = null;
            if (kept.remaining() > app.capacity() - appSize) {
                app = ByteBuffer.allocate(kept.remaining() + appSize);
            }
            app.put(kept);
        }
        return app;
    }

    private static ByteBuffer grow(ByteBuffer app, int appSize) {
        ByteBuffer bigger = ByteBuffer.allocate(app.position() + 2 * appSize);
        return bigger.put(app.flip());
    }

    /** Runs the handshake as far as it can go without the peer; false when the connection closed. */
    private boolean driveHandshake() {
        try {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> {
                        if (netOutLeftover != null) {
                            blockOnWrite();
                            return true;
                        }
                        ByteBuffer net = loop.tlsNetOut(engine.getSession().getPacketBufferSize());
                        net.clear();
                        SSLEngineResult r = engine.wrap(EMPTY, net);
                        writeNet(net.flip());
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            return state != CLOSED;
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        return true;
                    }
                    default -> {
                        if (!handshakeDone) {
                            handshakeDone = true;
                            CompletableFuture<Void> ready = tlsReady;
                            if (ready == null) {
                                open();
                            } else {
                                tlsReady = null;
                                ready.complete(null);
                                flushHeldWrites();
                            }
                        }
                        return state != CLOSED;
                    }
                }
            }
        } catch (IOException e) {
            closeWith(e);
            return false;
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void writeNet(ByteBuffer net) throws IOException {
        if (!net.hasRemaining()) {
            return;
        }
        channel.write(net);
        if (net.hasRemaining()) {
            netOutLeftover = copyOf(net);
            blockOnWrite();
        }
    }

    @Override
    void onWriteReady() {
        if (!tlsStarted) {
            super.onWriteReady();
            return;
        }
        try {
            if (!flushPendingOutput()) {
                return;
            }
        } catch (IOException e) {
            closeWith(e);
            return;
        }
        if ((!handshakeDone || engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) && !driveHandshake()) {
            return;
        }
        if (state == OPEN && handshakeDone) {
            super.onWriteReady();
        } else if (netOutLeftover == null) {
            writeBlocked = false;
            updateInterest();
        }
    }

    @Override
    long writeOut(ByteBuffer[] buffers, int count) throws IOException {
        if (!tlsStarted) {
            return channel.write(buffers, 0, count);
        }
        ByteBuffer net = loop.tlsNetOut(engine.getSession().getPacketBufferSize());
        long consumed = 0;
        int offset = 0;
        while (true) {
            net.clear();
            long before = consumed;
            while (offset < count) {
                SSLEngineResult r = engine.wrap(buffers, offset, count - offset, net);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    break;
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("the TLS engine is closed");
                }
                consumed += r.bytesConsumed();
                while (offset < count && !buffers[offset].hasRemaining()) {
                    offset++;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                }
                if (r.bytesConsumed() == 0) {
                    break;
                }
            }
            net.flip();
            if (!net.hasRemaining()) {
                return consumed;
            }
            channel.write(net);
            if (net.hasRemaining()) {
                netOutLeftover = copyOf(net);
                return consumed;
            }
            if (offset >= count || consumed == before) {
                return consumed;
            }
        }
    }

    @Override
    boolean hasPendingOutput() {
        return netOutLeftover != null;
    }

    @Override
    boolean flushPendingOutput() throws IOException {
        ByteBuffer pending = netOutLeftover;
        if (pending == null) {
            return true;
        }
        channel.write(pending);
        if (pending.hasRemaining()) {
            return false;
        }
        netOutLeftover = null;
        return true;
    }

    @Override
    void beforeGracefulClose() {
        if (!tlsStarted) {
            return;
        }
        engine.closeOutbound();
        try {
            ByteBuffer net = loop.tlsNetOut(engine.getSession().getPacketBufferSize());
            while (!engine.isOutboundDone()) {
                net.clear();
                SSLEngineResult r = engine.wrap(EMPTY, net);
                net.flip();
                channel.write(net); // best effort: the close_notify is a courtesy
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    void release(@Nullable Throwable cause) {
        netInLeftover = null;
        netOutLeftover = null;
        CompletableFuture<Void> ready = tlsReady;
        if (ready != null) {
            tlsReady = null;
            ready.completeExceptionally(
                    new ChannelClosedException("connection closed during the TLS handshake", cause));
        }
        CompletableFuture<?> requested = (CompletableFuture<?>) TLS_REQUESTED.getVolatile(this);
        if (requested != null && !requested.isDone()) {
            // Closed before the writes ahead of the barrier were out: the handshake never began.
            requested.completeExceptionally(new ChannelClosedException("connection is closed", cause));
        }
        engine.closeOutbound();
    }

    private static ByteBuffer copyOf(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b).flip();
    }
}
