package dev.duplex.websocket.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A timer entry: a task with a deadline, placed in its loop's {@link TimerQueue}. */
final class ScheduledTask implements Timeout {

    private static final int PENDING = 0;
    private static final int CANCELLED = 1;
    private static final int EXPIRED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final Runnable task;
    final long deadlineNanos;
    /** Tie-breaker so that tasks with one deadline run in the order they were added; loop thread only. */
    long sequence;
    /** Position in the timer heap, -1 when not in it; loop thread only. */
    int heapIndex = -1;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    ScheduledTask(EventLoop loop, Runnable task, long deadlineNanos) {
        this.loop = loop;
        this.task = task;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        loop.removeTimer(this);
        return true;
    }

    @Override
    public boolean isCancelled() {
        return (int) STATE.getVolatile(this) == CANCELLED;
    }

    @Override
    public boolean isExpired() {
        return (int) STATE.getVolatile(this) == EXPIRED;
    }

    /** Loop thread: claims the task for running; false when it was cancelled first. */
    boolean expire() {
        return STATE.compareAndSet(this, PENDING, EXPIRED);
    }

    boolean isBefore(ScheduledTask other) {
        long d = deadlineNanos - other.deadlineNanos;
        return d < 0 || (d == 0 && sequence < other.sequence);
    }
}
