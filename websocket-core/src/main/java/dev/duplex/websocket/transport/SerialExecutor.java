package dev.duplex.websocket.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one connection's events in the order they were submitted, never two at once, on a shared
 * {@link Executor}. Tasks are handed over in batches: one executor task runs everything queued so
 * far (up to {@value #MAX_BATCH}, then it yields its thread and queues itself again), not one per
 * event. A task that blocks holds up only its own connection (and, with a bounded pool, one of
 * the pool's threads).
 *
 * <p>{@link #direct(EventLoop)} runs tasks on the I/O thread itself, at once when submitted from
 * it with nothing queued: the lowest latency, for tasks that never block.
 *
 * <p>Thread-safe: any number of threads may submit. A task that throws is logged; the next runs.
 */
public final class SerialExecutor implements Executor {

    /** Most tasks one hand-over runs before giving its thread back. */
    public static final int MAX_BATCH = 1024;

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final VarHandle TOP;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TOP = l.findVarHandle(SerialExecutor.class, "top", Node.class);
            STATE = l.findVarHandle(SerialExecutor.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor executor;
    /** The loop whose thread may run tasks inline; null for an ordinary executor. */
    private final @Nullable EventLoop inlineLoop;

    private final Runnable drainTask = this::drain;

    /** Tasks pushed by producers, newest first. */
    @SuppressWarnings("unused") // accessed through TOP
    private volatile @Nullable Node top;

    /** SCHEDULED from the hand-over until the drainer finds nothing left. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Tasks taken off the stack, oldest first; only the thread holding SCHEDULED touches it. */
    private @Nullable Node pending;

    /** Runs tasks on {@code executor} (see {@link DispatchExecutors}). */
    public SerialExecutor(Executor executor) {
        this(Objects.requireNonNull(executor, "executor"), null);
    }

    private SerialExecutor(Executor executor, @Nullable EventLoop inlineLoop) {
        this.executor = executor;
        this.inlineLoop = inlineLoop;
    }

    /** Runs tasks on {@code loop}'s thread: inline when submitted from it with nothing queued. */
    public static SerialExecutor direct(EventLoop loop) {
        return new SerialExecutor(loop, loop);
    }

    /**
     * Queues {@code task} after those submitted before it. Never blocks.
     *
     * @throws RejectedExecutionException when the underlying executor refuses the hand-over
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (runNowIfIdle(task)) {
            return;
        }
        Node node = new Node(task);
        Node t;
        do {
            t = (Node) TOP.getVolatile(this);
            node.next = t;
        } while (!TOP.compareAndSet(this, t, node));
        if ((int) STATE.getVolatile(this) == IDLE && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            handOver();
        }
    }

    /**
     * Runs {@code task} at once, on the calling thread, if this executor {@linkplain
     * #direct(EventLoop) runs on} that thread's loop and nothing is queued or running; otherwise
     * returns false without running it. A caller that lends the task data valid only for the
     * moment (a view of a read buffer) falls back to a copy and {@link #execute} when this fails.
     */
    boolean runNowIfIdle(Runnable task) {
        EventLoop loop = inlineLoop;
        if (loop != null
                && (Node) TOP.getVolatile(this) == null
                && loop.inEventLoop()
                && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            // Nothing is queued or running, so running it now keeps the order.
            runSafely(task);
            drain();
            return true;
        }
        return false;
    }

    private void handOver() {
        try {
            executor.execute(drainTask);
            if (inlineLoop == null) {
                EventLoop.noteHandOff();
            }
        } catch (RejectedExecutionException e) {
            STATE.setVolatile(this, IDLE);
            throw e;
        }
    }

    private void drain() {
        int ran = 0;
        while (true) {
            Node n = pending;
            if (n == null) {
                n = takeFifo();
                if (n == null) {
                    STATE.setVolatile(this, IDLE);
                    // A producer that pushed after takeFifo() but saw SCHEDULED left the work to us.
                    if ((Node) TOP.getVolatile(this) == null || !STATE.compareAndSet(this, IDLE, SCHEDULED)) {
                        return;
                    }
                    continue;
                }
            }
            pending = n.next;
            runSafely(n.task);
            if (++ran == MAX_BATCH) {
                handOver();
                return;
            }
        }
    }

    private @Nullable Node takeFifo() {
        Node e = (Node) TOP.getAndSet(this, null);
        Node reversed = null;
        while (e != null) {
            Node next = e.next;
            e.next = reversed;
            reversed = e;
            e = next;
        }
        return reversed;
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "a serial task failed", t);
        }
    }

    private static final class Node {
        final Runnable task;

        @Nullable
        Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }
}
