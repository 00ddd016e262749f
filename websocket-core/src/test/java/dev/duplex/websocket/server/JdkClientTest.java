package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone server against the JDK's own WebSocket client, an independent implementation. */
class JdkClientTest {

    private WebSocketServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(2)
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Collects what the JDK client receives. */
    static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add(bytes);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object o = received.poll(5, TimeUnit.SECONDS);
            assertThat(o).as("a message within 5 s").isNotNull();
            return o;
        }
    }

    private WebSocket connect(String path, Collector collector) throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), collector)
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void echoesTextAndBinary() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = connect("/echo", collector);

        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(collector.next()).isEqualTo("hello");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertThat((byte[]) collector.next()).containsExactly(1, 2, 3);
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);

        assertThat(collector.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void echoesAMessageTheClientFragments() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = connect("/echo", collector);

        ws.sendText("frag", false).get(5, TimeUnit.SECONDS);
        ws.sendText("ment", true).get(5, TimeUnit.SECONDS);

        assertThat(collector.next()).isEqualTo("fragment");
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void echoesLargeMessages() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = connect("/echo", collector);
        String big = "x".repeat(300_000);

        ws.sendText(big, true).get(5, TimeUnit.SECONDS);

        assertThat(collector.next()).isEqualTo(big);
        ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void gracefulStopSendsGoingAwayToTheClient() throws Exception {
        Collector collector = new Collector();
        connect("/echo", collector);
        assertThat(server.openConnections()).isEqualTo(1);

        server.stop();

        assertThat(collector.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(server.isRunning()).isFalse();
    }
}
