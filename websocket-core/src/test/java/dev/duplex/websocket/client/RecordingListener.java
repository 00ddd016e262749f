package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records a connection's events in order and checks, as they come, the order the listener
 * contract promises: onOpen at most once and first, at most one onError, onClose exactly once and
 * last, never two events at once.
 */
final class RecordingListener implements WebSocketListener {

    sealed interface Event {}

    record Open(WebSocket webSocket) implements Event {}

    record Text(String text) implements Event {}

    record Binary(byte[] bytes) implements Event {}

    record Ping(String payload) implements Event {}

    record Pong(String payload) implements Event {}

    record Error(Throwable error) implements Event {}

    record Close(int code, String reason, boolean wasClean) implements Event {}

    private static final long WAIT_SECONDS = 20;

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final List<Event> all = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private boolean opened;
    private boolean errored;
    private boolean closed;

    private synchronized void record(Event e) {
        if (running.incrementAndGet() != 1) {
            violations.add("two events at once: " + e);
        }
        try {
            if (closed) {
                violations.add("event after onClose: " + e);
            }
            if (e instanceof Open) {
                if (opened || errored || !all.isEmpty()) {
                    violations.add("onOpen not first or twice");
                }
                opened = true;
            } else if (e instanceof Error) {
                if (errored) {
                    violations.add("onError twice");
                }
                errored = true;
            } else if (e instanceof Close) {
                closed = true;
            } else if (errored) {
                violations.add("message after onError: " + e);
            } else if (!opened) {
                violations.add("message before onOpen: " + e);
            }
            all.add(e);
            queue.add(e);
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        record(new Open(webSocket));
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        record(new Text(text));
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        record(new Binary(bytes));
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        record(new Ping(StandardCharsets.UTF_8.decode(payload).toString()));
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        record(new Pong(StandardCharsets.UTF_8.decode(payload).toString()));
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        record(new Error(error));
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
        record(new Close(code, reason, wasClean));
    }

    /** The next event, waiting a bounded time. */
    Event next() throws InterruptedException {
        Event e = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(e).as("an event within %d s", WAIT_SECONDS).isNotNull();
        return e;
    }

    /** The next event, which must be of {@code type}. */
    <T extends Event> T next(Class<T> type) throws InterruptedException {
        Event e = next();
        assertThat(e).isInstanceOf(type);
        return type.cast(e);
    }

    /** Skips pings and pongs and returns the next other event. */
    Event nextIgnoringControl() throws InterruptedException {
        Event e;
        do {
            e = next();
        } while (e instanceof Ping || e instanceof Pong);
        return e;
    }

    WebSocket awaitOpen() throws InterruptedException {
        return next(Open.class).webSocket();
    }

    String nextText() throws InterruptedException {
        return next(Text.class).text();
    }

    /** The close, skipping messages and control frames but not an error. */
    Close awaitClose() throws InterruptedException {
        Event e;
        do {
            e = next();
        } while (!(e instanceof Close) && !(e instanceof Error));
        return e instanceof Close c ? c : next(Close.class);
    }

    /** Asserts that no event is waiting and that the order was kept. */
    synchronized void assertExhausted() {
        assertThat(queue).as("events not consumed").isEmpty();
        assertThat(violations).as("order violations").isEmpty();
    }

    /** Asserts that the order was kept and onClose came; returns every event. */
    synchronized List<Event> events() {
        assertThat(violations).as("order violations").isEmpty();
        return List.copyOf(all);
    }
}
