package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.ConnectionClosedException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The messages of one connection waiting for the container, with one operation in flight at a
 * time (the Jakarta API refuses a second asynchronous send before the first completes).
 *
 * <p>Data messages count toward {@link #bufferedAmount()} in payload bytes from the moment they are
 * accepted until their write completes; a message that would push it past the maximum is refused
 * whole. Control frames take a lane of their own that goes ahead of queued data at the next message
 * boundary, so a close or a pong never waits behind megabytes of data. After the close frame is
 * written, or the connection ends, what remains fails with {@link ConnectionClosedException}.
 *
 * <p>A small message offered while nothing is queued or in flight may be written at once on the
 * offering thread ({@link #offerData(Kind, Object, long, boolean) inline}), through the container's
 * blocking send: the asynchronous send of Tomcat reports every completion on another thread, a
 * hand-off per message that costs a quarter of the echo throughput of a plain handler. The caller
 * decides when that is allowed (see {@link SpringWebSocket}).
 *
 * <p>Thread-safe: any thread offers; the thread that completes a write starts the next one.
 */
final class OutboundQueue {

    enum Kind {
        TEXT,
        BINARY,
        /** A text message in fragments: a {@code List<String>} of its parts. */
        TEXT_PARTS,
        /** A binary message in fragments: a {@code List<ByteBuffer>} of its parts. */
        BINARY_PARTS,
        /** One fragment of a streamed text message: a {@link Part} holding a {@code String}. */
        TEXT_PART,
        /** One fragment of a streamed binary message: a {@link Part} holding a {@code ByteBuffer}. */
        BINARY_PART,
        PING,
        PONG,
        CLOSE
    }

    /** A fragment of a streamed message and whether it is the final one. */
    record Part(Object payload, boolean last) {}

    /** One operation waiting or in flight. */
    static final class Entry {
        final Kind kind;
        final Object payload;
        final long bytes;
        final int code;
        final CompletableFuture<Void> result = new CompletableFuture<>();

        Entry(Kind kind, Object payload, long bytes, int code) {
            this.kind = kind;
            this.payload = payload;
            this.bytes = bytes;
            this.code = code;
        }
    }

    private final Transmitter transmitter;
    private final long maxBufferedAmount;

    /** Guards the deques, busy, ended and buffered. */
    private final Object lock = new Object();

    private final ArrayDeque<Entry> data = new ArrayDeque<>(4);
    private final ArrayDeque<Entry> control = new ArrayDeque<>(1);
    /** Data messages offered while another's stream is open, in order, until it ends. */
    private final ArrayDeque<Entry> held = new ArrayDeque<>(0);
    /** The stream whose fragments hold the data lane; null when none is open. */
    private @Nullable Object stream;
    /** Whether an operation is in flight or a thread is starting one. */
    private boolean busy;
    /** Why nothing more is sent, once the close frame went out or the connection ended. */
    private @Nullable ConnectionClosedException ended;

    private volatile long buffered;

    OutboundQueue(Transmitter transmitter, long maxBufferedAmount) {
        this.transmitter = transmitter;
        this.maxBufferedAmount = maxBufferedAmount;
    }

    /** Payload bytes of data messages accepted and not yet written. */
    long bufferedAmount() {
        return buffered;
    }

    long maxBufferedAmount() {
        return maxBufferedAmount;
    }

    /**
     * Queues a text or binary message.
     *
     * @param inline whether the message may be written at once on this thread, through the
     *     container's blocking send, when nothing is queued or in flight
     * @return the entry, or null when it would pass the maximum buffered amount (nothing queued)
     */
    @Nullable
    Entry offerData(Kind kind, Object payload, long bytes, boolean inline) {
        return offerData(kind, payload, bytes, inline, null);
    }

    /**
     * As {@link #offerData(Kind, Object, long, boolean)}, from {@code source}: the stream a fragment
     * belongs to, or null for a whole message. While a stream is open, what other sources offer is
     * held back, so that nothing comes between its fragments (RFC 6455 section 5.4).
     */
    @Nullable
    Entry offerData(Kind kind, Object payload, long bytes, boolean inline, @Nullable Object source) {
        Entry entry = new Entry(kind, payload, bytes, 0);
        synchronized (lock) {
            if (ended != null) {
                entry.result.completeExceptionally(ended);
                return entry;
            }
            if (buffered + bytes > maxBufferedAmount) {
                return null;
            }
            buffered += bytes;
            if (stream != null && stream != source) {
                held.add(entry);
                return entry;
            }
            if (busy) {
                data.add(entry);
                return entry;
            }
            busy = true;
            if (!inline || !control.isEmpty() || !data.isEmpty()) {
                data.add(entry);
                inline = false;
            }
        }
        if (inline) {
            writeInline(entry);
        }
        pump();
        return entry;
    }

    /**
     * Gives the data lane to {@code source}'s fragments until {@link #closeStream}.
     *
     * @throws IllegalStateException when another stream is open
     */
    void openStream(Object source) {
        synchronized (lock) {
            if (stream != null) {
                throw new IllegalStateException("Another streamed message is being sent on this connection;"
                        + " close its writer or stream first");
            }
            stream = source;
        }
    }

    /** Ends {@code source}'s hold on the data lane; what was held back follows, in order. */
    void closeStream(Object source) {
        synchronized (lock) {
            if (stream != source) {
                return;
            }
            stream = null;
            data.addAll(held);
            held.clear();
            if (busy || (data.isEmpty() && control.isEmpty())) {
                return;
            }
            busy = true;
        }
        pump();
    }

    /** Writes one message on this thread; busy is set and nothing was queued before it. */
    private void writeInline(Entry e) {
        @Nullable Throwable[] error = new Throwable[1];
        if (e.kind == Kind.TEXT) {
            transmitter.textNow((String) e.payload, t -> error[0] = t);
        } else {
            transmitter.binaryNow((ByteBuffer) e.payload, t -> error[0] = t);
        }
        completed(e, error[0]);
    }

    /** Queues a ping, pong or close frame ahead of waiting data. */
    Entry offerControl(Kind kind, ByteBuffer payload, int code) {
        Entry entry = new Entry(kind, payload, 0, code);
        synchronized (lock) {
            if (ended != null) {
                entry.result.completeExceptionally(ended);
                return entry;
            }
            control.add(entry);
            if (busy) {
                return entry;
            }
            busy = true;
        }
        pump();
        return entry;
    }

    /** Fails everything not yet in flight and refuses what comes later. */
    void end(ConnectionClosedException cause) {
        ArrayDeque<Entry> failed = new ArrayDeque<>();
        synchronized (lock) {
            if (ended == null) {
                ended = cause;
            }
            failed.addAll(control);
            failed.addAll(data);
            failed.addAll(held);
            control.clear();
            data.clear();
            held.clear();
            for (Entry e : failed) {
                buffered -= e.bytes;
            }
        }
        for (Entry e : failed) {
            e.result.completeExceptionally(cause);
        }
    }

    /**
     * Starts queued operations one after another. A write that completes on the calling thread
     * (the container often writes at once) lets the loop go on; one that completes later hands the
     * loop to its completing thread. The hand-off flag decides which of the two continues.
     */
    private void pump() {
        while (true) {
            Entry entry;
            synchronized (lock) {
                entry = control.poll();
                if (entry == null) {
                    entry = data.poll();
                }
                if (entry == null) {
                    busy = false;
                    return;
                }
            }
            AtomicBoolean handOff = new AtomicBoolean();
            Entry e = entry;
            start(e, error -> {
                completed(e, error);
                if (!handOff.compareAndSet(false, true)) {
                    pump();
                }
            });
            if (!handOff.compareAndSet(false, true)) {
                continue; // completed on this thread already
            }
            return;
        }
    }

    private void start(Entry e, java.util.function.Consumer<@Nullable Throwable> done) {
        switch (e.kind) {
            case TEXT -> transmitter.text((String) e.payload, done);
            case BINARY -> transmitter.binary((ByteBuffer) e.payload, done);
            case TEXT_PARTS -> transmitter.textParts(parts(e, String.class), done);
            case BINARY_PARTS -> transmitter.binaryParts(parts(e, ByteBuffer.class), done);
            case TEXT_PART -> {
                Part part = (Part) e.payload;
                transmitter.textPart((String) part.payload(), part.last(), done);
            }
            case BINARY_PART -> {
                Part part = (Part) e.payload;
                transmitter.binaryPart((ByteBuffer) part.payload(), part.last(), done);
            }
            case PING -> transmitter.ping((ByteBuffer) e.payload, done);
            case PONG -> transmitter.pong((ByteBuffer) e.payload, done);
            case CLOSE -> transmitter.close(e.code, (String) reasonOf(e), done);
        }
    }

    private static <T> List<T> parts(Entry e, Class<T> type) {
        List<?> parts = (List<?>) e.payload;
        List<T> typed = new ArrayList<>(parts.size());
        for (Object part : parts) {
            typed.add(type.cast(part));
        }
        return typed;
    }

    private static Object reasonOf(Entry e) {
        ByteBuffer reason = (ByteBuffer) e.payload;
        return java.nio.charset.StandardCharsets.UTF_8
                .decode(reason.duplicate())
                .toString();
    }

    private void completed(Entry e, @Nullable Throwable error) {
        if (e.bytes != 0) {
            synchronized (lock) {
                buffered -= e.bytes;
            }
        }
        if (e.kind == Kind.CLOSE) {
            end(new ConnectionClosedException("The connection is closing"));
        }
        if (error == null) {
            e.result.complete(null);
        } else {
            e.result.completeExceptionally(
                    error instanceof ConnectionClosedException
                            ? error
                            : new ConnectionClosedException("The connection failed: " + error.getMessage(), error));
        }
    }
}
