package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The messages of a blocking-mode connection ({@code serve}) waiting for {@link
 * dev.duplex.websocket.WebSocket#receive(Duration)}, in the parts the container read them.
 *
 * <p>Past {@code maxPending} bytes waiting, the container's thread that adds a part waits until the
 * reader takes some, which stops the container reading from that connection: the peer is pushed
 * back on instead of memory growing. The wait ends too when the connection starts closing or
 * ends, so that a close is never held up by a reader that stopped reading.
 *
 * <p>Thread-safe: the container's thread adds, the serving thread takes.
 */
final class PullQueue {

    private final long maxPending;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private final ArrayDeque<Long> sizes = new ArrayDeque<>();
    /** Bytes of the parts waiting; guarded by this. */
    private long pending;
    /** Whether adders stop waiting for room (closing or ended); guarded by this. */
    private boolean released;
    /** Returned once the queue is empty; null while the connection is open. Guarded by this. */
    private Message.@Nullable Closed end;

    PullQueue(long maxPending) {
        this.maxPending = maxPending;
    }

    /**
     * Adds a part, waiting while more than the maximum is pending.
     *
     * @throws InterruptedException when the container's thread is interrupted while it waits
     */
    synchronized void add(Message part, long bytes) throws InterruptedException {
        while (pending > maxPending && !released) {
            wait();
        }
        messages.add(part);
        sizes.add(bytes);
        pending += bytes;
        notifyAll();
    }

    /** The connection is closing: adders no longer wait for the reader. */
    synchronized void release() {
        released = true;
        notifyAll();
    }

    /** The connection ended: after what is queued, readers get {@code Closed(reason)}. */
    synchronized void end(CloseReason reason) {
        if (end == null) {
            end = new Message.Closed(reason);
        }
        released = true;
        notifyAll();
    }

    /** The next part, or the end once everything is taken. */
    synchronized Message take(Duration timeout) throws TimeoutException, InterruptedException {
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
        pending -= sizes.remove();
        notifyAll();
        return messages.remove();
    }
}
