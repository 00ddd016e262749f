package dev.duplex.websocket.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-size pool of daemon threads for listener batches, built for hand-off latency: a worker
 * that runs out of tasks polls for a short while ({@link #spinNanos()}) before it parks, so the
 * next batch of a busy connection is picked up without waking a parked thread (a futex call and a
 * scheduler round trip, tens of microseconds on a loaded machine). At most one worker polls at a
 * time, and it yields its processor while polling, so an idle pool costs a sliver of one core for
 * that short while after each batch and nothing after it. Workers start on demand, up to {@code
 * maxThreads}; a worker parked for {@code keepAlive} ends.
 *
 * <p>Tasks run in the order they were handed over, as far as workers are free; a task that blocks
 * holds one worker and never the others. {@link #execute(Runnable)} never blocks and never
 * refuses: tasks beyond the free workers wait in an unbounded queue.
 *
 * <p>Thread-safe.
 */
final class DispatchPool implements Executor {

    private static final System.Logger LOG = System.getLogger(DispatchPool.class.getName());

    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final int ENDED = 2;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Live workers, lowest slots first: a hand-off wakes the lowest parked one, so the others age. */
    private final AtomicReferenceArray<@Nullable Worker> workers;
    /** Workers polling the queue now; at most one. */
    private final AtomicInteger spinning = new AtomicInteger();

    private final AtomicInteger numbers = new AtomicInteger();
    private final String namePrefix;
    private final long spinNanos;
    private final long keepAliveNanos;

    /**
     * A pool of at most {@code maxThreads} threads named {@code namePrefix + N}, whose idle workers
     * poll for {@code spinNanos} (0: park at once) and end after {@code keepAliveNanos} parked.
     *
     * @throws IllegalArgumentException when {@code maxThreads} is not positive or a time is negative
     */
    DispatchPool(String namePrefix, int maxThreads, long spinNanos, long keepAliveNanos) {
        if (maxThreads <= 0) {
            throw new IllegalArgumentException("'maxThreads' must be positive, was " + maxThreads);
        }
        if (spinNanos < 0 || keepAliveNanos < 0) {
            throw new IllegalArgumentException("'spinNanos' and 'keepAliveNanos' must not be negative, were "
                    + spinNanos + " and " + keepAliveNanos);
        }
        this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
        this.workers = new AtomicReferenceArray<>(maxThreads);
        this.spinNanos = spinNanos;
        this.keepAliveNanos = keepAliveNanos;
    }

    /** How long a worker out of tasks polls before it parks. */
    long spinNanos() {
        return spinNanos;
    }

    /** Live worker threads (running, polling or parked). */
    int liveThreads() {
        int n = 0;
        for (int i = 0; i < workers.length(); i++) {
            if (workers.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Queues {@code task}; a polling worker takes it, else a parked one is woken or a new one starts. */
    @Override
    public void execute(Runnable task) {
        tasks.offer(Objects.requireNonNull(task, "task"));
        // Dekker with the spinner: it leaves the count, then polls once more before parking.
        if (spinning.get() == 0) {
            signal();
        }
    }

    /** Makes sure some worker will look at the queue: wakes a parked one or starts one. */
    private void signal() {
        for (int i = 0; i < workers.length(); i++) {
            Worker w = workers.get(i);
            if (w == null) {
                Worker fresh = new Worker(i);
                if (workers.compareAndSet(i, null, fresh)) {
                    fresh.thread.start();
                    return;
                }
                w = workers.get(i);
                if (w == null) {
                    continue;
                }
            }
            if (w.state == PARKED && Worker.STATE.compareAndSet(w, PARKED, RUNNING)) {
                LockSupport.unpark(w.thread);
                return;
            }
        }
        // Every worker is running a task: the first to finish takes this one.
    }

    private final class Worker implements Runnable {
        static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Worker.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final int slot;
        final Thread thread;
        /** RUNNING, PARKED (only a signal or the worker's own timeout leaves it) or ENDED. */
        volatile int state = RUNNING;

        Worker(int slot) {
            this.slot = slot;
            this.thread = new Thread(this, namePrefix + numbers.incrementAndGet());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable task = tasks.poll();
                    if (task == null) {
                        task = spin();
                    }
                    if (task != null) {
                        runSafely(task);
                    } else if (!park()) {
                        return;
                    }
                }
            } finally {
                end();
            }
        }

        /** Polls for a while if no other worker does; the task found, or null. */
        private @Nullable Runnable spin() {
            if (spinNanos == 0 || !spinning.compareAndSet(0, 1)) {
                return null;
            }
            Runnable task;
            long deadline = System.nanoTime() + spinNanos;
            int polls = 0;
            while ((task = tasks.poll()) == null && BoundedPoll.pause(++polls, deadline)) {
                // polling
            }
            spinning.set(0);
            // Dekker with execute(): it queues, then counts spinners; this leaves the count, then looks.
            if (task == null) {
                task = tasks.poll();
            }
            if (task != null && !tasks.isEmpty()) {
                signal(); // producers left the rest to the spinner: another worker takes it
            }
            return task;
        }

        /**
         * Parks until signalled, work is queued or the keep-alive passes; false when this worker
         * is to end.
         */
        private boolean park() {
            state = PARKED;
            long deadline = System.nanoTime() + keepAliveNanos;
            while (true) {
                // Dekker with signal(): a producer queues, then looks for a parked worker.
                if (!tasks.isEmpty()) {
                    STATE.compareAndSet(this, PARKED, RUNNING); // or a producer set it already
                    return true;
                }
                if (state != PARKED) {
                    return true; // signalled
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // Signalled at the last moment: the task is this worker's after all.
                    return !STATE.compareAndSet(this, PARKED, ENDED);
                }
                LockSupport.parkNanos(this, left);
            }
        }

        /** Leaves the slot; a task queued meanwhile gets another worker. */
        private void end() {
            state = ENDED;
            workers.compareAndSet(slot, this, null);
            if (!tasks.isEmpty()) {
                signal();
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "a dispatched task failed", t);
        }
    }

    @Override
    public String toString() {
        return "DispatchPool[" + namePrefix + "*, " + workers.length() + " threads, spin "
                + TimeUnit.NANOSECONDS.toMicros(spinNanos) + " us]";
    }
}
