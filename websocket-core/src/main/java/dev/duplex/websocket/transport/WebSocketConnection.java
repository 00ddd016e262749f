package dev.duplex.websocket.transport;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.SendOverflowException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.codec.CloseCodes;
import dev.duplex.websocket.codec.CloseFrame;
import dev.duplex.websocket.codec.Extension;
import dev.duplex.websocket.codec.FrameDecoder;
import dev.duplex.websocket.codec.FrameEncoder;
import dev.duplex.websocket.codec.MessageAssembler;
import dev.duplex.websocket.codec.MessageSink;
import dev.duplex.websocket.codec.Opcode;
import dev.duplex.websocket.codec.Role;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket engine: one open connection over a transport {@link Connection}, on either side.
 * The client and the server create it once their opening handshake has succeeded and hand it the
 * transport's events through {@link #transportHandler()}.
 *
 * <p>Bytes flow one way through it: transport → {@link FrameDecoder} → {@link MessageAssembler} →
 * listener (or the pull queue), and {@code send…} → {@link FrameEncoder} → the transport's
 * outbound queue. Protocol state (the closing handshake, the first failure) lives on the
 * connection's event loop thread; sends and closes may come from any thread. Listener events run
 * on a {@link SerialExecutor}: in wire order, never two at once, {@code onClose} exactly once and
 * last.
 */
