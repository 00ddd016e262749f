package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Endpoint features on a real Tomcat (and, in {@link JettyEndpointFeaturesTests}, on Jetty) that the
 * standalone server has too: blocking mode ({@code
 * serve}), fragmented and streamed sends as they appear on the wire, the order of a burst of small
 * (written at once) and large (queued) sends, and what becomes of a client's ping.
 */
@SpringBootTest(classes = EndpointFeaturesTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointFeaturesTests {

    /** The web server the tests expect, checked so that they cannot run silently on another. */
    String expectedServer() {
        return "Tomcat";
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Serving.class, Fragments.class, Burst.class})
    static class App {}

    /**
     * Blocking mode: first proves that {@code receive} times out while the client is silent, then
     * answers each text message with its parts ({@code parts:<n>:<length>}); "bye" returns, "boom"
     * throws.
     */
    @WebSocketEndpoint(path = "/serve", maxTextMessageSize = "1MB")
    static class Serving extends DuplexEndpoint {
        final List<String> hooks = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            hooks.add("open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            hooks.add("onText"); // must not happen in blocking mode
        }

        @Override
        public void serve(WebSocket webSocket) throws Exception {
            try {
                webSocket.receive(Duration.ofMillis(50));
                webSocket.sendText("no timeout");
            } catch (TimeoutException expected) {
                webSocket.sendText("timed out");
            }
            StringBuilder text = new StringBuilder();
            int parts = 0;
            while (true) {
                Message m = webSocket.receive(Duration.ofSeconds(20));
                if (m instanceof Message.Closed) {
                    hooks.add("serve saw close");
                    return;
                }
                Message.Text part = (Message.Text) m;
                text.append(part.text());
                parts++;
                if (!part.last()) {
                    continue;
                }
                String whole = text.toString();
                text.setLength(0);
                if (whole.equals("bye")) {
                    hooks.add("serve returned");
                    return;
                }
                if (whole.equals("boom")) {
                    throw new IllegalStateException("boom");
                }
                webSocket.sendText("parts:" + parts + ":" + whole.length());
                parts = 0;
            }
        }

        @Override
        public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
            hooks.add("close:" + reason.code());
        }

        @Override
        public void onAfterClose(WebSocket webSocket) {
            hooks.add("afterClose");
        }
    }

    /** Sends fragmented messages on request, and records pings that reach it. */
    @WebSocketEndpoint(path = "/fragments")
    static class Fragments extends DuplexEndpoint {
        static final String TEXT = "é".repeat(3000); // 6000 bytes of UTF-8
        final List<String> pings = new CopyOnWriteArrayList<>();
        /** The writer that "live" leaves open and "finish" closes; the container's thread only. */
        private Writer live;

        final BlockingQueue<WebSocket> opened = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            opened.add(webSocket);
        }

        @Override
        public void onText(WebSocket webSocket, String request) {
            try {
                switch (request) {
                    case "text" -> webSocket.sendText(TEXT, 1000);
                    case "binary" -> webSocket.sendBinary(ByteBuffer.wrap(bytes(10_000)), 4096);
                    case "writer" -> {
                        try (Writer w = webSocket.textWriter(500)) {
                            w.write("w".repeat(2000));
                        }
                    }
                    case "stream" -> {
                        try (OutputStream out = webSocket.binaryStream(3000)) {
                            out.write(bytes(7000));
                        }
                    }
                    case "live" -> {
                        live = webSocket.textWriter(100);
                        live.write("l".repeat(150)); // one fragment out, 50 chars waiting
                        webSocket.sendText("between"); // held back until the stream ends
                    }
                    case "finish" -> live.close();
                    default -> webSocket.sendText("unknown " + request);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void onPing(WebSocket webSocket, ByteBuffer payload) {
            pings.add(StandardCharsets.UTF_8.decode(payload).toString());
        }
    }

    /** Answers "burst" with 60 numbered messages, alternately small and larger than the inline limit. */
    @WebSocketEndpoint(path = "/burst", maxTextMessageSize = "1MB")
    static class Burst extends DuplexEndpoint {
        @Override
        public void onText(WebSocket webSocket, String text) {
            for (int i = 0; i < 60; i++) {
                String pad = i % 2 == 0 ? "" : "p".repeat(SpringWebSocket.INLINE_LIMIT * 2);
                webSocket.sendText(i + ":" + pad);
            }
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Autowired
    Serving serving;

    @Autowired
    Fragments fragments;

    private final WebSocketClient client =
            WebSocketClient.builder().maxMessageSize(4 * 1024 * 1024).build();

    @AfterEach
    void closeClient() {
        client.close();
    }

    private WebSocket connect(String path, Events events) throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + port + path), events)
                .get(10, TimeUnit.SECONDS);
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void runsOnTheExpectedServer() {
        assertThat(context.getWebServer().getClass().getSimpleName()).startsWith(expectedServer());
    }

    @Test
    void servesABlockingEndpointWithReceiveTimeoutsPartsAndAReturnThatCloses() throws Exception {
        serving.hooks.clear();
        Events events = new Events();
        WebSocket ws = connect("/serve", events);
        assertThat(events.next()).isEqualTo("open");
        assertThat(events.next()).isEqualTo("text:timed out");

        ws.sendText("hello");
        assertThat(events.next()).isEqualTo("text:parts:1:5");
        // Tomcat reads into an 8 KiB buffer: a 100 000-char message reaches receive() in parts.
        ws.sendText("x".repeat(100_000));
        String parts = events.next();
        assertThat(parts).endsWith(":100000");
        assertThat(Integer.parseInt(parts.split(":")[2])).isGreaterThan(1);

        ws.sendText("bye");
        assertThat(events.next()).isEqualTo("close:1000");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(serving.hooks).contains("afterClose"));
        assertThat(serving.hooks).containsExactly("open", "serve returned", "close:1000", "afterClose");
    }

    @Test
    void closesWith1011WhenServeThrows() throws Exception {
        serving.hooks.clear();
        Events events = new Events();
        WebSocket ws = connect("/serve", events);
        assertThat(events.nextStartingWith("text:")).isEqualTo("text:timed out");
        ws.sendText("boom");
        assertThat(events.next()).isEqualTo("close:1011");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(serving.hooks).containsExactly("open", "close:1011", "afterClose"));
    }

    @Test
    void endsServeWithClosedWhenTheClientCloses() throws Exception {
        serving.hooks.clear();
        Events events = new Events();
        WebSocket ws = connect("/serve", events);
        assertThat(events.nextStartingWith("text:")).isEqualTo("text:timed out");
        ws.close(4000, "done").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(serving.hooks).contains("afterClose"));
        assertThat(serving.hooks).containsExactlyInAnyOrder("open", "close:4000", "serve saw close", "afterClose");
        assertThat(serving.hooks).endsWith("afterClose");
    }

    @Test
    void sendsTextInFragmentsOfTheGivenSizeCutAtCodePoints() throws Exception {
        try (FrameClient raw = FrameClient.connect(port, "/fragments")) {
            raw.sendText("text");
            List<FrameClient.Frame> frames = readMessage(raw);
            assertThat(frames).hasSize(6);
            assertThat(frames.get(0).opcode()).isEqualTo(FrameClient.TEXT);
            assertThat(frames.subList(1, 6))
                    .allSatisfy(f -> assertThat(f.opcode()).isEqualTo(FrameClient.CONTINUATION));
            assertThat(frames).allSatisfy(f -> assertThat(f.payload()).hasSize(1000));
            assertThat(new String(join(frames), StandardCharsets.UTF_8)).isEqualTo(Fragments.TEXT);
        }
    }

    @Test
    void sendsBinaryInFragmentsOfTheGivenSize() throws Exception {
        try (FrameClient raw = FrameClient.connect(port, "/fragments")) {
            raw.sendText("binary");
            List<FrameClient.Frame> frames = readMessage(raw);
            assertThat(frames).extracting(f -> f.payload().length).containsExactly(4096, 4096, 1808);
            assertThat(frames.get(0).opcode()).isEqualTo(FrameClient.BINARY);
            assertThat(join(frames)).isEqualTo(bytes(10_000));
        }
    }

    @Test
    void sendsStreamedMessagesInFragmentsOfTheStreamsSize() throws Exception {
        try (FrameClient raw = FrameClient.connect(port, "/fragments")) {
            raw.sendText("writer");
            List<FrameClient.Frame> text = readMessage(raw);
            assertThat(text).extracting(f -> f.payload().length).containsExactly(500, 500, 500, 500);
            assertThat(new String(join(text), StandardCharsets.UTF_8)).isEqualTo("w".repeat(2000));

            raw.sendText("stream");
            List<FrameClient.Frame> binary = readMessage(raw);
            assertThat(binary).extracting(f -> f.payload().length).containsExactly(3000, 3000, 1000);
            assertThat(join(binary)).isEqualTo(bytes(7000));
        }
    }

    @Test
    void streamsFragmentsAsTheyFillAndHoldsOtherMessagesUntilTheStreamCloses() throws Exception {
        try (FrameClient raw = FrameClient.connect(port, "/fragments")) {
            raw.sendText("live");
            FrameClient.Frame first = raw.readFrame();
            assertThat(first.fin()).isFalse();
            assertThat(first.opcode()).isEqualTo(FrameClient.TEXT);
            assertThat(first.text()).isEqualTo("l".repeat(100));

            raw.sendText("finish");
            FrameClient.Frame last = raw.readFrame();
            assertThat(last.fin()).isTrue();
            assertThat(last.opcode()).isEqualTo(FrameClient.CONTINUATION);
            assertThat(last.text()).isEqualTo("l".repeat(50));
            FrameClient.Frame between = raw.readFrame();
            assertThat(between.fin()).isTrue();
            assertThat(between.opcode()).isEqualTo(FrameClient.TEXT);
            assertThat(between.text()).isEqualTo("between");
        }
    }

    /**
     * Documents a difference from the standalone server: the container answers a ping itself and
     * the Jakarta API has no handler for pings, so {@code onPing} is not called under Spring.
     */
    @Test
    void theContainerAnswersPingsWithoutTheOnPingHook() throws Exception {
        fragments.pings.clear();
        try (FrameClient raw = FrameClient.connect(port, "/fragments")) {
            raw.sendFrame(true, FrameClient.PING, "are you there".getBytes(StandardCharsets.UTF_8));
            FrameClient.Frame pong = raw.readFrame();
            assertThat(pong.opcode()).isEqualTo(FrameClient.PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            raw.sendText("text"); // a message after the ping: its hook runs after any ping hook would have
            assertThat(readMessage(raw)).isNotEmpty();
        }
        assertThat(fragments.pings).isEmpty();
    }

    @Test
    void keepsTheOrderOfABurstOfSmallAndLargeSends() throws Exception {
        Events events = new Events();
        WebSocket ws = connect("/burst", events);
        assertThat(events.next()).isEqualTo("open");
        ws.sendText("burst");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String e = events.next();
            order.add(Integer.parseInt(e.substring("text:".length(), e.indexOf(':', "text:".length()))));
        }
        assertThat(order).isSortedAccordingTo(Integer::compare).hasSize(60).doesNotHaveDuplicates();
        ws.close().get(10, TimeUnit.SECONDS);
    }

    /**
     * A small reply is written at once on the container's thread, which waits when the peer stops
     * reading, as a plain handler's send does: that must stall only that connection. Others keep
     * working, sends from other threads return at once (queued, counted in the buffered amount),
     * and the connection ends when the peer goes away.
     */
    @Test
    void aPeerThatStopsReadingStallsOnlyItsOwnConnection() throws Exception {
        fragments.opened.clear();
        FrameClient flooder = FrameClient.connect(port, "/fragments", 8 * 1024);
        WebSocket flooded = fragments.opened.poll(10, TimeUnit.SECONDS);
        assertThat(flooded).isNotNull();
        byte[] request = "f".repeat(1000).getBytes(StandardCharsets.UTF_8); // answered "unknown fff…"
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 50_000; i++) {
                    flooder.sendFrame(true, FrameClient.TEXT, request);
                }
            } catch (IOException e) {
                // the socket was closed under the writer, which ends it
            }
        });
        writer.setDaemon(true);
        writer.start();
        try {
            // Probe from this thread until a send stays queued for half a second: the replies no
            // longer drain. Each probe returns at once, queued or not.
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
                CompletableFuture<Void> probe = flooded.sendText("probe");
                Thread.sleep(500);
                return !probe.isDone() && flooded.bufferedAmount() > 0;
            });

            try (FrameClient other = FrameClient.connect(port, "/fragments")) {
                other.sendText("binary");
                assertThat(join(readMessage(other))).isEqualTo(bytes(10_000));
            }
        } finally {
            flooder.close();
        }
        assertThat(flooded.closeFuture().get(30, TimeUnit.SECONDS).code()).isNotEqualTo(CloseReason.NORMAL_CLOSURE);
        writer.join(10_000);
        assertThat(writer.isAlive()).isFalse();
    }

    /** Reads the frames of one data message, up to its final frame (at most 100). */
    private static List<FrameClient.Frame> readMessage(FrameClient raw) throws IOException {
        List<FrameClient.Frame> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FrameClient.Frame f = raw.readFrame();
            if (f.opcode() >= FrameClient.CLOSE) {
                assertThat(f.opcode()).as("a control frame").isNotEqualTo(FrameClient.CLOSE);
                continue;
            }
            frames.add(f);
            if (f.fin()) {
                return frames;
            }
        }
        throw new IOException("No final frame within 100 frames");
    }

    private static byte[] join(List<FrameClient.Frame> frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (FrameClient.Frame f : frames) {
            all.writeBytes(f.payload());
        }
        return all.toByteArray();
    }
}
