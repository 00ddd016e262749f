package dev.duplex.websocket.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One I/O thread ({@code duplex-io-N}, a daemon) owning a {@link Selector}: it performs the reads
 * and writes of the connections assigned to it, runs tasks handed to {@link #execute(Runnable)}
 * in the order they were handed over, and runs timers set with {@link #schedule(Runnable, long,
 * TimeUnit)}.
 *
 * <p>Thread-safe: any thread may submit tasks and timers. Tasks and timers must not block, since
 * they hold up every connection of this loop. Created and shut down by its {@link EventLoopGroup}.
 */
public final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** Most buffers handed to one gathering write; well under Linux's IOV_MAX of 1024. */
    static final int MAX_GATHER = 256;

    /**
     * Most bytes handed to one gathering write. The JDK copies heap buffers into a per-thread
     * direct buffer as large as the write, so an unbounded write of a 16 MiB message would pin
     * 16 MiB of native memory to this thread for good.
     */
    static final int MAX_WRITE_BYTES = 256 * 1024;

    /** Tasks run per turn before the loop looks at its sockets again. */
    private static final int MAX_TASKS_PER_TURN = 4096;

    /**
     * System property: microseconds an I/O thread that has just handed events to listener threads
     * polls its task queue before it sleeps in {@code select}, so that a listener's reply is
     * written without a selector wake-up; 0 sleeps at once.
     */
    public static final String REPLY_WAIT_MICROS_PROPERTY = "duplex.websocket.io.reply-wait-micros";

    /** Default of {@link #REPLY_WAIT_MICROS_PROPERTY}. */
    public static final int DEFAULT_REPLY_WAIT_MICROS = 30;

    private static final long REPLY_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0, Integer.getInteger(REPLY_WAIT_MICROS_PROPERTY, DEFAULT_REPLY_WAIT_MICROS)));

    /**
     * System property: microseconds an I/O thread whose last turn found ready sockets keeps
     * looking at them ({@code selectNow}) before it sleeps in {@code select}, so that the next
     * message of a connection in a quick exchange is read without a sleep and a wake-up (which
     * cost tens of microseconds each); 0 sleeps at once. The thread polls only while its sockets'
     * events have lately come about this quickly, so a quiet or idle server does not spin.
     */
    public static final String ACTIVE_POLL_MICROS_PROPERTY = "duplex.websocket.io.active-poll-micros";

    /** Default of {@link #ACTIVE_POLL_MICROS_PROPERTY}. */
    public static final int DEFAULT_ACTIVE_POLL_MICROS = 50;

    private static final long ACTIVE_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Math.max(0, Integer.getInteger(ACTIVE_POLL_MICROS_PROPERTY, DEFAULT_ACTIVE_POLL_MICROS)));

    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int STOPPING = 2;
    private static final int TERMINATED = 3;

    private static final VarHandle AWAKE;

    static {
        try {
            AWAKE = MethodHandles.lookup().findVarHandle(EventLoop.class, "awake", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoopGroup group;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final Consumer<SelectionKey> keyHandler = this::processKey;
    /** Loop thread only. */
    private final TimerQueue timers = new TimerQueue();

    /** The read buffer every connection of this loop reads into; loop thread only. */
    final ByteBuffer readBuffer;
    /** Scratch array for gathering writes; loop thread only, cleared after each write. */
    final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    /** Shared TLS buffers, allocated when the first TLS connection of this loop needs them. */
    private @Nullable ByteBuffer tlsNetIn;

    private @Nullable ByteBuffer tlsAppIn;
    private @Nullable ByteBuffer tlsNetOut;

    /** Set when this turn handed listener events to another thread; loop thread only. */
    private boolean handedOff;

    /**
     * A moving average of how long this thread waited for its sockets before they had events
     * (nanoseconds); it polls ({@link #ACTIVE_POLL_MICROS_PROPERTY}) only while that is shorter
     * than twice the poll (a wait that ends in a sleep also counts the wake-up), that is while
     * traffic comes back about as fast as a sleep and a wake-up take.
     * Loop thread only.
     */
    private long eventGapNanos = Long.MAX_VALUE / 2;

    /** 0 while the thread is (about to be) blocked in select, so a producer must wake it. */
    @SuppressWarnings("unused") // accessed through AWAKE
    private volatile int awake = 1;

    private volatile int state = RUNNING;
    /** When a graceful shutdown gives up and aborts what is left; loop thread only. */
    private long shutdownDeadline;

    private boolean shutdownStarted;

    EventLoop(EventLoopGroup group, String name, int readBufferSize) {
        this.group = group;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a selector", e);
        }
        // Native order: the decoder unmasks payloads in place a word at a time, with no byte swap.
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize).order(ByteOrder.nativeOrder());
        this.thread = new LoopThread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The group this loop belongs to. */
    public EventLoopGroup group() {
        return group;
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Whether this loop has been asked to shut down. */
    public boolean isShutdown() {
        return state != RUNNING;
    }

    /**
     * Runs {@code task} on this loop's thread, after the tasks handed over before it. Never blocks.
     *
     * @throws RejectedExecutionException when the loop has terminated
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == TERMINATED) {
            throw rejected();
        }
        tasks.offer(task);
        // The loop drains its queue once more after it terminates; whoever removes the task first
        // decides whether it runs.
        if (state == TERMINATED && tasks.remove(task)) {
            throw rejected();
        }
        if (!inEventLoop() && AWAKE.compareAndSet(this, 0, 1)) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} on this loop's thread once {@code delay} has passed, unless the returned
     * handle is cancelled first. Timers still pending when the loop terminates never run.
     *
     * @throws IllegalArgumentException when {@code delay} is negative
     * @throws RejectedExecutionException when the loop has terminated
     */
    public Timeout schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        if (delay < 0) {
            throw new IllegalArgumentException("'delay' must not be negative, was " + delay);
        }
        long nanos = Math.min(unit.toNanos(delay), Long.MAX_VALUE / 4);
        ScheduledTask timer = new ScheduledTask(this, task, System.nanoTime() + nanos);
        if (inEventLoop()) {
            timers.add(timer);
        } else {
            execute(() -> {
                if (!timer.isCancelled()) {
                    timers.add(timer);
                }
            });
        }
        return timer;
    }

    void removeTimer(ScheduledTask timer) {
        if (inEventLoop()) {
            timers.remove(timer);
        } else {
            try {
                execute(() -> timers.remove(timer));
            } catch (RejectedExecutionException e) {
                // Terminated: the timer will never run anyway.
            }
        }
    }

    /**
     * Notes that the calling thread, if it is an I/O thread, has handed events to a listener
     * thread: before it sleeps it waits briefly for the reply (see {@link
     * #REPLY_WAIT_MICROS_PROPERTY}). Cheap from any thread.
     */
    static void noteHandOff() {
        if (Thread.currentThread() instanceof LoopThread t) {
            t.loop.handedOff = true;
        }
    }

    /** Registers {@code channel} with this loop's selector; loop thread only. */
    SelectionKey register(SelectableChannel channel, int ops, Object attachment) throws ClosedChannelException {
        return channel.register(selector, ops, attachment);
    }

    /** Runs {@code task} now when on this loop, else hands it over; false if the loop has terminated. */
    boolean runOnLoop(Runnable task) {
        if (inEventLoop()) {
            task.run();
            return true;
        }
        try {
            execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The shared TLS buffers for records of {@code packetSize} and plaintext of {@code appSize}. */
    ByteBuffer tlsNetIn(int packetSize) {
        ByteBuffer b = tlsNetIn;
        if (b == null || b.capacity() < packetSize) {
            b = tlsNetIn = ByteBuffer.allocateDirect(Math.max(packetSize, readBuffer.capacity()));
        }
        return b;
    }

    ByteBuffer tlsAppIn(int appSize) {
        ByteBuffer b = tlsAppIn;
        int wanted = Math.max(readBuffer.capacity(), 2 * appSize);
        if (b == null || b.capacity() < wanted) {
            b = tlsAppIn = ByteBuffer.allocateDirect(wanted).order(ByteOrder.nativeOrder());
        }
        return b;
    }

    ByteBuffer tlsNetOut(int packetSize) {
        ByteBuffer b = tlsNetOut;
        int wanted = Math.max(4 * packetSize, readBuffer.capacity());
        if (b == null || b.capacity() < wanted) {
            b = tlsNetOut = ByteBuffer.allocateDirect(wanted);
        }
        return b;
    }

    CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /** Starts a graceful shutdown: connections flush and close; what is left at the deadline is aborted. */
    void shutdownGracefully(long deadlineNanos) {
        try {
            execute(() -> {
                if (state == RUNNING) {
                    shutdownDeadline = deadlineNanos;
                    state = SHUTTING_DOWN;
                }
            });
        } catch (RejectedExecutionException e) {
            // Already terminated.
        }
    }

    /** Starts an immediate shutdown: every connection is aborted. */
    void shutdownNow() {
        if (state == TERMINATED) {
            return;
        }
        state = STOPPING;
        selector.wakeup();
    }

    private void run() {
        boolean active = false;
        try {
            while (true) {
                int st = state;
                if (st != RUNNING && shuttingDownIsComplete(st)) {
                    break;
                }
                long timeoutNanos = nextTimerDelay();
                if (st == SHUTTING_DOWN) {
                    long untilDeadline = Math.max(0, shutdownDeadline - System.nanoTime());
                    timeoutNanos = timeoutNanos < 0 ? untilDeadline : Math.min(timeoutNanos, untilDeadline);
                    // Poll now and then: connections may close without any event on this loop.
                    timeoutNanos = Math.min(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(10));
                }
                if (handedOff) {
                    handedOff = false;
                    if (timeoutNanos != 0 && st == RUNNING) {
                        awaitReply(timeoutNanos);
                    }
                }
                if (active
                        && timeoutNanos != 0
                        && st == RUNNING
                        && ACTIVE_POLL_NANOS > 0
                        && eventGapNanos < 2 * ACTIVE_POLL_NANOS
                        && tasks.isEmpty()) {
                    long start = System.nanoTime();
                    if (pollActive(start, timeoutNanos)) {
                        noteEventGap(System.nanoTime() - start);
                        runTimers();
                        runTasks(MAX_TASKS_PER_TURN);
                        continue;
                    }
                    if (!tasks.isEmpty()) {
                        runTimers();
                        runTasks(MAX_TASKS_PER_TURN);
                        continue;
                    }
                    // Nothing within the poll: sleep, and count the whole wait below.
                }
                AWAKE.setVolatile(this, 0);
                long sleptAt = ACTIVE_POLL_NANOS > 0 ? System.nanoTime() : 0;
                int ready;
                if (!tasks.isEmpty() || timeoutNanos == 0 || state == STOPPING) {
                    ready = selector.selectNow(keyHandler);
                } else if (timeoutNanos < 0) {
                    ready = selector.select(keyHandler, 0);
                } else {
                    ready = selector.select(
                            keyHandler, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
                }
                active = ready > 0;
                if (active && ACTIVE_POLL_NANOS > 0) {
                    noteEventGap(System.nanoTime() - sleptAt);
                }
                AWAKE.setVolatile(this, 1);
                runTimers();
                runTasks(MAX_TASKS_PER_TURN);
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + " failed", t);
            abortAll();
        } finally {
            terminate();
        }
    }

    /**
     * Polls the task queue for a short while (never past the next timer): a listener answering
     * the events just handed over queues its write here, and finding it now saves the producer's
     * {@code selector.wakeup()} and this thread's sleep and wake-up. AWAKE stays 1 meanwhile, so
     * producers do not wake the selector.
     */
    private void awaitReply(long timeoutNanos) {
        long wait = REPLY_WAIT_NANOS;
        if (wait == 0 || !tasks.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + (timeoutNanos < 0 ? wait : Math.min(wait, timeoutNanos));
        int polls = 0;
        while (tasks.isEmpty() && BoundedPoll.pause(++polls, deadline)) {
            // polling
        }
    }

    /**
     * Looks at the sockets without sleeping for up to {@link #ACTIVE_POLL_NANOS} (never past the
     * next timer) until one is ready or a task arrives; true if sockets were ready. AWAKE stays 1,
     * so producers do not wake the selector meanwhile.
     */
    private boolean pollActive(long start, long timeoutNanos) throws IOException {
        long deadline = start + (timeoutNanos < 0 ? ACTIVE_POLL_NANOS : Math.min(ACTIVE_POLL_NANOS, timeoutNanos));
        int polls = 0;
        do {
            if (selector.selectNow(keyHandler) > 0) {
                return true;
            }
        } while (tasks.isEmpty() && BoundedPoll.pause(++polls, deadline));
        return false;
    }

    private void noteEventGap(long waitedNanos) {
        // An average over about the last eight waits: one long pause does not stop the polling of
        // a busy exchange for good, and a few quick events do not start it on a quiet one.
        long gap = eventGapNanos;
        eventGapNanos = gap > ACTIVE_POLL_NANOS * 64 ? waitedNanos : gap + (waitedNanos - gap) / 8;
    }

    private void processKey(SelectionKey key) {
        Object attachment = key.attachment();
        try {
            if (attachment instanceof Connection c) {
                c.onSelected(key);
            } else if (attachment instanceof Acceptor a) {
                a.onAcceptable();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure on " + attachment, t);
            if (attachment instanceof Connection c) {
                c.closeWith(t);
            }
        }
    }

    private long nextTimerDelay() {
        ScheduledTask first = timers.peek();
        return first == null ? -1 : Math.max(0, first.deadlineNanos - System.nanoTime());
    }

    private void runTimers() {
        long now = System.nanoTime();
        ScheduledTask first;
        while ((first = timers.peek()) != null && first.deadlineNanos - now <= 0) {
            timers.poll();
            if (first.expire()) {
                safeRun(first.task);
            }
        }
    }

    private void runTasks(int max) {
        Runnable task;
        for (int i = 0; i < max && (task = tasks.poll()) != null; i++) {
            safeRun(task);
        }
    }

    private void safeRun(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "a task on " + thread.getName() + " failed", t);
        }
    }

    /** True when the loop may terminate now. */
    private boolean shuttingDownIsComplete(int st) {
        if (st == STOPPING) {
            abortAll();
            return true;
        }
        if (!shutdownStarted) {
            shutdownStarted = true;
            for (Object attachment : attachments()) {
                if (attachment instanceof Connection c) {
                    c.close();
                } else if (attachment instanceof Acceptor a) {
                    a.close();
                }
            }
        }
        if (System.nanoTime() - shutdownDeadline >= 0) {
            abortAll();
            return true;
        }
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                return false;
            }
        }
        return tasks.isEmpty();
    }

    private void abortAll() {
        for (Object attachment : attachments()) {
            if (attachment instanceof Connection c) {
                c.closeWith(null);
            } else if (attachment instanceof Acceptor a) {
                a.closeOnLoop();
            }
        }
    }

    private List<Object> attachments() {
        List<Object> result = new ArrayList<>();
        try {
            for (SelectionKey key : selector.keys()) {
                Object attachment = key.attachment();
                if (key.isValid() && attachment != null) {
                    result.add(attachment);
                }
            }
        } catch (RuntimeException e) {
            // The selector is closed: nothing is registered any more.
        }
        return result;
    }

    private void terminate() {
        state = TERMINATED;
        // Tasks that slipped in before TERMINATED was visible still run, so none is lost silently:
        // writes they schedule see closed connections and fail their futures.
        Runnable task;
        while ((task = tasks.poll()) != null) {
            safeRun(task);
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector failed", e);
        }
        termination.complete(null);
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("event loop " + thread.getName() + " is shut down");
    }

    @Override
    public String toString() {
        return "EventLoop[" + thread.getName() + "]";
    }

    /** The I/O thread, which knows its loop so that {@link #noteHandOff()} costs a type check. */
    private static final class LoopThread extends Thread {
        final EventLoop loop;

        LoopThread(EventLoop loop, String name) {
            super(name);
            this.loop = loop;
        }

        @Override
        public void run() {
            loop.run();
        }
    }
}
