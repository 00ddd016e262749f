package dev.duplex.websocket.transport;

/**
 * The pause between two looks at a queue while a thread polls it for a short, bounded while
 * instead of sleeping (the dispatch pool's idle worker, an I/O thread awaiting a listener's
 * reply). Reads the clock only every {@value #POLLS_PER_CLOCK_READ} polls, since a clock read costs
 * about as much as twenty polls, and yields then: on a machine with few cores the thread that will
 * hand the work over may need this processor.
 */
final class BoundedPoll {

    static final int POLLS_PER_CLOCK_READ = 16;

    private BoundedPoll() {}

    /**
     * Pauses after poll number {@code polls} (counting from 1) of a poll that ends at {@code
     * deadlineNanos}; false, without pausing, once the deadline has passed.
     */
    static boolean pause(int polls, long deadlineNanos) {
        if (polls % POLLS_PER_CLOCK_READ != 0) {
            Thread.onSpinWait();
            return true;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            return false;
        }
        Thread.yield();
        return true;
    }
}
