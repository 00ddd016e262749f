package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class InMemoryConnectionRegistryTest {

    private final InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();

    @Test
    void findsAndSendsById() {
        FakeSocket a = new FakeSocket("a");
        registry.register(a, "/chat/{room}");

        assertThat(registry.find("a")).containsSame(a);
        registry.sendText("a", "hi").join();
        registry.sendObject("a", 42).join();

        assertThat(a.sent).containsExactly("hi", "object 42");
    }

    @Test
    void sendToAMissingIdFailsClearly() {
        CompletableFuture<Void> sent = registry.sendText("gone", "hi");

        assertThatThrownBy(sent::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(UnknownConnectionException.class)
                .hasMessage("No open connection with id gone");
    }

    @Test
    void refusesTheSameIdTwice() {
        registry.register(new FakeSocket("a"), "/x");

        assertThatThrownBy(() -> registry.register(new FakeSocket("a"), "/x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("A connection with id a is already registered");
    }

    @Test
    void listsPerEndpointAndCounts() {
        FakeSocket a = new FakeSocket("a");
        FakeSocket b = new FakeSocket("b");
        FakeSocket c = new FakeSocket("c");
        registry.register(a, "/one");
        registry.register(b, "/one");
        registry.register(c, "/two");

        assertThat(registry.connections("/one")).containsExactlyInAnyOrder(a, b);
        assertThat(registry.connections()).containsExactlyInAnyOrder(a, b, c);
        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.size("/two")).isEqualTo(1);
        assertThat(registry.size("/none")).isZero();
    }

    @Test
    void groupsJoinLeaveAndBroadcast() {
        FakeSocket a = new FakeSocket("a");
        FakeSocket b = new FakeSocket("b");
        FakeSocket c = new FakeSocket("c");
        registry.register(a, "/chat");
        registry.register(b, "/chat");
        registry.register(c, "/chat");

        assertThat(registry.join("room", a)).isTrue();
        assertThat(registry.join("room", b)).isTrue();
        registry.broadcastTextToGroup("room", "to room").join();
        assertThat(registry.leave("room", a)).isTrue();
        assertThat(registry.leave("room", a)).isFalse();
        registry.broadcastTextToGroup("room", "again").join();
        registry.broadcastText("/chat", "to all").join();

        assertThat(a.sent).containsExactly("to room", "to all");
        assertThat(b.sent).containsExactly("to room", "again", "to all");
        assertThat(c.sent).containsExactly("to all");
        assertThat(registry.groupsOf(b)).containsExactly("room");
        assertThat(registry.groupSize("room")).isEqualTo(1);
    }

    @Test
    void broadcastsBinaryWithoutConsumingTheBuffer() {
        FakeSocket a = new FakeSocket("a");
        FakeSocket b = new FakeSocket("b");
        registry.register(a, "/x");
        registry.register(b, "/x");
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3});

        registry.broadcastBinary("/x", data).join();

        assertThat(a.sent).containsExactly("binary 3");
        assertThat(b.sent).containsExactly("binary 3");
        assertThat(data.remaining()).isEqualTo(3);
    }

    @Test
    void aFailedSendDoesNotFailTheBroadcast() {
        FakeSocket a = new FakeSocket("a");
        a.failSends = true;
        FakeSocket b = new FakeSocket("b");
        registry.register(a, "/x");
        registry.register(b, "/x");

        registry.broadcastText("/x", "hi").join();

        assertThat(b.sent).containsExactly("hi");
    }

    @Test
    void unregisterLeavesEveryGroup() {
        FakeSocket a = new FakeSocket("a");
        registry.register(a, "/x");
        registry.join("g1", a);
        registry.join("g2", a);

        registry.unregister(a);

        assertThat(registry.find("a")).isEmpty();
        assertThat(registry.groupCount()).isZero();
        assertThat(registry.size("/x")).isZero();
        assertThat(registry.join("g1", a)).as("a closed connection cannot join").isFalse();
        assertThat(registry.groupCount()).isZero();
    }

    @Test
    void leavesNothingBehindAfter100000Cycles() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        FakeSocket ws = new FakeSocket(thread + "-" + i);
                        registry.register(ws, "/e" + (i % 3));
                        registry.join("room-" + (i % 7), ws);
                        registry.join("all", ws);
                        registry.sendText(ws.id(), "x");
                        registry.unregister(ws);
                    }
                }));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(registry.size()).isZero();
        assertThat(registry.groupCount()).isZero();
        assertThat(registry.connections("/e0")).isEmpty();
        assertThat(registry.toString()).isEqualTo("InMemoryConnectionRegistry[0 connections, 0 groups]");
    }

    /** A WebSocket that records what is sent to it. */
    static final class FakeSocket implements WebSocket {
        final String id;
        final List<String> sent = new CopyOnWriteArrayList<>();
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        volatile boolean failSends;

        FakeSocket(String id) {
            this.id = id;
        }

        private CompletableFuture<Void> record(String what) {
            if (failSends) {
                return CompletableFuture.failedFuture(new IllegalStateException("closed"));
            }
            sent.add(what);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public URI uri() {
            return URI.create("ws://localhost/");
        }

        @Override
        public @Nullable String subprotocol() {
            return null;
        }

        @Override
        public List<String> extensions() {
            return List.of();
        }

        @Override
        public Map<String, List<String>> handshakeHeaders() {
            return Map.of();
        }

        @Override
        public Map<String, Object> attributes() {
            return attributes;
        }

        @Override
        public ReadyState readyState() {
            return ReadyState.OPEN;
        }

        @Override
        public long bufferedAmount() {
            return 0;
        }

        @Override
        public CompletableFuture<Void> sendText(CharSequence text) {
            return record(text.toString());
        }

        @Override
        public CompletableFuture<Void> sendText(CharSequence text, int fragmentSize) {
            return record(text.toString());
        }

        @Override
        public CompletableFuture<Void> sendBinary(ByteBuffer data) {
            return record("binary " + data.remaining());
        }

        @Override
        public CompletableFuture<Void> sendBinary(ByteBuffer data, int fragmentSize) {
            return record("binary " + data.remaining());
        }

        @Override
        public CompletableFuture<Void> sendObject(Object value) {
            return record("object " + value);
        }

        @Override
        public CompletableFuture<Void> sendText(Reader reader, int fragmentSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> sendBinary(InputStream in, int fragmentSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Writer textWriter(int fragmentSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OutputStream binaryStream(int fragmentSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Duration> ping(ByteBuffer payload, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> pong(ByteBuffer payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<CloseReason> close(int code, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort() {}

        @Override
        public CompletableFuture<CloseReason> closeFuture() {
            return new CompletableFuture<>();
        }

        @Override
        public Message receive(Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }
}
