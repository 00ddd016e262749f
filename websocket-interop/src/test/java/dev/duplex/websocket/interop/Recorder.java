package dev.duplex.websocket.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Duplex listener (client side) or endpoint's view (server side) that queues a connection's
 * events in order, for tests that take them one by one with a bounded wait.
 */
final class Recorder implements WebSocketListener {

    sealed interface Event {}

    record Open() implements Event {}

    record Text(String text) implements Event {}

    record Binary(byte[] bytes) implements Event {}

    record Ping(String payload) implements Event {}

    record Pong(String payload) implements Event {}

    record Error(Throwable error) implements Event {}

    record Close(int code, String reason, boolean wasClean) implements Event {}

    static final long WAIT_SECONDS = 30;

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void onOpen(WebSocket webSocket) {
        events.add(new Open());
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        events.add(new Text(text));
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        events.add(new Binary(bytes(data)));
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        events.add(new Ping(StandardCharsets.UTF_8.decode(payload).toString()));
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        events.add(new Pong(StandardCharsets.UTF_8.decode(payload).toString()));
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Error(error));
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
        events.add(new Close(code, reason, wasClean));
    }

    /** Records an event seen by a peer client. */
    void record(Event event) {
        events.add(event);
    }

    /** The next event, failing the test when none comes within the bound. */
    Event next() throws InterruptedException {
        Event event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            fail("no event within " + WAIT_SECONDS + " s");
        }
        return event;
    }

    /** The next event, which must be of {@code type}. */
    <E extends Event> E next(Class<E> type) throws InterruptedException {
        Event event = next();
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }

    /** The next event, skipping pongs (answers to keep-alive pings some peers send unasked). */
    Event nextIgnoringPongs() throws InterruptedException {
        Event event = next();
        while (event instanceof Pong) {
            event = next();
        }
        return event;
    }

    /** Asserts that nothing more was recorded. */
    void assertExhausted() {
        assertThat(events).isEmpty();
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }
}
