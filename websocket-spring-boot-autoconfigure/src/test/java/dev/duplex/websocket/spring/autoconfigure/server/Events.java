package dev.duplex.websocket.spring.autoconfigure.server;

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

/**
 * Records a client connection's (or a server endpoint's) events as short strings, in order:
 * {@code open}, {@code text:…}, {@code binary:<n>}, {@code pong:…}, {@code error:<class>},
 * {@code close:<code>}. Waits are bounded.
 */
final class Events implements WebSocketListener {

    private static final long WAIT_SECONDS = 20;

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    synchronized void add(String event) {
        all.add(event);
        queue.add(event);
    }

    /** The next event, waiting at most 20 s. */
    String next() throws InterruptedException {
        String e = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(e).as("an event within " + WAIT_SECONDS + " s").isNotNull();
        return e;
    }

    /** Skips events until one starting with {@code prefix}, and returns it. */
    String nextStartingWith(String prefix) throws InterruptedException {
        while (true) {
            String e = next();
            if (e.startsWith(prefix)) {
                return e;
            }
        }
    }

    synchronized List<String> all() {
        return List.copyOf(all);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        add("open");
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        add("text:" + text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        add("binary:" + data.remaining());
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        add("pong:" + StandardCharsets.UTF_8.decode(payload));
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        add("error:" + error.getClass().getSimpleName());
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
        add("close:" + code);
    }
}
