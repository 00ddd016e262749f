package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client listener that records each event as a line: {@code open}, {@code text X}, {@code binary N}, {@code close CODE REASON wasClean}. */
final class ClientEvents implements WebSocketListener {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void onOpen(WebSocket ws) {
        events.add("open");
    }

    @Override
    public void onText(WebSocket ws, String text) {
        events.add("text " + text);
    }

    @Override
    public void onBinary(WebSocket ws, ByteBuffer data) {
        events.add("binary " + data.remaining());
    }

    @Override
    public void onPong(WebSocket ws, ByteBuffer payload) {
        events.add("pong " + StandardCharsets.UTF_8.decode(payload));
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        events.add("error " + error.getClass().getSimpleName());
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
        events.add("close " + code + " " + reason + " " + wasClean);
    }

    /** The next event, waiting at most 10 seconds. */
    String next() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    /** Whether no event is waiting. */
    boolean isEmpty() {
        return events.isEmpty();
    }
}
