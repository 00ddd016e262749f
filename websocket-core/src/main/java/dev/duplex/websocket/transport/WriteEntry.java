package dev.duplex.websocket.transport;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One queued write: its buffers, the payload bytes it counts in the buffered amount, and — being
 * the future itself, so that a write costs one object — its completion. Linked into the
 * connection's queues through {@link #next}.
 */
final class WriteEntry extends java.util.concurrent.CompletableFuture<Void> {

    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    /** The buffers, written in order; emptied once the entry is done so they can be collected. */
    ByteBuffer[] buffers;
    /** Payload bytes counted in the buffered amount. */
    final long payloadBytes;
    /** Bytes counted against the priority lane's limit; 0 for ordinary writes. */
    final long priorityBytes;
    /** First buffer with bytes left; loop thread only. */
    int index;

    private final int firstPosition;
    /** Next entry in whichever list holds this one. */
    @Nullable
    WriteEntry next;

    /**
     * Whether this entry carries no bytes but marks a point in the queue: the flush stops there and
     * tells the connection ({@link Connection#onWriteBarrier()}) once everything before it is written.
     */
    final boolean barrier;

    WriteEntry(ByteBuffer[] buffers, long payloadBytes, long priorityBytes) {
        this(buffers, payloadBytes, priorityBytes, false);
    }

    private WriteEntry(ByteBuffer[] buffers, long payloadBytes, long priorityBytes, boolean barrier) {
        this.buffers = buffers;
        this.payloadBytes = payloadBytes;
        this.priorityBytes = priorityBytes;
        this.barrier = barrier;
        this.firstPosition = buffers.length == 0 ? 0 : buffers[0].position();
    }

    /** A {@link #barrier} entry. */
    static WriteEntry barrier() {
        return new WriteEntry(NONE, 0, 0, true);
    }

    /** Skips written buffers; true when every byte has been handed to the socket (or TLS engine). */
    boolean consumed() {
        ByteBuffer[] b = buffers;
        int i = index;
        while (i < b.length && !b[i].hasRemaining()) {
            i++;
        }
        index = i;
        return i == b.length;
    }

    /** Whether some of its bytes are on the wire, so nothing may be placed before it any more. */
    boolean started() {
        return index > 0 || (buffers.length > 0 && buffers[0].position() != firstPosition);
    }

    void succeed() {
        buffers = NONE;
        complete(null);
    }

    void fail(Throwable cause) {
        buffers = NONE;
        completeExceptionally(cause);
    }
}
