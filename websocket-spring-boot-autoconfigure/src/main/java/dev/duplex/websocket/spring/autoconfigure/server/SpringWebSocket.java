package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.SendOverflowException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WebSocket} over a connection that spring-websocket accepted, so that an endpoint written
 * for the standalone server runs unchanged in a Spring application.
 *
 * <p>Sends enter an {@link OutboundQueue} in front of the container's asynchronous send, which
 * {@link #bufferedAmount()} counts in payload bytes, bounded by the endpoint's maximum and {@link
 * OverflowPolicy}; their futures complete when the container has written them. One exception keeps
 * the echo path as fast as a plain spring-websocket handler: a message of at most {@value
 * #INLINE_LIMIT} bytes sent from one of this connection's hooks, while nothing of it is queued or
 * in flight, is written at once on the container's thread, through its blocking send (as a plain
 * handler's {@code sendMessage} does). That write waits only when the socket's send buffer is full,
 * that is when the peer has stopped reading; it then holds the container's thread of this very
 * connection, which is reading nothing else meanwhile. Sends from any other thread never wait.
 *
 * <p>A fragment size cuts a message into frames of at most that many payload bytes, text at code
 * point boundaries (RFC 6455 section 5.4). Writers and streams send a fragment each time that many
 * bytes have accumulated and the final one on {@code close()}, holding back other messages of the
 * connection meanwhile ({@link FragmentStream}). The Jakarta API has no asynchronous partial send,
 * so fragments are written by the container's blocking send on a thread of their own.
 *
 * <p>Messages arrive at the endpoint's hooks; for an endpoint in blocking mode ({@code serve}) they
 * arrive at {@link #receive(Duration)} instead, in the parts the container read them (its buffer,
 * 8 KiB on Tomcat, decides where a large message is cut).
 */
final class SpringWebSocket implements WebSocket {

    /**
     * Largest message written at once on the container's thread: one output buffer of Tomcat's
     * (8 KiB), which a socket that is not backed up takes in one write.
     */
    static final int INLINE_LIMIT = 8 * 1024;

    private final String id = UUID.randomUUID().toString();
    private final URI uri;
    private final @Nullable String subprotocol;
    private final List<String> extensions;
    private final Map<String, List<String>> headers;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>(8);
    private final OutboundQueue out;
    /** Blocking mode's received parts; null when messages go to the endpoint's hooks. */
    private final @Nullable PullQueue pull;

    private final Transmitter transmitter;
    private final EndpointSettings settings;
    private final JsonCodec jsonCodec;
    private final ConnectionTimers timers;
    /** Null when nobody observes, so sends skip it with one check. */
    private final @Nullable WebSocketObserver observer;

    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile ReadyState state = ReadyState.OPEN;
    /** System.nanoTime() of the last frame either way, for the idle timeout and keep-alive. */
    volatile long lastReceivedNanos = System.nanoTime();

    private volatile long lastSentNanos = System.nanoTime();

    /** Outstanding pings, oldest first; guarded by itself. */
    private final ArrayDeque<PendingPing> pings = new ArrayDeque<>(0);

    /**
     * The container's thread while it runs a hook of this connection, else null. Written by that
     * thread only, and compared with the current thread: a thread can only ever find itself here if
     * it stored itself, so the field needs no volatile.
     */
    @Nullable
    Thread delivering;

    private volatile @Nullable ScheduledFuture<?> timer;
    /** The handler's record of the first failure; null until the connection opens. */
    private volatile @Nullable AtomicReference<@Nullable Throwable> failure;

    SpringWebSocket(
            Transmitter transmitter,
            EndpointSettings settings,
            URI uri,
            @Nullable String subprotocol,
            List<String> extensions,
            Map<String, List<String>> headers,
            JsonCodec jsonCodec,
            ConnectionTimers timers,
            @Nullable WebSocketObserver observer,
            @Nullable PullQueue pull) {
        this.pull = pull;
        this.transmitter = transmitter;
        this.settings = settings;
        this.out = new OutboundQueue(transmitter, settings.maxBufferedAmount());
        this.uri = uri;
        this.subprotocol = subprotocol;
        this.extensions = List.copyOf(extensions);
        this.headers = headers;
        this.jsonCodec = jsonCodec;
        this.timers = timers;
        this.observer = observer;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI uri() {
        return uri;
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
        return headers;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public ReadyState readyState() {
        return state;
    }

    @Override
    public long bufferedAmount() {
        return out.bufferedAmount();
    }

    // ------------------------------------------------------------------ sending

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        String s = text.toString();
        // UTF-8 length without encoding: the container encodes it once, on the wire.
        return send(OutboundQueue.Kind.TEXT, s, utf8Length(s));
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text, int fragmentSize) {
        Objects.requireNonNull(text, "text");
        requireFragmentSize(fragmentSize, true);
        String s = text.toString();
        long bytes = utf8Length(s);
        if (fragmentSize == 0 || bytes <= fragmentSize) {
            return send(OutboundQueue.Kind.TEXT, s, bytes);
        }
        return send(OutboundQueue.Kind.TEXT_PARTS, textParts(s, fragmentSize), bytes);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        ByteBuffer view = data.duplicate();
        return send(OutboundQueue.Kind.BINARY, view, view.remaining());
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data, int fragmentSize) {
        Objects.requireNonNull(data, "data");
        requireFragmentSize(fragmentSize, true);
        int n = data.remaining();
        if (fragmentSize == 0 || n <= fragmentSize) {
            return sendBinary(data);
        }
        List<ByteBuffer> parts = new ArrayList<>(n / fragmentSize + 1);
        for (int at = data.position(); at < data.limit(); at += fragmentSize) {
            parts.add(data.duplicate().position(at).limit(Math.min(data.limit(), at + fragmentSize)));
        }
        return send(OutboundQueue.Kind.BINARY_PARTS, parts, n);
    }

    /** Cuts text into parts of at most {@code fragmentSize} bytes of UTF-8, at code point boundaries. */
    static List<String> textParts(String s, int fragmentSize) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > fragmentSize && i > start) {
                parts.add(s.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        parts.add(s.substring(start));
        return parts;
    }

    @Override
    public CompletableFuture<Void> sendObject(Object value) {
        Objects.requireNonNull(value, "value");
        return sendText(jsonCodec.encode(value));
    }

    @Override
    public CompletableFuture<Void> sendText(Reader reader, int fragmentSize) {
        Objects.requireNonNull(reader, "reader");
        requireFragmentSize(fragmentSize, false);
        if (!isSendable()) {
            return CompletableFuture.failedFuture(closedException());
        }
        FragmentStream stream = new FragmentStream(this, out, true, fragmentSize);
        Writer writer = stream.writer();
        try {
            reader.transferTo(writer);
            writer.close();
        } catch (IOException | RuntimeException e) {
            stream.abandon(e);
        }
        return stream.result();
    }

    @Override
    public CompletableFuture<Void> sendBinary(InputStream in, int fragmentSize) {
        Objects.requireNonNull(in, "in");
        requireFragmentSize(fragmentSize, false);
        if (!isSendable()) {
            return CompletableFuture.failedFuture(closedException());
        }
        FragmentStream stream = new FragmentStream(this, out, false, fragmentSize);
        OutputStream sink = stream.outputStream();
        try {
            in.transferTo(sink);
            sink.close();
        } catch (IOException | RuntimeException e) {
            stream.abandon(e);
        }
        return stream.result();
    }

    @Override
    public Writer textWriter(int fragmentSize) {
        requireFragmentSize(fragmentSize, false);
        return new FragmentStream(this, out, true, fragmentSize).writer();
    }

    @Override
    public OutputStream binaryStream(int fragmentSize) {
        requireFragmentSize(fragmentSize, false);
        return new FragmentStream(this, out, false, fragmentSize).outputStream();
    }

    private CompletableFuture<Void> send(OutboundQueue.Kind kind, Object payload, long bytes) {
        if (!isSendable()) {
            return CompletableFuture.failedFuture(closedException());
        }
        boolean inline = bytes <= INLINE_LIMIT
                && (kind == OutboundQueue.Kind.TEXT || kind == OutboundQueue.Kind.BINARY)
                && delivering == Thread.currentThread();
        OutboundQueue.Entry entry = out.offerData(kind, payload, bytes, inline);
        if (entry == null) {
            if (settings.overflowPolicy() == OverflowPolicy.CLOSE) {
                fail(new ProtocolException(
                        CloseReason.POLICY_VIOLATION,
                        "Buffered amount would exceed " + settings.maxBufferedAmount() + " bytes"));
            }
            return CompletableFuture.failedFuture(
                    new SendOverflowException(out.bufferedAmount(), bytes, out.maxBufferedAmount()));
        }
        lastSentNanos = System.nanoTime();
        WebSocketObserver o = observer;
        if (o != null) {
            WebSocketObserver.MessageKind mk = kind == OutboundQueue.Kind.TEXT || kind == OutboundQueue.Kind.TEXT_PARTS
                    ? WebSocketObserver.MessageKind.TEXT
                    : WebSocketObserver.MessageKind.BINARY;
            observe(() -> o.messageSent(this, WebSocketObserver.Side.SERVER, settings.path(), mk, bytes));
        }
        return entry.result;
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
        synchronized (pings) {
            pings.add(ping);
        }
        ScheduledFuture<?> expiry = timers.schedule(
                () -> {
                    synchronized (pings) {
                        pings.remove(ping);
                    }
                    ping.result.completeExceptionally(
                            new TimeoutException("No pong within " + timeout.toMillis() + " ms"));
                },
                timeout);
        ping.result.whenComplete((rtt, error) -> expiry.cancel(false));
        out.offerControl(OutboundQueue.Kind.PING, ByteBuffer.wrap(bytes), 0)
                .result
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        synchronized (pings) {
                            pings.remove(ping);
                        }
                        ping.result.completeExceptionally(error);
                    }
                });
        WebSocketObserver o = observer;
        if (o != null) {
            ping.result.thenAccept(
                    rtt -> observe(() -> o.pingRoundTrip(this, WebSocketObserver.Side.SERVER, settings.path(), rtt)));
        }
        return ping.result;
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        requireControlPayload("pong", payload);
        if (!isSendable()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return out.offerControl(OutboundQueue.Kind.PONG, ByteBuffer.wrap(copy(payload)), 0).result;
    }

    @Override
    public CompletableFuture<CloseReason> close(int code, String reason) {
        CloseReason.requireSendable(code, reason);
        startClose(code, reason);
        return closeFuture;
    }

    /**
     * Starts the closing handshake with any code valid on the wire, for the library's own use
     * (1001 at shutdown, 1008 when the HTTP session ends, 1009, 1011).
     */
    CompletableFuture<CloseReason> closeWithStatus(int code, String reason) {
        startClose(code, shortReason(reason));
        return closeFuture;
    }

    private void startClose(int code, String reason) {
        if (!closeStarted.compareAndSet(false, true)) {
            return;
        }
        state = ReadyState.CLOSING;
        PullQueue queue = pull;
        if (queue != null) {
            queue.release();
        }
        out.offerControl(OutboundQueue.Kind.CLOSE, StandardCharsets.UTF_8.encode(reason), code);
        Duration limit = settings.closeTimeout();
        if (!limit.isZero()) {
            ScheduledFuture<?> t = timers.schedule(
                    () -> {
                        if (state != ReadyState.CLOSED) {
                            transmitter.abort();
                        }
                    },
                    limit);
            closeFuture.whenComplete((r, e) -> t.cancel(false));
        }
    }

    @Override
    public void abort() {
        closeStarted.set(true);
        state = ReadyState.CLOSING;
        PullQueue queue = pull;
        if (queue != null) {
            queue.release();
        }
        out.end(new ConnectionClosedException("The connection was aborted"));
        transmitter.abort();
    }

    @Override
    public CompletableFuture<CloseReason> closeFuture() {
        return closeFuture;
    }

    @Override
    public Message receive(Duration timeout) throws TimeoutException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        PullQueue queue = pull;
        if (queue == null) {
            throw new IllegalStateException("receive() needs a connection opened for pull-style reading;"
                    + " this one delivers messages to its endpoint's hooks");
        }
        return queue.take(timeout);
    }

    /** Blocking mode: a part the container read, for {@link #receive}; the container's thread. */
    void received(Message part, long bytes) throws InterruptedException {
        Objects.requireNonNull(pull).add(part, bytes);
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + ", server, " + uri + ", " + state + "]";
    }

    // ------------------------------------------------------------------ events from the handler

    /** Where the first failure is recorded for onError; set by the handler when the connection opens. */
    void onFailure(AtomicReference<@Nullable Throwable> failure) {
        this.failure = failure;
    }

    /** A failure found while sending: the first one wins and closes with its code. */
    private void fail(ProtocolException error) {
        AtomicReference<@Nullable Throwable> f = failure;
        if (f == null || f.compareAndSet(null, error)) {
            closeWithStatus(error.closeCode(), error.getMessage() == null ? "" : error.getMessage());
        }
    }

    /** A pong arrived: completes the oldest outstanding ping, or fails it if the payload differs. */
    void pongReceived(ByteBuffer payload) {
        PendingPing ping;
        synchronized (pings) {
            ping = pings.poll();
        }
        if (ping == null) {
            return;
        }
        byte[] got = copy(payload);
        if (Arrays.equals(got, ping.payload)) {
            ping.result.complete(Duration.ofNanos(System.nanoTime() - ping.sentNanos));
        } else {
            ping.result.completeExceptionally(
                    new ProtocolException(CloseReason.PROTOCOL_ERROR, "Pong payload differs from the ping's"));
        }
    }

    /** The container reported the end; fails what is pending and completes {@link #closeFuture()}. */
    void closed(CloseReason reason) {
        state = ReadyState.CLOSED;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        ConnectionClosedException cause = new ConnectionClosedException("The connection is closed");
        out.end(cause);
        synchronized (pings) {
            for (PendingPing p : pings) {
                p.result.completeExceptionally(cause);
            }
            pings.clear();
        }
        PullQueue queue = pull;
        if (queue != null) {
            queue.end(reason);
        }
        closeFuture.complete(reason);
    }

    /** Starts the idle-timeout and keep-alive checks when either is configured. */
    void startTimers() {
        if (!settings.idleTimeout().isZero() || !settings.pingInterval().isZero()) {
            scheduleCheck(nextCheck());
        }
    }

    private Duration nextCheck() {
        Duration idle = settings.idleTimeout();
        Duration ping = settings.pingInterval();
        if (idle.isZero()) {
            return ping;
        }
        if (ping.isZero()) {
            return idle;
        }
        return idle.compareTo(ping) < 0 ? idle : ping;
    }

    private void scheduleCheck(Duration delay) {
        if (state == ReadyState.CLOSED) {
            return;
        }
        timer = timers.schedule(this::check, delay);
    }

    private void check() {
        if (state != ReadyState.OPEN) {
            return;
        }
        long now = System.nanoTime();
        long lastReceived = lastReceivedNanos;
        Duration idle = settings.idleTimeout();
        if (!idle.isZero()) {
            long last = Math.max(lastReceived, lastSentNanos);
            if (now - last >= idle.toNanos()) {
                closeWithStatus(CloseReason.GOING_AWAY, "Idle for " + idle.toMillis() + " ms");
                return;
            }
        }
        Duration interval = settings.pingInterval();
        if (!interval.isZero() && now - lastReceived >= interval.toNanos()) {
            ping(ByteBuffer.allocate(0), settings.pingTimeout()).whenComplete((rtt, error) -> {
                if (error instanceof TimeoutException && state == ReadyState.OPEN) {
                    abort(); // the peer is gone: no closing handshake can complete
                }
            });
        }
        scheduleCheck(nextCheck());
    }

    // ------------------------------------------------------------------ for FragmentStream

    boolean isOpenForSending() {
        return isSendable();
    }

    long closeTimeoutNanos() {
        return settings.closeTimeout().toNanos();
    }

    void fragmentOffered() {
        lastSentNanos = System.nanoTime();
    }

    void streamedMessageSent(boolean text, long bytes) {
        WebSocketObserver o = observer;
        if (o != null) {
            WebSocketObserver.MessageKind mk =
                    text ? WebSocketObserver.MessageKind.TEXT : WebSocketObserver.MessageKind.BINARY;
            observe(() -> o.messageSent(this, WebSocketObserver.Side.SERVER, settings.path(), mk, bytes));
        }
    }

    /** A streamed message was given up half way: the peer could never tell where it ends. */
    void streamFailed() {
        fail(new ProtocolException(CloseReason.INTERNAL_ERROR, "A streamed message could not be completed"));
    }

    // ------------------------------------------------------------------ helpers

    private boolean isSendable() {
        return state == ReadyState.OPEN && !closeStarted.get();
    }

    private ConnectionClosedException closedException() {
        return new ConnectionClosedException(
                state == ReadyState.CLOSED ? "The connection is closed" : "The connection is closing");
    }

    private void observe(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            System.getLogger(SpringWebSocket.class.getName())
                    .log(System.Logger.Level.WARNING, "WebSocket observer failed", e);
        }
    }

    static long utf8Length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair of 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    private static String shortReason(String reason) {
        if (reason.length() * 3 <= CloseReason.MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > CloseReason.MAX_REASON_BYTES) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static void requireFragmentSize(int fragmentSize, boolean zeroAllowed) {
        if (fragmentSize < 0 || (!zeroAllowed && fragmentSize == 0)) {
            throw new IllegalArgumentException(
                    "'fragmentSize' must be " + (zeroAllowed ? "non-negative" : "positive") + ", was " + fragmentSize);
        }
    }

    private static void requireControlPayload(String what, ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException(
                    "'" + what + "' payload must be at most 125 bytes, was " + payload.remaining());
        }
    }

    private static byte[] copy(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    private static final class PendingPing {
        final byte[] payload;
        final long sentNanos;
        final CompletableFuture<Duration> result = new CompletableFuture<>();

        PendingPing(byte[] payload, long sentNanos) {
            this.payload = payload;
            this.sentNanos = sentNanos;
        }
    }
}