public final class WebSocketConnection implements WebSocket {

    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private static final VarHandle CLOSE_SENT;
    private static final VarHandle FAILURE;
    private static final VarHandle PENDING_RECEIVE;
    private static final VarHandle CLOSE_FUTURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSE_SENT = l.findVarHandle(WebSocketConnection.class, "closeSent", boolean.class);
            FAILURE = l.findVarHandle(WebSocketConnection.class, "failure", Throwable.class);
            PENDING_RECEIVE = l.findVarHandle(WebSocketConnection.class, "pendingReceive", long.class);
            CLOSE_FUTURE = l.findVarHandle(WebSocketConnection.class, "closeFuture", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // A server keeps thousands of these, mostly idle: state sits in fields (updated through
    // VarHandles) rather than in atomic holders, and what an idle connection does not need is made
    // on first use.

    private final String id = UUID.randomUUID().toString();
    private final Connection connection;
    private final Role role;
    /** Makes the URI when it is first asked for (a server's connections rarely are). */
    private final Supplier<URI> uri;

    private final @Nullable String subprotocol;
    private final List<String> extensions;
    private final Map<String, List<String>> handshakeHeaders;
    private final ProtocolOptions options;
    private final WebSocketListener listener;
    private final SerialExecutor events;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final FrameEncoder encoder;
    private final Handler handler = new Handler();
    /** Made on first use, through {@link #closeFuture()}. */
    @SuppressWarnings("unused") // accessed through CLOSE_FUTURE
    private volatile @Nullable CompletableFuture<CloseReason> closeFuture;

    private final @Nullable PullQueue pull;

    private volatile @Nullable Map<String, Object> attributes;
    private volatile ReadyState state = ReadyState.OPEN;

    /**
     * Guards the encoder (its masking keys) and the order of data frames on the wire: the encoder's
     * own monitor, which nothing else locks, so that no lock object is needed.
     */
    private final Object sendLock;
    /** The stream sending a fragmented message, during which other data sends wait; guarded by sendLock. */
    private @Nullable MessageStream activeStream;
    /** Sends waiting for {@link #activeStream} to end; null when none ever waited; guarded by sendLock. */
    private @Nullable ArrayDeque<Runnable> deferredSends;
    /** The negotiated extension, or null for none; set before start, guarded by sendLock. */
    private @Nullable Extension extension;

    /** Whether a close frame was queued; set once, through CLOSE_SENT. */
    private volatile boolean closeSent;
    /** The first failure, or null; set once, through FAILURE. */
    private volatile @Nullable Throwable failure;
    /** Bytes of received messages not yet consumed by the listener; through PENDING_RECEIVE. */
    @SuppressWarnings("unused") // accessed through PENDING_RECEIVE
    private volatile long pendingReceive;

    // Loop thread only.
    private @Nullable CloseReason receivedClose;
    private boolean inputDone;
    private @Nullable Timeout closeTimer;
    private @Nullable Timeout keepAliveTimer;
    private @Nullable Timeout idleTimer;
    private long keepAlivePingNanos;
    /** Whether reads wait for the listener to catch up; written on the loop thread, read by consumers too. */
    private volatile boolean readsSuspended;

    /**
     * Outstanding pings, oldest first; null until the first {@link #ping}. Guarded by {@link
     * #handler}'s monitor (private to this class), so that no lock object is needed.
     */
    private @Nullable ArrayDeque<PendingPing> pings;

    /** Metrics: null when nobody observes, so the hot paths skip it with one check. */
    private final @Nullable WebSocketObserver observer;

    private final WebSocketObserver.Side side;
    private final String endpoint;
    /** Pull mode: payload bytes of the message whose parts are arriving; loop thread only. */
    private long partBytes;

    /**
     * Creates the engine for a connection whose opening handshake has succeeded. Nothing happens
     * until {@link #start(ByteBuffer)}.
     *
     * @param pullMode whether messages go to {@link #receive(Duration)} instead of the listener's
     *     message methods (the listener still hears of open, pings, pongs, errors and close)
     */
    public WebSocketConnection(
            Connection connection,
            Role role,
            URI uri,
            @Nullable String subprotocol,
            List<String> extensions,
            Map<String, List<String>> handshakeHeaders,
            ProtocolOptions options,
            WebSocketListener listener,
            boolean pullMode) {
        this(
                connection,
                role,
                uri,
                subprotocol,
                extensions,
                handshakeHeaders,
                options,
                listener,
                pullMode,
                role == Role.SERVER ? uri.getPath() : "client");
    }

    /**
     * As the other constructor, naming the endpoint for the {@link ProtocolOptions#observer()
     * observer}: the path template on a server, the client's name on a client (a bounded label).
     */
    public WebSocketConnection(
            Connection connection,
            Role role,
            URI uri,
            @Nullable String subprotocol,
            List<String> extensions,
            Map<String, List<String>> handshakeHeaders,
            ProtocolOptions options,
            WebSocketListener listener,
            boolean pullMode,
            String endpoint) {
        this(
                connection,
                role,
                constant(Objects.requireNonNull(uri, "uri")),
                subprotocol,
                extensions,
                handshakeHeaders,
                options,
                listener,
                pullMode,
                endpoint);
    }

    /**
     * As the other constructors, with the URI supplied when asked for: {@link #uri()} returns what
     * {@code uri.get()} returns, each time, so it must return one URI, never null (make it on first
     * use and keep it). A server passes one, since a URI made up front for each connection costs
     * memory that idle connections keep for nothing.
     */
    public WebSocketConnection(
            Connection connection,
            Role role,
            Supplier<URI> uri,
            @Nullable String subprotocol,
            List<String> extensions,
            Map<String, List<String>> handshakeHeaders,
            ProtocolOptions options,
            WebSocketListener listener,
            boolean pullMode,
            String endpoint) {
        this.observer = options.observer() == WebSocketObserver.NONE ? null : options.observer();
        this.side = role == Role.SERVER ? WebSocketObserver.Side.SERVER : WebSocketObserver.Side.CLIENT;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.role = Objects.requireNonNull(role, "role");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.subprotocol = subprotocol;
        this.extensions = List.copyOf(extensions);
        this.handshakeHeaders = handshakeHeaders;
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.events = options.directDispatch()
                ? SerialExecutor.direct(connection.eventLoop())
                : new SerialExecutor(dispatchExecutor(options));
        this.decoder = new FrameDecoder(role, options.maxFrameSize());
        this.pull = pullMode ? new PullQueue() : null;
        this.assembler = new MessageAssembler(
                handler,
                options.maxTextMessageSize(),
                options.maxBinaryMessageSize(),
                pullMode ? MessageAssembler.Mode.PARTS : MessageAssembler.Mode.WHOLE);
        this.encoder = new FrameEncoder(role);
        this.sendLock = encoder;
    }

    private static Supplier<URI> constant(URI uri) {
        return () -> uri;
    }

    private static Executor dispatchExecutor(ProtocolOptions options) {
        Executor executor = options.executor();
        return executor != null ? executor : DispatchExecutors.defaultExecutor(options.virtualThreads());
    }

    /** What the transport connection reports to; the client and server install it after the handshake. */
    public ConnectionHandler transportHandler() {
        return handler;
    }

    /**
     * Makes {@link #transportHandler()} the transport connection's handler in place of the one that
     * ran the opening handshake (and forwarded to it), which hears nothing more and may be collected.
     * Call on the connection's loop thread.
     *
     * @throws IllegalStateException when called elsewhere, or when the connection has closed
     */
    public void replaceTransportHandler() {
        if (!connection.eventLoop().inEventLoop()) {
            throw new IllegalStateException("replaceTransportHandler() must be called on the connection's loop");
        }
        if (connection.state == Connection.CLOSED) {
            throw new IllegalStateException("The transport connection is closed");
        }
        connection.handler = handler;
    }

    /**
     * Installs the extension the handshake agreed on (such as permessage-deflate): whole text and
     * binary messages are sent through {@link Extension#encode}, and received messages whose first
     * frame carries its RSV bits through {@link Extension#decode}. It is {@linkplain Extension#close()
     * closed} with the connection. Call at most once, on the connection's loop thread, before
     * {@link #start(ByteBuffer)}. Streamed messages ({@link #textWriter}, {@link #binaryStream} and
     * the {@code Reader}/{@code InputStream} senders) are sent as they are, which RFC 7692 §6
     * allows.
     */
    public void setExtension(Extension negotiated) {
        Objects.requireNonNull(negotiated, "negotiated");
        synchronized (sendLock) {
            if (extension != null) {
                throw new IllegalStateException("An extension is already installed");
            }
            extension = negotiated;
        }
        decoder.setExtension(negotiated);
        assembler.setExtension(negotiated);
    }

    /**
     * Opens the connection: queues {@code onOpen}, starts the timers and decodes {@code leftover}
     * (bytes that arrived right behind the handshake). Call once, on the connection's loop thread.
     */
    public void start(ByteBuffer leftover) {
        WebSocketObserver o = observer;
        if (o != null) {
            observe(() -> o.opened(this, side, endpoint));
        }
        events.execute(() -> listener.onOpen(this));
        scheduleIdleCheck(options.idleTimeout().toNanos());
        scheduleKeepAlive();
        if (leftover.hasRemaining()) {
            handler.onRead(leftover);
        }
    }

    // ------------------------------------------------------------------ WebSocket: properties

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI uri() {
        return uri.get();
    }

    @Override
    public @Nullable String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<String> extensions() {
        return extensions;
    }

    @Override
    public Map<String, List<String>> handshakeHeaders() {
        return handshakeHeaders;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public ReadyState readyState() {
        return state;
    }

    @Override
    public long bufferedAmount() {
        return connection.bufferedAmount();
    }

    /** The transport connection underneath: addresses, TLS session. */
    public Connection transport() {
        return connection;
    }

    /** The options this connection runs with. */
    public ProtocolOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ WebSocket: sending

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return sendText(text, 0);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text, int fragmentSize) {
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        return sendMessage(Opcode.TEXT, ByteBuffer.wrap(utf8), fragmentSize, true);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendBinary(data, 0);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data, int fragmentSize) {
        Objects.requireNonNull(data, "data");
        return sendMessage(Opcode.BINARY, data.duplicate(), fragmentSize, false);
    }

    @Override
    public CompletableFuture<Void> sendObject(Object value) {
        Objects.requireNonNull(value, "value");
        return sendText(options.jsonCodec().encode(value));
    }

    @Override
    public CompletableFuture<Void> sendText(Reader reader, int fragmentSize) {
        Objects.requireNonNull(reader, "reader");
        requireFragmentSize(fragmentSize);
        MessageStream stream = openStream(Opcode.TEXT, fragmentSize);
        try (Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8)) {
            reader.transferTo(writer);
        } catch (IOException | RuntimeException e) {
            stream.abandon(e);
        }
        return stream.result();
    }

