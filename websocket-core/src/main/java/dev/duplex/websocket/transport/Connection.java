package dev.duplex.websocket.transport;

import dev.duplex.websocket.SendOverflowException;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection, plain or TLS, owned by one {@link EventLoop}. The API is the same for both:
 * the owner never needs to know which it has.
 *
 * <h2>Reading</h2>
 * Bytes (decrypted, for TLS) go to the {@link ConnectionHandler} on the loop thread. They are read
 * into a buffer the loop shares among its connections; a connection keeps only what its handler
 * left unconsumed, so an idle connection holds no read buffer. {@link #suspendReads()} and {@link
 * #resumeReads()} apply back-pressure to the peer.
 *
 * <h2>Writing</h2>
 * Any thread may {@link #write(long, ByteBuffer...) write}; writing never blocks. Each write is a
 * unit (say a frame header and its payload, written by one gathering write without copying): the
 * writes of one thread go out in order, each whole. Its future completes, on the loop thread, when
 * its last byte has been handed to the socket, and fails with {@link ChannelClosedException} when
 * the connection closes first. Dependent actions attached without an executor run on the loop
 * thread, so they must not block. The buffers are consumed (their positions advance) and must not
 * be touched until the future completes; pass {@link ByteBuffer#duplicate()}s to write one buffer
 * on several connections. Cancelling a future does not withdraw its write.
 *
 * <p>{@link #bufferedAmount()} counts the payload bytes of writes accepted and not yet completed;
 * a write that would take it past {@link ConnectionOptions#maxBufferedAmount()} is refused. {@link
 * #writePriority(ByteBuffer...)} (for control frames) jumps ahead of queued writes, but never into
 * the middle of one already started.
 *
 * <p>Thread-safe.
 */
public abstract sealed class Connection permits PlainConnection, TlsConnection {

    /**
     * Most bytes the priority lane holds unwritten. Control frames are small (RFC 6455 §5.5: at
     * most 125 payload bytes), so this only bites a peer that floods pings and never reads.
     */
    public static final long MAX_PRIORITY_BYTES = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    /** Reads per readiness event before the loop serves other connections. */
    private static final int MAX_READS_PER_EVENT = 16;
    /** Gathering writes per flush before the loop serves other connections. */
    private static final int MAX_FLUSH_ROUNDS = 16;

    static final int OPENING = 0;
    static final int OPEN = 1;
    static final int CLOSED = 2;

    private static final int NOT_REQUESTED = 0;
    private static final int CLOSE_REQUESTED = 1;
    private static final int ABORT_REQUESTED = 2;

    private static final VarHandle NORMAL_TOP;
    private static final VarHandle PRIORITY_TOP;
    private static final VarHandle FLUSH_PENDING;
    private static final VarHandle BUFFERED;
    private static final VarHandle PRIORITY_BUFFERED;
    private static final VarHandle OVERFLOW_REPORTED;
    private static final VarHandle CLOSE_REQUEST;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NORMAL_TOP = l.findVarHandle(Connection.class, "normalTop", WriteEntry.class);
            PRIORITY_TOP = l.findVarHandle(Connection.class, "priorityTop", WriteEntry.class);
            FLUSH_PENDING = l.findVarHandle(Connection.class, "flushPending", int.class);
            BUFFERED = l.findVarHandle(Connection.class, "buffered", long.class);
            PRIORITY_BUFFERED = l.findVarHandle(Connection.class, "priorityBuffered", long.class);
            OVERFLOW_REPORTED = l.findVarHandle(Connection.class, "overflowReported", int.class);
            CLOSE_REQUEST = l.findVarHandle(Connection.class, "closeRequest", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final SocketChannel channel;
    final ConnectionOptions options;
    private final Runnable flushTask = this::flush;

    /** Set once registered; loop thread only. */
    @Nullable
    SelectionKey key;
    /** Null until the connection opens; loop thread only. */
    @Nullable
    ConnectionHandler handler;
    /** What is needed until the connection opens, then null; loop thread only. */
    @Nullable
    Opening opening;
    /** Run once when the connection closes (the acceptor's count); loop thread only. */
    @Nullable
    Runnable closeHook;

    private volatile @Nullable InetSocketAddress remoteAddress;
    private volatile @Nullable InetSocketAddress localAddress;

    /** Written on the loop thread only. */
    volatile int state = OPENING;

    @SuppressWarnings("unused") // accessed through CLOSE_REQUEST
    private volatile int closeRequest;

    // Read side; loop thread only.
    /** Bytes the handler left unconsumed, sized to fit; null when none. */
    @Nullable
    ByteBuffer readLeftover;

    boolean readSuspended;
    private long lastReadNanos = System.nanoTime();
    private long lastWriteNanos = lastReadNanos;

    // Write side. Producers push onto two Treiber stacks; the loop takes each whole, reverses it
    // into FIFO order and links it into its own list: [started entry][priority entries][others].
    @SuppressWarnings("unused") // accessed through NORMAL_TOP
    private volatile @Nullable WriteEntry normalTop;

    @SuppressWarnings("unused") // accessed through PRIORITY_TOP
    private volatile @Nullable WriteEntry priorityTop;

    @SuppressWarnings("unused") // accessed through FLUSH_PENDING
    private volatile int flushPending;

    @SuppressWarnings("unused") // accessed through BUFFERED
    private volatile long buffered;

    @SuppressWarnings("unused") // accessed through PRIORITY_BUFFERED
    private volatile long priorityBuffered;

    @SuppressWarnings("unused") // accessed through OVERFLOW_REPORTED
    private volatile int overflowReported;

    /** The loop's own FIFO of writes; loop thread only. */
    private @Nullable WriteEntry head;

    private @Nullable WriteEntry tail;
    /** Last priority entry in the list, where the next ones go; loop thread only. */
    private @Nullable WriteEntry lastPriority;
    /** Whether the socket was full and OP_WRITE is wanted; loop thread only. */
    boolean writeBlocked;
    /**
     * Whether the loop is delivering this connection's read: writes queued meanwhile wait for its
     * end and then go out together. Loop thread only (others test {@link EventLoop#inEventLoop()} first).
     */
    private boolean reading;

    Connection(EventLoop loop, SocketChannel channel, ConnectionOptions options) {
        this.loop = loop;
        this.channel = channel;
        this.options = options;
    }

    // ---------------------------------------------------------------- public API

    /** The loop that performs this connection's I/O and calls its handler. */
    public final EventLoop eventLoop() {
        return loop;
    }

    /** The peer's address; null before the TCP connection is established. */
    public final @Nullable InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** This side's address; null before the TCP connection is established. */
    public final @Nullable InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Whether this connection runs TLS. */
    public abstract boolean isSecure();

    /** The TLS session, or null for a plain connection. */
    public abstract @Nullable SSLSession sslSession();

    /** Whether the connection is open and neither {@link #close()} nor {@link #abort()} was called. */
    public final boolean isOpen() {
        return state == OPEN && (int) CLOSE_REQUEST.getVolatile(this) == NOT_REQUESTED;
    }

    /** Payload bytes of writes accepted and not yet completed (the W3C {@code bufferedAmount}). */
    public final long bufferedAmount() {
        return (long) BUFFERED.getVolatile(this);
    }

    /** {@link System#nanoTime()} of the last read that returned bytes; for idle timeouts. */
    public final long lastReadNanos() {
        return lastReadNanos;
    }

    final void markRead() {
        lastReadNanos = System.nanoTime();
    }

    /** {@link System#nanoTime()} of the last write that moved bytes; for keep-alive pings. */
    public final long lastWriteNanos() {
        return lastWriteNanos;
    }

    /**
     * Queues {@code buffers} as one write whose payload is all their remaining bytes.
     *
     * @see #write(long, ByteBuffer...)
     */
    public final CompletableFuture<Void> write(ByteBuffer... buffers) {
        return write(remaining(buffers), buffers);
    }

    /**
     * Queues {@code buffers} as one write that counts {@code payloadBytes} in the buffered amount
     * (a frame's header is not payload). Never blocks. The future fails with {@link
     * SendOverflowException} when the write would pass {@link
     * ConnectionOptions#maxBufferedAmount()} (nothing is queued, and with {@link
     * ConnectionOptions#closeOnOverflow()} the handler hears of it), and with {@link
     * ChannelClosedException} when the connection is closing or closes before the write completes.
     *
     * @throws IllegalArgumentException when {@code payloadBytes} is negative
     */
    public final CompletableFuture<Void> write(long payloadBytes, ByteBuffer... buffers) {
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("'payloadBytes' must not be negative, was " + payloadBytes);
        }
        requireNoNulls(buffers);
        WriteEntry entry = new WriteEntry(buffers, payloadBytes, 0);
        if (isClosingOrClosed()) {
            entry.fail(new ChannelClosedException("connection is closed", null));
            return entry;
        }
        long max = options.maxBufferedAmount();
        long current;
        do {
            current = (long) BUFFERED.getVolatile(this);
            if (payloadBytes > max - current) {
                entry.fail(new SendOverflowException(current, payloadBytes, max));
                reportOverflow(current, payloadBytes);
                return entry;
            }
        } while (!BUFFERED.compareAndSet(this, current, current + payloadBytes));
        enqueue(NORMAL_TOP, entry);
        return entry;
    }

    /**
     * Queues {@code buffers} (a control frame) ahead of the queued writes not yet started, after
     * earlier priority writes. It counts nothing in the buffered amount; the priority lane holds at
     * most {@link #MAX_PRIORITY_BYTES}, past which the future fails with {@link
     * SendOverflowException}. Otherwise as {@link #write(long, ByteBuffer...)}.
     */
    public final CompletableFuture<Void> writePriority(ByteBuffer... buffers) {
        long bytes = remaining(buffers);
        WriteEntry entry = new WriteEntry(buffers, 0, bytes);
        if (isClosingOrClosed()) {
            entry.fail(new ChannelClosedException("connection is closed", null));
            return entry;
        }
        long current;
        do {
            current = (long) PRIORITY_BUFFERED.getVolatile(this);
            if (bytes > MAX_PRIORITY_BYTES - current) {
                entry.fail(new SendOverflowException(current, bytes, MAX_PRIORITY_BYTES));
                return entry;
            }
        } while (!PRIORITY_BUFFERED.compareAndSet(this, current, current + bytes));
        enqueue(PRIORITY_TOP, entry);
        return entry;
    }

    /**
     * Stops reading from the socket (the peer's sends back up in TCP) until {@link
     * #resumeReads()}. Takes effect before the next read; may be called from the handler.
     */
    public final void suspendReads() {
        loop.runOnLoop(() -> {
            readSuspended = true;
            updateInterest();
        });
    }

    /** Resumes reading; bytes the handler left unconsumed are handed to it again first. */
    public final void resumeReads() {
        submit(() -> {
            if (!readSuspended) {
                return;
            }
            readSuspended = false;
            updateInterest();
            if (state == OPEN && (int) CLOSE_REQUEST.getVolatile(this) == NOT_REQUESTED) {
                resumeDelivery();
            }
        });
    }

    /**
     * Runs {@code task} on this connection's loop after {@code delay}.
     *
     * @see EventLoop#schedule(Runnable, long, TimeUnit)
     */
    public final Timeout schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    /**
     * Closes gracefully: stops reading, writes out what is queued (then, for TLS, a close_notify)
     * and closes the socket. Writes after this call fail. Returns at once; the handler's {@link
     * ConnectionHandler#onClosed(Throwable)} says when it is done. Use {@link #abort()} if the
     * peer may never read.
     */
    public final void close() {
        if (CLOSE_REQUEST.compareAndSet(this, NOT_REQUESTED, CLOSE_REQUESTED)) {
            submit(this::closeGracefully);
        }
    }

    /** Closes the socket at once; queued writes fail. Returns at once. */
    public final void abort() {
        if ((int) CLOSE_REQUEST.getAndSet(this, ABORT_REQUESTED) != ABORT_REQUESTED) {
            submit(() -> closeWith(null));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + Addresses.format(localAddress) + " -> "
                + Addresses.format(remoteAddress) + "]";
    }

    /**
     * Starts TLS on a connection opened by {@link EventLoopGroup#connectTunnel} once the plain
     * exchange before it (an HTTP {@code CONNECT}) is done. Writes queued from now on are held
     * until the handshake is done, then encrypted. The future completes, on the loop thread, when
     * the handshake is done; when it fails the connection closes and the handler's {@link
     * ConnectionHandler#onClosed(Throwable)} gets the {@link javax.net.ssl.SSLException}, while
     * this future fails with a {@link ChannelClosedException}. Bytes the handler left unconsumed
     * when TLS starts are plaintext that cannot belong to the TLS stream: they close the connection.
     *
     * <p>Fails with an {@link IllegalStateException} on any other connection, or when called twice.
     */
    public CompletableFuture<Void> startTls() {
        return CompletableFuture.failedFuture(new IllegalStateException(this + " has no deferred TLS to start"));
    }

    // ---------------------------------------------------------------- transport-specific parts

    /** Whether queued writes must wait (a deferred TLS handshake is under way); loop thread only. */
    boolean holdsWrites() {
        return false;
    }

    /** Writes what {@link #holdsWrites()} held back; loop thread only. */
    final void flushHeldWrites() {
        flush();
    }

    /** The TCP connection is established: plain connections open, TLS ones start the handshake. */
    abstract void onConnected() throws IOException;

    /** OP_READ fired. */
    abstract void onReadReady();

    /** Hands bytes kept while reads were suspended to the handler again. */
    abstract void resumeDelivery();

    /**
     * Writes {@code buffers[0..count)}; returns how many of their bytes were consumed. A TLS
     * connection may consume bytes whose ciphertext it could not write yet: {@link
     * #hasPendingOutput()} then says so.
     */
    abstract long writeOut(ByteBuffer[] buffers, int count) throws IOException;

    /** Whether bytes produced by the transport (TLS records) wait for the socket. */
    abstract boolean hasPendingOutput();

    /** Writes pending transport bytes; true when none are left. */
    abstract boolean flushPendingOutput() throws IOException;

    /** Before a graceful close, once everything queued is written: the TLS close_notify. */
    abstract void beforeGracefulClose();

    /** After the socket is closed: releases transport buffers. */
    abstract void release(@Nullable Throwable cause);

    // ---------------------------------------------------------------- opening (loop thread)

    /** Client side: connects to {@code remote} with the connect timeout running. */
    final void startConnect(InetSocketAddress remote) {
        Opening o = Objects.requireNonNull(opening);
        if (loop.isShutdown()) {
            closeWith(new RejectedExecutionException("the event loop group is shut down"));
            return;
        }
        try {
            key = loop.register(channel, 0, this);
            long timeoutNanos = options.connectTimeout().toNanos();
            o.timer = loop.schedule(() -> openingTimedOut(remote), timeoutNanos, TimeUnit.NANOSECONDS);
            if (channel.connect(remote)) {
                connected();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            closeWith(connectFailure(remote, e));
        }
    }

    /** Server side: the accepted socket joins this loop. */
    final void startAccepted() {
        Opening o = Objects.requireNonNull(opening);
        if (loop.isShutdown()) {
            closeWith(new RejectedExecutionException("the event loop group is shut down"));
            return;
        }
        try {
            key = loop.register(channel, 0, this);
            if (isSecure()) {
                long timeoutNanos = options.connectTimeout().toNanos();
                InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
                o.timer = loop.schedule(() -> openingTimedOut(peer), timeoutNanos, TimeUnit.NANOSECONDS);
            }
            connected();
        } catch (IOException e) {
            closeWith(e);
        }
    }

    private void connected() throws IOException {
        remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
        localAddress = (InetSocketAddress) channel.getLocalAddress();
        onConnected();
    }

    private void finishConnect() {
        InetSocketAddress remote = Objects.requireNonNull(opening).remote;
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            closeWith(connectFailure(remote, e));
        }
    }

    private void openingTimedOut(@Nullable InetSocketAddress remote) {
        if (state != OPENING) {
            return;
        }
        long millis = options.connectTimeout().toMillis();
        String message = remoteAddress == null
                ? "connect to " + Addresses.format(remote) + " timed out after " + millis + " ms"
                : "TLS handshake with " + Addresses.format(remote) + " timed out after " + millis + " ms";
        closeWith(new SocketTimeoutException(message));
    }

    private static IOException connectFailure(@Nullable InetSocketAddress remote, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        ConnectException failure =
                new ConnectException("could not connect to " + Addresses.format(remote) + ": " + reason);
        failure.initCause(e);
        return failure;
    }

    /** Ready for bytes: creates the handler, completes the connect future, starts reading. */
    final void open() {
        Opening o = Objects.requireNonNull(opening);
        if (o.timer != null) {
            o.timer.cancel();
        }
        ConnectionHandler h;
        try {
            h = o.handlerFactory.apply(this);
        } catch (Throwable t) {
            closeWith(t);
            return;
        }
        opening = null;
        if (h == null) {
            closeWith(null); // refused by the acceptor's owner: nothing to report
            return;
        }
        handler = h;
        state = OPEN;
        if ((int) CLOSE_REQUEST.getVolatile(this) == ABORT_REQUESTED) {
            closeWith(null);
            return;
        }
        updateInterest();
        if (o.future != null) {
            o.future.complete(this);
        }
        // Writes queued before the connection opened (from the factory, say).
        flush();
        if (state == OPEN && readLeftover != null && !readSuspended) {
            submit(this::resumeDelivery);
        }
    }

    // ---------------------------------------------------------------- reading (loop thread)

    /** Dispatches readiness; called by the loop. */
    final void onSelected(SelectionKey k) {
        if (!k.isValid()) {
            return;
        }
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            onWriteReady();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state != CLOSED) {
            reading = true;
            try {
                onReadReady();
            } finally {
                reading = false;
            }
            // The replies the handler queued while this read was delivered go out in one write now,
            // before the loop turns to other connections: as soon as possible for the peer, and
            // without a task per reply.
            if ((int) FLUSH_PENDING.getVolatile(this) != 0) {
                flush();
            }
        }
    }

    /** Reads plain bytes from the socket into the loop's buffer, behind any leftover, and delivers them. */
    final void readPlain() {
        ByteBuffer shared = loop.readBuffer;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            ByteBuffer left = readLeftover;
            int kept = left == null ? 0 : left.remaining();
            // A handler that keeps a lot (a large HTTP head) gets a private buffer for this read.
            ByteBuffer target =
                    kept > shared.capacity() / 2 ? ByteBuffer.allocate(kept + shared.capacity() / 2) : shared;
            target.clear().position(kept);
            int n;
            try {
                n = channel.read(target);
            } catch (IOException e) {
                closeWith(e);
                return;
            }
            if (n < 0) {
                closeWith(new EOFException("connection closed by the peer"));
                return;
            }
            if (n == 0) {
                return;
            }
            lastReadNanos = System.nanoTime();
            if (left != null) {
                target.put(0, left, left.position(), kept);
                readLeftover = null;
            }
            boolean filled = !target.hasRemaining();
            target.flip();
            if (!deliver(target) || !filled) {
                return;
            }
        }
    }

    /**
     * Hands {@code data} to the handler and keeps what it leaves. Returns whether reading should
     * go on.
     */
    final boolean deliver(ByteBuffer data) {
        ConnectionHandler h = handler;
        if (h == null) {
            keepLeftover(data);
            return true;
        }
        try {
            h.onRead(data);
        } catch (Throwable t) {
            closeWith(t);
            return false;
        }
        if (state == CLOSED) {
            return false;
        }
        keepLeftover(data);
        return !readSuspended && (int) CLOSE_REQUEST.getVolatile(this) == NOT_REQUESTED;
    }

    private void keepLeftover(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        if (readLeftover != null) {
            // Only while opening can bytes arrive with some already kept.
            ByteBuffer merged = ByteBuffer.allocate(readLeftover.remaining() + copy.remaining());
            copy = merged.put(readLeftover).put(copy).flip();
        }
        readLeftover = copy;
    }

    /** Redelivers kept bytes (plain connections and TLS alike). */
    final void redeliverLeftover() {
        ByteBuffer left = readLeftover;
        if (left != null) {
            readLeftover = null;
            deliver(left);
        }
    }

    // ---------------------------------------------------------------- writing

    private void enqueue(VarHandle top, WriteEntry entry) {
        WriteEntry t;
        do {
            t = (WriteEntry) top.getVolatile(this);
            entry.next = t;
        } while (!top.compareAndSet(this, t, entry));
        // Dekker with closeWith(): it sets CLOSED, then empties the stacks; we push, then look.
        if (state == CLOSED) {
            failStacks(new ChannelClosedException("connection is closed", null));
            return;
        }
        scheduleFlush();
    }

    private void scheduleFlush() {
        if ((int) FLUSH_PENDING.getVolatile(this) == 0 && FLUSH_PENDING.compareAndSet(this, 0, 1)) {
            if (loop.inEventLoop() && reading) {
                return; // onSelected flushes when the read is delivered
            }
            if (!submit(flushTask)) {
                failStacks(new ChannelClosedException("connection is closed", null));
            }
        }
    }

    /** The flush task: drains the stacks and writes as much as the socket takes. */
    private void flush() {
        FLUSH_PENDING.setVolatile(this, 0);
        if (state == CLOSED) {
            failStacks(new ChannelClosedException("connection is closed", null));
            return;
        }
        if (state != OPEN || holdsWrites()) {
            return; // open(), or the end of a deferred TLS handshake, flushes
        }
        drainStacks();
        if (!writeBlocked) {
            doFlush();
        }
    }

    /** OP_WRITE fired: the socket has room again. */
    void onWriteReady() {
        if (state != OPEN || holdsWrites()) {
            return;
        }
        drainStacks();
        doFlush();
    }

    private void drainStacks() {
        WriteEntry priority = takeFifo(PRIORITY_TOP);
        if (priority != null) {
            WriteEntry last = priority;
            while (last.next != null) {
                last = last.next;
            }
            WriteEntry h = head;
            WriteEntry after = lastPriority != null ? lastPriority : (h != null && h.started() ? h : null);
            if (after == null) {
                last.next = h;
                head = priority;
                if (tail == null) {
                    tail = last;
                }
            } else {
                last.next = after.next;
                after.next = priority;
                if (tail == after) {
                    tail = last;
                }
            }
            lastPriority = last;
        }
        WriteEntry normal = takeFifo(NORMAL_TOP);
        if (normal != null) {
            WriteEntry t = tail;
            if (t == null) {
                head = normal;
            } else {
                t.next = normal;
            }
            WriteEntry last = normal;
            while (last.next != null) {
                last = last.next;
            }
            tail = last;
        }
    }

    private @Nullable WriteEntry takeFifo(VarHandle top) {
        WriteEntry e = (WriteEntry) top.getAndSet(this, null);
        WriteEntry reversed = null;
        while (e != null) {
            WriteEntry next = e.next;
            e.next = reversed;
            reversed = e;
            e = next;
        }
        return reversed;
    }

    private void doFlush() {
        try {
            if (!flushPendingOutput()) {
                blockOnWrite();
                return;
            }
            ByteBuffer[] gather = loop.gather;
            int rounds = 0;
            while (head != null) {
                if (rounds++ == MAX_FLUSH_ROUNDS) {
                    scheduleFlush(); // let other connections of this loop have a turn
                    return;
                }
                int count = 0;
                long bytes = 0;
                ByteBuffer clipped = null;
                int clippedLimit = 0;
                collect:
                for (WriteEntry e = head; e != null; e = e.next) {
                    if (e.barrier) {
                        break; // nothing behind it goes out before completeWritten() reaches it
                    }
                    ByteBuffer[] buffers = e.buffers;
                    for (int i = e.index; i < buffers.length; i++) {
                        ByteBuffer b = buffers[i];
                        int r = b.remaining();
                        if (r == 0) {
                            continue;
                        }
                        if (count == gather.length || bytes >= EventLoop.MAX_WRITE_BYTES) {
                            break collect;
                        }
                        if (r > EventLoop.MAX_WRITE_BYTES - bytes) {
                            clipped = b;
                            clippedLimit = b.limit();
                            r = (int) (EventLoop.MAX_WRITE_BYTES - bytes);
                            b.limit(b.position() + r);
                        }
                        gather[count++] = b;
                        bytes += r;
                    }
                }
                long written;
                try {
                    written = count == 0 ? 0 : writeOut(gather, count);
                } finally {
                    if (clipped != null) {
                        clipped.limit(clippedLimit);
                    }
                    Arrays.fill(gather, 0, count, null);
                }
                if (written > 0) {
                    lastWriteNanos = System.nanoTime();
                }
                completeWritten();
                if (state != OPEN || holdsWrites()) {
                    return; // a barrier reached may have started a TLS handshake, which flushes when done
                }
                if (written < bytes || hasPendingOutput()) {
                    blockOnWrite();
                    return;
                }
            }
            if (writeBlocked) {
                writeBlocked = false;
                updateInterest();
                ConnectionHandler h = handler;
                if (h != null) {
                    h.onWritable();
                }
            }
            if ((int) CLOSE_REQUEST.getVolatile(this) == CLOSE_REQUESTED && state == OPEN) {
                finishGracefulClose();
            }
        } catch (IOException e) {
            closeWith(e);
        } catch (RuntimeException | Error e) {
            closeWith(e);
        }
    }

    private void completeWritten() {
        WriteEntry e;
        while ((e = head) != null && e.consumed() && !hasPendingOutput()) {
            head = e.next;
            if (head == null) {
                tail = null;
            }
            if (lastPriority == e) {
                lastPriority = null;
            }
            e.next = null;
            release(e);
            e.succeed();
            if (e.barrier) {
                onWriteBarrier();
                return;
            }
        }
    }

    /**
     * Queues a {@link WriteEntry#barrier()}: {@link #onWriteBarrier()} runs on the loop thread
     * once every write queued before it is on the wire, and nothing queued after it is written
     * before that. False if the connection is closing or closed.
     */
    final boolean queueBarrier() {
        if (isClosingOrClosed()) {
            return false;
        }
        enqueue(NORMAL_TOP, WriteEntry.barrier());
        return true;
    }

    /** Everything queued before a barrier has been written; loop thread only. */
    void onWriteBarrier() {}

    private void release(WriteEntry e) {
        if (e.payloadBytes != 0) {
            BUFFERED.getAndAdd(this, -e.payloadBytes);
        }
        if (e.priorityBytes != 0) {
            PRIORITY_BUFFERED.getAndAdd(this, -e.priorityBytes);
        }
    }

    final void blockOnWrite() {
        if (!writeBlocked) {
            writeBlocked = true;
            updateInterest();
        }
    }

    private void reportOverflow(long bufferedAmount, long refusedBytes) {
        if (options.closeOnOverflow() && OVERFLOW_REPORTED.compareAndSet(this, 0, 1)) {
            submit(() -> {
                ConnectionHandler h = handler;
                if (state == OPEN && h != null) {
                    try {
                        h.onOverflow(bufferedAmount, refusedBytes);
                    } catch (Throwable t) {
                        closeWith(t);
                    }
                }
            });
        }
    }

    // ---------------------------------------------------------------- closing

    private boolean isClosingOrClosed() {
        return (int) CLOSE_REQUEST.getVolatile(this) != NOT_REQUESTED || state == CLOSED;
    }

    private void closeGracefully() {
        if (state == CLOSED) {
            return;
        }
        if (state == OPENING) {
            closeWith(null);
            return;
        }
        updateInterest();
        drainStacks();
        if (!writeBlocked) {
            doFlush();
        }
    }

    private void finishGracefulClose() {
        beforeGracefulClose();
        // Closing a socket with unread input makes the kernel send RST, which can destroy the last
        // bytes in flight to the peer; read what is there first, then send FIN.
        try {
            ByteBuffer sink = loop.readBuffer;
            for (int i = 0; i < 16; i++) {
                sink.clear();
                if (channel.read(sink) <= 0) {
                    break;
                }
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            // Closing anyway.
        }
        closeWith(null);
    }

    /** The one way a connection ends: first call wins, the handler hears of it once. Loop thread. */
    final void closeWith(@Nullable Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        SelectionKey k = key;
        if (k != null) {
            k.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a socket failed", e);
        }
        release(cause);
        readLeftover = null;
        if (head != null
                || (WriteEntry) NORMAL_TOP.getVolatile(this) != null
                || (WriteEntry) PRIORITY_TOP.getVolatile(this) != null) {
            ChannelClosedException failure =
                    new ChannelClosedException("connection closed before the data was written", cause);
            WriteEntry e = head;
            head = tail = lastPriority = null;
            while (e != null) {
                WriteEntry next = e.next;
                e.next = null;
                release(e);
                e.fail(failure);
                e = next;
            }
            failStacks(failure);
        }
        Opening o = opening;
        opening = null;
        if (o != null) {
            if (o.timer != null) {
                o.timer.cancel();
            }
            o.fail(cause != null ? cause : new ChannelClosedException("connection closed before it opened", null));
        }
        ConnectionHandler h = handler;
        if (h != null) {
            try {
                h.onClosed(cause);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "onClosed of " + h + " failed", t);
            }
        }
        Runnable hook = closeHook;
        closeHook = null;
        if (hook != null) {
            hook.run();
        }
    }

    /** Fails whatever the producers pushed; safe from any thread (each stack is taken whole). */
    private void failStacks(Throwable failure) {
        for (VarHandle top : new VarHandle[] {PRIORITY_TOP, NORMAL_TOP}) {
            WriteEntry e = takeFifo(top);
            while (e != null) {
                WriteEntry next = e.next;
                e.next = null;
                release(e);
                e.fail(failure);
                e = next;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Sets the selector interest from the state; loop thread only. */
    final void updateInterest() {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        int ops = 0;
        if (wantsRead()) {
            ops |= SelectionKey.OP_READ;
        }
        if (writeBlocked) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (k.interestOps() != ops) {
            k.interestOps(ops);
        }
    }

    /** Whether OP_READ is wanted now. */
    boolean wantsRead() {
        return state == OPEN && !readSuspended && (int) CLOSE_REQUEST.getVolatile(this) == NOT_REQUESTED;
    }

    /** Runs on the loop later; false when the loop has terminated (the connection is then closed). */
    final boolean submit(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += Objects.requireNonNull(b, "buffer").remaining();
        }
        return total;
    }

    private static void requireNoNulls(ByteBuffer[] buffers) {
        for (ByteBuffer b : buffers) {
            Objects.requireNonNull(b, "buffer");
        }
    }
}
