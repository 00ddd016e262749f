package dev.duplex.websocket.transport;

/**
 * A handle on a task scheduled with {@link EventLoop#schedule(Runnable, long,
 * java.util.concurrent.TimeUnit)}. Thread-safe.
 */
public interface Timeout {

    /**
     * Cancels the task if it has not started. Cancelling from the task's own event loop takes
     * effect at once; from another thread it may race with the task starting, and then the return
     * value says who won.
     *
     * @return true when this call prevented the task from running
     */
    boolean cancel();

    /** Whether the task was cancelled before it ran. */
    boolean isCancelled();

    /** Whether the task has run (or has started running). */
    boolean isExpired();
}