    @Override
    public CompletableFuture<Void> sendBinary(InputStream in, int fragmentSize) {
        Objects.requireNonNull(in, "in");
        requireFragmentSize(fragmentSize);
        MessageStream stream = openStream(Opcode.BINARY, fragmentSize);
        try (stream) {
            in.transferTo(stream);
        } catch (IOException | RuntimeException e) {
            stream.abandon(e);
        }
        return stream.result();
    }

    @Override
    public Writer textWriter(int fragmentSize) {
        requireFragmentSize(fragmentSize);
        return new OutputStreamWriter(openStream(Opcode.TEXT, fragmentSize), StandardCharsets.UTF_8);
    }

    @Override
    public OutputStream binaryStream(int fragmentSize) {
        requireFragmentSize(fragmentSize);
        return openStream(Opcode.BINARY, fragmentSize);
    }

    @Override
    public CompletableFuture<Duration> ping(ByteBuffer payload, Duration timeout) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timeout, "timeout");
        requireControlPayload("ping", payload);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("'timeout' must be positive, was " + timeout);
        }
        byte[] bytes = copy(payload);
        PendingPing ping = new PendingPing(bytes, System.nanoTime());
        if (!isSendable()) {
            ping.result.completeExceptionally(closedException());
            return ping.result;
        }
        synchronized (handler) {
            ArrayDeque<PendingPing> p = pings;
            if (p == null) {
                p = pings = new ArrayDeque<>(2);
            }
            p.add(ping);
        }
        Timeout timer = connection.schedule(
                () -> {
                    forgetPing(ping);
                    ping.result.completeExceptionally(
                            new TimeoutException("No pong within " + timeout.toMillis() + " ms"));
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        ping.result.whenComplete((rtt, error) -> timer.cancel());
        writeControl(Opcode.PING, ByteBuffer.wrap(bytes)).whenComplete((ok, error) -> {
            if (error != null) {
                forgetPing(ping);
                ping.result.completeExceptionally(error);
            }
        });
        return ping.result;
    }

    private void forgetPing(PendingPing ping) {
        synchronized (handler) {
            ArrayDeque<PendingPing> p = pings;
            if (p != null) {
                p.remove(ping);
            }
        }
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        requireControlPayload("pong", payload);
        if (!isSendable()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return writeControl(Opcode.PONG, ByteBuffer.wrap(copy(payload)));
    }

    @Override
    public CompletableFuture<CloseReason> close(int code, String reason) {
        CloseReason.requireSendable(code, reason);
        sendClose(new CloseFrame(code, reason));
        return closeFuture();
    }

    /**
     * Starts the closing handshake with any code a close frame may carry (RFC 6455 §7.4.1), for
     * the library's own use: 1001 when a server stops, 1011 when an endpoint fails. Applications
     * use {@link #close(int, String)}, which allows only their codes.
     *
     * @throws IllegalArgumentException when the code may not appear on the wire or the reason is
     *     longer than 123 bytes of UTF-8
     */
    public CompletableFuture<CloseReason> closeWithStatus(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("'code' must be valid in a close frame, was " + code);
        }
        CloseReason.requireReasonFits(reason);
        sendClose(new CloseFrame(code, reason));
        return closeFuture();
    }

    /**
     * Starts the closing handshake with 1001 (going away, RFC 6455 §7.4.1), as a client or server
     * that shuts down does. Does nothing more if a close frame was already sent.
     *
     * @param reason any length; cut at a code point boundary to fit 123 bytes of UTF-8
     * @return the {@link #closeFuture()}
     */
    public CompletableFuture<CloseReason> goingAway(String reason) {
        return closeWithStatus(CloseCodes.GOING_AWAY, shortReason(reason));
    }

    @Override
    public void abort() {
        connection.abort();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<CloseReason> closeFuture() {
        CompletableFuture<CloseReason> f = (CompletableFuture<CloseReason>) CLOSE_FUTURE.getAcquire(this);
        if (f != null) {
            return f;
        }
        CompletableFuture<CloseReason> made = new CompletableFuture<>();
        CompletableFuture<CloseReason> won =
                (CompletableFuture<CloseReason>) CLOSE_FUTURE.compareAndExchange(this, null, made);
        return won != null ? won : made;
    }

    @Override
    public Message receive(Duration timeout) throws TimeoutException, InterruptedException {
        PullQueue queue = pull;
        if (queue == null) {
            throw new IllegalStateException("receive() needs a connection opened for pull-style reading;"
                    + " this one delivers messages to its listener");
        }
        return queue.take(timeout);
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + ", " + role.name().toLowerCase(java.util.Locale.ROOT) + ", " + uri.get() + ", "
                + state + "]";
    }

    // ------------------------------------------------------------------ send path

    private CompletableFuture<Void> sendMessage(Opcode type, ByteBuffer payload, int fragmentSize, boolean owned) {
        if (fragmentSize < 0) {
            throw new IllegalArgumentException("'fragmentSize' must not be negative, was " + fragmentSize);
        }
        if (!isSendable()) {
            return CompletableFuture.failedFuture(closedException());
        }
        int length = payload.remaining();
        WebSocketObserver o = observer;
        if (o != null) {
            WebSocketObserver.MessageKind kind =
                    type == Opcode.TEXT ? WebSocketObserver.MessageKind.TEXT : WebSocketObserver.MessageKind.BINARY;
            observe(() -> o.messageSent(this, side, endpoint, kind, length));
        }
        synchronized (sendLock) {
            if (activeStream != null) {
                CompletableFuture<Void> result = new CompletableFuture<>();
                ArrayDeque<Runnable> deferred = deferredSends;
                if (deferred == null) {
                    deferred = deferredSends = new ArrayDeque<>(4);
                }
                deferred.add(() -> relay(writeMessage(type, payload, fragmentSize, owned, length), result));
                return result;
            }
            return writeMessage(type, payload, fragmentSize, owned, length);
        }
    }

    /** Encodes and queues one whole message; caller holds sendLock. */
    private CompletableFuture<Void> writeMessage(
            Opcode type, ByteBuffer payload, int fragmentSize, boolean owned, int length) {
        Extension ext = extension;
        if (ext != null) {
            // Under sendLock: an extension with context (permessage-deflate) must see messages in wire order.
            Extension.Encoded encoded = ext.encode(type, payload);
            if (encoded.rsv() != 0) {
                return writeFrames(type, encoded.rsv(), encoded.payload(), fragmentSize, length);
            }
        }
        return writeFrames(type, 0, payload, fragmentSize, length);
    }

    /** Frames and queues one message's wire payload; {@code length} is what the caller sent. Holds sendLock. */
    private CompletableFuture<Void> writeFrames(
            Opcode type, int rsv, ByteBuffer payload, int fragmentSize, int length) {
        int wireLength = payload.remaining();
        if (fragmentSize > 0 && wireLength > fragmentSize) {
            ByteBuffer wire = ByteBuffer.allocate((int) encoder.messageLength(wireLength, fragmentSize));
            encoder.encodeMessage(wire, type, rsv, payload, fragmentSize);
            wire.flip();
            return write(length, wire);
        }
        if (!encoder.masks()) {
            // A server sends the payload as it is: header and payload in one gathering write.
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.headerLength(wireLength, false));
            encoder.writeHeader(header, true, rsv, type, wireLength);
            header.flip();
            return write(length, header, payload);
        }
        ByteBuffer wire = ByteBuffer.allocate((int) encoder.frameLength(wireLength));
        encoder.encode(wire, true, rsv, type, payload);
        wire.flip();
        return write(length, wire);
    }

    private CompletableFuture<Void> write(long payloadBytes, ByteBuffer... buffers) {
        CompletableFuture<Void> written = connection.write(payloadBytes, buffers);
        if (written.isCompletedExceptionally()) {
            return applyOverflowPolicy(written);
        }
        return written;
    }

    /** A write the transport refused: past the buffered-amount ceiling, the overflow policy applies. */
    private CompletableFuture<Void> applyOverflowPolicy(CompletableFuture<Void> failed) {
        Throwable cause = failed.handle((ok, error) -> error).join();
        if (cause instanceof SendOverflowException && options.overflowPolicy() == OverflowPolicy.CLOSE) {
            failWith(new ProtocolException(
                    CloseCodes.POLICY_VIOLATION,
                    "Buffered amount would exceed " + options.maxBufferedAmount() + " bytes"));
        }
        return failed;
    }

    private static void relay(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((ok, error) -> {
            if (error != null) {
                to.completeExceptionally(error);
            } else {
                to.complete(null);
            }
        });
    }

    private CompletableFuture<Void> writeControl(Opcode opcode, ByteBuffer payload) {
        ByteBuffer frame;
        synchronized (sendLock) {
            frame = ByteBuffer.allocate((int) encoder.frameLength(payload.remaining()));
            encoder.encode(frame, true, 0, opcode, payload);
        }
        frame.flip();
        return connection.writePriority(frame);
    }

    private boolean isSendable() {
        return !closeSent && state == ReadyState.OPEN;
    }

    private ConnectionClosedException closedException() {
        Throwable cause = failure;
        return new ConnectionClosedException(
                state == ReadyState.CLOSED ? "The connection is closed" : "The connection is closing", cause);
    }

    private static void requireFragmentSize(int fragmentSize) {
        if (fragmentSize <= 0) {
            throw new IllegalArgumentException("'fragmentSize' must be positive, was " + fragmentSize);
        }
    }

    private static void requireControlPayload(String what, ByteBuffer payload) {
        if (payload.remaining() > FrameEncoder.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(
                    "A " + what + " payload must be at most 125 bytes, was " + payload.remaining());
        }
    }

    private static byte[] copy(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    private MessageStream openStream(Opcode type, int fragmentSize) {
        MessageStream stream = new MessageStream(type, fragmentSize);
        synchronized (sendLock) {
            if (activeStream != null) {
                throw new IllegalStateException("Another streamed message is being sent on this connection;"
                        + " close its writer or stream first");
            }
            activeStream = stream;
        }
        return stream;
    }

    private void endStream(MessageStream stream) {
        synchronized (sendLock) {
            if (activeStream != stream) {
                return;
            }
            activeStream = null;
            // Each deferred send re-checks activeStream only through sendMessage, so run them here,
            // in order, before anyone else can open a stream.
            ArrayDeque<Runnable> deferred = deferredSends;
            Runnable next;
            while (deferred != null && (next = deferred.poll()) != null) {
                next.run();
            }
        }
    }

    /**
     * A message sent as it is written: a frame each time {@code fragmentSize} bytes have
     * accumulated, the final frame on close. Writing waits while the buffered amount is at its
     * maximum, as a stream does.
     */
    private final class MessageStream extends OutputStream {
        private final Opcode type;
        private final byte[] buffer;
        private final CompletableFuture<Void> result = new CompletableFuture<>();
        private int count;
        private boolean first = true;
        private boolean closed;
        private @Nullable CompletableFuture<Void> lastWrite;

        MessageStream(Opcode type, int fragmentSize) {
            this.type = type;
            this.buffer = new byte[fragmentSize];
        }

        CompletableFuture<Void> result() {
            return result;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (count == buffer.length) {
                emit(false);
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            while (len > 0) {
                if (count == buffer.length) {
                    emit(false);
                }
                int n = Math.min(len, buffer.length - count);
                System.arraycopy(b, off, buffer, count, n);
                count += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                emit(true);
            } finally {
                closed = true;
                endStream(this);
            }
            CompletableFuture<Void> last = lastWrite;
            if (last != null) {
                relay(last, result);
            }
        }

        void abandon(Throwable cause) {
            if (!closed) {
                closed = true;
                endStream(this);
                // Part of the message may be on the wire: the peer could never tell where it ends.
                failWith(new ProtocolException(CloseCodes.INTERNAL_ERROR, "A streamed message could not be completed"));
            }
            result.completeExceptionally(cause);
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("The message stream is closed");
            }
        }

        private void emit(boolean fin) throws IOException {
            if (!isSendable()) {
                IOException e = new IOException("The connection is closing or closed", failure);
                closed = true;
                endStream(this);
                result.completeExceptionally(closedException());
                throw e;
            }
            awaitRoom(count);
            ByteBuffer wire;
            Opcode opcode = first ? type : Opcode.CONTINUATION;
            synchronized (sendLock) {
                wire = ByteBuffer.allocate((int) encoder.frameLength(count));
                encoder.encode(wire, fin, 0, opcode, ByteBuffer.wrap(buffer, 0, count));
            }
            wire.flip();
            CompletableFuture<Void> written = connection.write(count, wire);
            if (written.isCompletedExceptionally()) {
                closed = true;
                endStream(this);
                Throwable cause = written.handle((ok, error) -> error).join();
                result.completeExceptionally(cause);
                throw new IOException("A fragment could not be queued", cause);
            }
            lastWrite = written;
            first = false;
            count = 0;
        }

        /** Waits, bounded by the close timeout per round, until the fragment fits the ceiling. */
        private void awaitRoom(int bytes) throws IOException {
            long max = options.maxBufferedAmount();
            long deadline = System.nanoTime() + options.closeTimeout().toNanos() * 4;
            while (connection.bufferedAmount() + bytes > max && bytes <= max) {
                if (!isSendable() || System.nanoTime() > deadline) {
                    throw new IOException("The peer is not reading: the buffered amount stayed at "
                            + connection.bufferedAmount() + " bytes");
                }
                synchronized (handler) {
                    try {
                        handler.wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("Interrupted while waiting for the peer to read", e);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ closing and failing

    /** Sends a close frame once; later calls do nothing. Any thread. */
    private void sendClose(CloseFrame frame) {
        if (!CLOSE_SENT.compareAndSet(this, false, true)) {
            return;
        }
        if (state == ReadyState.OPEN) {
            state = ReadyState.CLOSING;
        }
        ByteBuffer wire;
        synchronized (sendLock) {
            wire = ByteBuffer.allocate((int) encoder.frameLength(frame.payload().length));
            encoder.encodeClose(wire, frame);
        }
        wire.flip();
        // After queued data (those messages were sent before the close), never counted as payload.
        connection.write(0, wire);
        long nanos = options.closeTimeout().toNanos();
        connection.eventLoop().execute(() -> {
            if (closeTimer == null && state != ReadyState.CLOSED) {
                closeTimer = connection.schedule(this::onCloseTimeout, nanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    private void onCloseTimeout() {
        if (state != ReadyState.CLOSED) {
            FAILURE.compareAndSet(
                    this,
                    null,
                    new TimeoutException("The closing handshake did not finish within "
                            + options.closeTimeout().toMillis() + " ms"));
            connection.abort();
        }
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): the first failure wins; it reaches {@code onError},
     * a close frame with its code goes out, and the TCP connection is closed. Any thread.
     */
    void failWith(Throwable cause) {
        if (!FAILURE.compareAndSet(this, null, cause)) {
            return;
        }
        events.execute(() -> listener.onError(this, cause));
        int code = cause instanceof ProtocolException pe ? pe.closeCode() : CloseCodes.INTERNAL_ERROR;
        String reason = cause instanceof ProtocolException ? shortReason(cause.getMessage()) : "";
        sendClose(new CloseFrame(code, reason));
        connection.eventLoop().execute(() -> {
            inputDone = true;
            if (role == Role.SERVER) {
                connection.close();
            }
            // A client keeps reading, and discarding, until the server closes TCP (RFC 6455 §7.1.1),
            // bounded by the close timer: closing first would reset the server's close reply, and a
            // server that reads our close frame and the end of the stream together may never see
            // the frame.
        });
    }

    private static String shortReason(@Nullable String message) {
        if (message == null) {
            return "";
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CloseFrame.MAX_REASON_BYTES) {
            return message;
        }
        // Cut at a code point boundary so the reason stays valid UTF-8.
        int end = CloseFrame.MAX_REASON_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The peer's close frame arrived; loop thread. */
    private void onCloseFrame(int code, String reason) {
        receivedClose = new CloseReason(code, reason);
        inputDone = true;
        if (state == ReadyState.OPEN) {
            state = ReadyState.CLOSING;
        }
        // Echo the code (RFC 6455 §5.5.1); 1005 means the peer sent none, and an empty close echoes it.
        sendClose(code == CloseCodes.NO_STATUS_RECEIVED ? CloseFrame.NO_STATUS : new CloseFrame(code, ""));
        if (role == Role.SERVER) {
            // The server closes TCP first (RFC 6455 §7.1.1), once the echo is written.
            connection.close();
        }
        // A client waits for the server to close TCP, bounded by the close timer.
    }

    /** The TCP connection is gone; loop thread, exactly once. */
    private void onTransportClosed(@Nullable Throwable cause) {
        state = ReadyState.CLOSED;
        cancel(closeTimer);
        cancel(keepAliveTimer);
        cancel(idleTimer);
        synchronized (sendLock) {
            // Frees native memory (zlib) now rather than at garbage collection; the loop thread is
            // the one decoding, and sendLock keeps encoders out.
            Extension ext = extension;
            if (ext != null) {
                ext.close();
            }
        }
        CloseReason received = receivedClose;
        boolean clean = received != null && closeSent;
        if (received == null && cause != null) {
            Throwable error = cause instanceof EOFException
                    ? new ConnectionClosedException("The peer closed the connection without a closing handshake")
                    : cause;
            if (FAILURE.compareAndSet(this, null, error)) {
                events.execute(() -> listener.onError(this, error));
            }
        }
        CloseReason result;
        if (received != null) {
            result = received;
        } else if (failure instanceof ProtocolException pe) {
            result = new CloseReason(pe.closeCode(), shortReason(pe.getMessage()));
        } else {
            result = CloseReason.of(CloseReason.ABNORMAL_CLOSURE);
        }
        ConnectionClosedException closed = closedException();
        synchronized (handler) {
            ArrayDeque<PendingPing> p = pings;
            if (p != null) {
                for (PendingPing ping : p) {
                    ping.result.completeExceptionally(closed);
                }
                p.clear();
            }
        }
        PullQueue queue = pull;
        if (queue != null) {
            queue.end(result);
        }
        synchronized (handler) {
            handler.notifyAll();
        }
        WebSocketObserver o = observer;
        if (o != null) {
            observe(() -> o.closed(this, side, endpoint, result.code()));
        }
        events.execute(() -> {
            try {
                listener.onClose(this, result.code(), result.reason(), clean);
            } finally {
                closeFuture().complete(result);
            }
        });
    }

    private static void cancel(@Nullable Timeout timeout) {
        if (timeout != null) {
            timeout.cancel();
        }
    }

    // ------------------------------------------------------------------ timers

    private void scheduleIdleCheck(long delayNanos) {
        if (options.idleTimeout().isZero() || state == ReadyState.CLOSED) {
            return;
        }
        idleTimer = connection.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        long timeout = options.idleTimeout().toNanos();
        long last = Math.max(connection.lastReadNanos(), connection.lastWriteNanos());
        long idle = System.nanoTime() - last;
        if (idle >= timeout) {
            if (state == ReadyState.OPEN) {
                sendClose(new CloseFrame(CloseCodes.GOING_AWAY, "Idle timeout"));
            }
        } else {
            scheduleIdleCheck(timeout - idle);
        }
    }

    private void scheduleKeepAlive() {
        if (options.pingInterval().isZero() || state == ReadyState.CLOSED) {
            return;
        }
        keepAliveTimer =
                connection.schedule(this::keepAlive, options.pingInterval().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void keepAlive() {
        if (state != ReadyState.OPEN) {
            return;
        }
        long now = System.nanoTime();
        if (keepAlivePingNanos != 0
                && connection.lastReadNanos() - keepAlivePingNanos < 0
                && now - keepAlivePingNanos >= options.pingTimeout().toNanos()) {
            FAILURE.compareAndSet(
                    this,
                    null,
                    new TimeoutException(
                            "No pong within " + options.pingTimeout().toMillis() + " ms of a keep-alive ping"));
            Throwable error = failure;
            events.execute(() -> listener.onError(this, Objects.requireNonNull(error)));
            connection.abort();
            return;
        }
        if (now - connection.lastReadNanos() >= options.pingInterval().toNanos()) {
            keepAlivePingNanos = now;
            writeControl(Opcode.PING, EMPTY.duplicate());
            long wait = Math.min(
                    options.pingInterval().toNanos(), options.pingTimeout().toNanos());
            keepAliveTimer = connection.schedule(this::keepAlive, wait, TimeUnit.NANOSECONDS);
        } else {
            keepAlivePingNanos = 0;
            scheduleKeepAlive();
        }
    }

    // ------------------------------------------------------------------ receive path

    /** Counts bytes waiting for the listener, pausing reads past the limit; loop thread. */
    private void received(long bytes) {
        if ((long) PENDING_RECEIVE.getAndAdd(this, bytes) + bytes > options.maxPendingReceive() && !readsSuspended) {
            readsSuspended = true;
            connection.suspendReads();
            // Dekker with consumed(): a consumer that drained the count before it could see the flag
            // left the resume to us.
            if (pendingReceive <= options.maxPendingReceive() / 2) {
                readsSuspended = false;
                connection.resumeReads();
            }
        }
    }

    /** The listener (or pull reader) is done with {@code bytes}; any thread. */
    private void consumed(long bytes) {
        long left = (long) PENDING_RECEIVE.getAndAdd(this, -bytes) - bytes;
        // Only suspended reads need the loop: no task (and no selector wake-up) per message otherwise.
        if (left <= options.maxPendingReceive() / 2 && readsSuspended) {
            connection.eventLoop().execute(() -> {
                if (readsSuspended && pendingReceive <= options.maxPendingReceive() / 2) {
                    readsSuspended = false;
                    connection.resumeReads();
                }
            });
        }
    }

    private void deliver(long bytes, Runnable event) {
        received(bytes);
        events.execute(listenerTask(bytes, event));
    }

    /** {@code event} (a listener call) with its failure handling and the receive accounting. */
    private Runnable listenerTask(long bytes, Runnable event) {
        return () -> {
            try {
                event.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "Listener failed on " + this, e);
                // A listener may close with a precise code by throwing a ProtocolException (say 1007 for
                // a payload it cannot decode); anything else is an internal error.
                failWith(e instanceof ProtocolException pe ? pe : new ListenerException(e));
            } finally {
                consumed(bytes);
            }
        };
    }

    /** A listener threw: the connection closes with 1011 (internal error). */
    static final class ListenerException extends ProtocolException {
        private static final long serialVersionUID = 1L;

        ListenerException(Throwable cause) {
            super(CloseCodes.INTERNAL_ERROR, "The listener failed: " + cause, cause);
        }
    }

    /** Transport events and assembled messages, both on the loop thread. */
    private final class Handler implements ConnectionHandler, MessageSink {

        @Override
        public void onRead(ByteBuffer data) {
            if (inputDone) {
                data.position(data.limit());
                return;
            }
            try {
                decoder.decode(data, assembler);
            } catch (ProtocolException e) {
                data.position(data.limit());
                failWith(e);
            } catch (RuntimeException e) {
                data.position(data.limit());
                failWith(e);
            }
        }

        @Override
        public void onWritable() {
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public void onOverflow(long bufferedAmount, long refusedBytes) {
            // Only with OverflowPolicy.CLOSE; handled where the send was refused.
        }

        @Override
        public void onClosed(@Nullable Throwable cause) {
            onTransportClosed(cause);
        }

        @Override
        public void onText(String text) {
            long bytes = text.length();
            WebSocketObserver o = observer;
            if (o != null) {
                long utf8 = utf8Length(text);
                observe(() -> o.messageReceived(
                        WebSocketConnection.this, side, endpoint, WebSocketObserver.MessageKind.TEXT, utf8));
            }
            deliver(bytes, () -> listener.onText(WebSocketConnection.this, text));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            observeBinary(data.remaining());
            deliver(data.remaining(), () -> listener.onBinary(WebSocketConnection.this, data));
        }

        @Override
        public void onBinaryView(ByteBuffer view) {
            // A listener run on this thread now is done with the view when it returns, as
            // onBinary's contract asks: no copy. One that must wait its turn gets a copy.
            long bytes = view.remaining();
            observeBinary(bytes);
            received(bytes);
            if (!events.runNowIfIdle(listenerTask(bytes, () -> listener.onBinary(WebSocketConnection.this, view)))) {
                ByteBuffer data = ByteBuffer.wrap(copy(view));
                events.execute(listenerTask(bytes, () -> listener.onBinary(WebSocketConnection.this, data)));
            }
        }

        private void observeBinary(long bytes) {
            WebSocketObserver o = observer;
            if (o != null) {
                observe(() -> o.messageReceived(
                        WebSocketConnection.this, side, endpoint, WebSocketObserver.MessageKind.BINARY, bytes));
            }
        }

        @Override
        public void onTextPart(String part, boolean last) {
            PullQueue queue = Objects.requireNonNull(pull);
            long bytes = part.length();
            received(bytes);
            countPart(WebSocketObserver.MessageKind.TEXT, utf8Length(part), last);
            queue.add(new Message.Text(part, last), bytes);
        }

        @Override
        public void onBinaryPart(ByteBuffer part, boolean last) {
            PullQueue queue = Objects.requireNonNull(pull);
            long bytes = part.remaining();
            received(bytes);
            countPart(WebSocketObserver.MessageKind.BINARY, bytes, last);
            queue.add(new Message.Binary(part, last), bytes);
        }

        @Override
        public void onPing(ByteBuffer payload) {
            ByteBuffer copy = ByteBuffer.wrap(copy(payload));
            if (!closeSent) {
                writeControl(Opcode.PONG, copy.duplicate());
            }
            events.execute(() -> listener.onPing(WebSocketConnection.this, copy));
        }

        @Override
        public void onPong(ByteBuffer payload) {
            byte[] bytes = copy(payload);
            matchPong(bytes);
            events.execute(() -> listener.onPong(WebSocketConnection.this, ByteBuffer.wrap(bytes)));
        }

        @Override
        public void onClose(int code, String reason) {
            onCloseFrame(code, reason);
        }
    }

    private void countPart(WebSocketObserver.MessageKind kind, long bytes, boolean last) {
        WebSocketObserver o = observer;
        if (o == null) {
            return;
        }
        partBytes += bytes;
        if (last) {
            long total = partBytes;
            partBytes = 0;
            observe(() -> o.messageReceived(this, side, endpoint, kind, total));
        }
    }

    /** Runs an observer call; an observer's failure must never reach the connection. */
    private void observe(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket observer failed on " + this, e);
        }
    }

    /** The number of bytes {@code text} takes in UTF-8, without encoding it. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private void matchPong(byte[] payload) {
        long now = System.nanoTime();
        synchronized (handler) {
            ArrayDeque<PendingPing> pings = this.pings;
            if (pings == null || pings.isEmpty()) {
                return; // unsolicited, or a keep-alive answer
            }
            // A peer may answer only the latest of several pings (RFC 6455 §5.5.3): a pong settles the
            // ping it matches and every older one.
            PendingPing match = null;
            for (PendingPing ping : pings) {
                if (java.util.Arrays.equals(ping.payload, payload)) {
                    match = ping;
                }
            }
            if (match == null) {
                PendingPing oldest = pings.poll();
                oldest.result.completeExceptionally(new ProtocolException(
                        CloseCodes.PROTOCOL_ERROR, "The pong's payload does not match the ping's"));
                return;
            }
            PendingPing ping;
            do {
                ping = pings.poll();
                Duration roundTrip = Duration.ofNanos(now - ping.sentNanos);
                WebSocketObserver o = observer;
                if (o != null) {
                    observe(() -> o.pingRoundTrip(this, side, endpoint, roundTrip));
                }
                ping.result.complete(roundTrip);
            } while (ping != match);
        }
    }

    /** A ping waiting for its pong. */
    private static final class PendingPing {
        final byte[] payload;
        final long sentNanos;
        final CompletableFuture<Duration> result = new CompletableFuture<>();

        PendingPing(byte[] payload, long sentNanos) {
            this.payload = payload;
            this.sentNanos = sentNanos;
        }
    }

    /** Messages waiting for {@link #receive(Duration)}. */
    private final class PullQueue {
        private final ArrayDeque<Message> messages = new ArrayDeque<>();
        private final ArrayDeque<Long> sizes = new ArrayDeque<>();
        private Message.@Nullable Closed end;

        synchronized void add(Message message, long bytes) {
            messages.add(message);
            sizes.add(bytes);
            notifyAll();
        }

        synchronized void end(CloseReason reason) {
            end = new Message.Closed(reason);
            notifyAll();
        }

        Message take(Duration timeout) throws TimeoutException, InterruptedException {
            long bytes;
            Message message;
            synchronized (this) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (messages.isEmpty()) {
                    Message.Closed closed = end;
                    if (closed != null) {
                        return closed;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("No message within " + timeout.toMillis() + " ms");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                message = messages.poll();
                bytes = sizes.poll();
            }
            consumed(bytes);
            return message;
        }
    }
}
