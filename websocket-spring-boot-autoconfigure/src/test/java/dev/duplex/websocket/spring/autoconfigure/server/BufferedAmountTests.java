package dev.duplex.websocket.spring.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.SendOverflowException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The buffered amount on the Spring path, against a raw-socket client that stops reading: it rises
 * (and the {@code duplex.websocket.buffered} gauge with it) while the client reads nothing, falls to 0
 * once the client reads everything, and the overflow policy decides what a send past the maximum does.
 */
@SpringBootTest(classes = BufferedAmountTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BufferedAmountTests {

    private static final int MESSAGE = 64 * 1024;
    private static final long MAX_BUFFERED = 512 * 1024;
    /** Far more than loopback's socket buffers hold: the sends stop being written well before. */
    private static final int MAX_SENDS = 2_000;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({FailOnOverflow.class, CloseOnOverflow.class})
    static class App {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** Hands each opened connection to the test, which sends from its own thread. */
    abstract static class Flood extends DuplexEndpoint {
        final BlockingQueue<WebSocket> opened = new LinkedBlockingQueue<>();
        final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            opened.add(webSocket);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
            closeCodes.add(reason.code());
        }

        WebSocket next() throws InterruptedException {
            WebSocket ws = opened.poll(10, TimeUnit.SECONDS);
            assertThat(ws).as("a connection opened within 10 s").isNotNull();
            return ws;
        }
    }

    @WebSocketEndpoint(path = "/flood/fail", maxBufferedAmount = "512KB", overflowPolicy = "FAIL")
    static class FailOnOverflow extends Flood {}

    @WebSocketEndpoint(path = "/flood/close", maxBufferedAmount = "512KB", overflowPolicy = "CLOSE")
    static class CloseOnOverflow extends Flood {}

    @LocalServerPort
    int port;

    @Autowired
    FailOnOverflow failOnOverflow;

    @Autowired
    CloseOnOverflow closeOnOverflow;

    @Autowired
    SimpleMeterRegistry meters;

    private final ByteBuffer chunk = ByteBuffer.allocate(MESSAGE).asReadOnlyBuffer();

    @Test
    void risesWhileTheClientStopsReadingAndFallsAfterItResumes() throws Exception {
        try (RawClient client = RawClient.connect(port, "/flood/fail")) {
            WebSocket ws = failOnOverflow.next();
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            CompletableFuture<Void> refused = fillUntilStuck(ws, accepted);

            assertThat(refused.handle((v, e) -> e).join()).isInstanceOfSatisfying(SendOverflowException.class, e -> {
                assertThat(e.maxBufferedAmount()).isEqualTo(MAX_BUFFERED);
            });
            assertThat(ws.bufferedAmount()).isPositive().isLessThanOrEqualTo(MAX_BUFFERED);
            assertThat(bufferedGauge("/flood/fail")).isPositive().isLessThanOrEqualTo(MAX_BUFFERED);
            assertThat(ws.readyState()).isEqualTo(ReadyState.OPEN);

            for (int i = 0; i < accepted.size(); i++) {
                RawClient.Frame frame = client.readFrame();
                assertThat(frame.opcode()).isEqualTo(RawClient.BINARY);
                assertThat(frame.length()).isEqualTo(MESSAGE);
            }
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(ws.bufferedAmount()).isZero();
                assertThat(bufferedGauge("/flood/fail")).isZero();
            });

            ws.sendText("still open").get(10, TimeUnit.SECONDS);
            RawClient.Frame after = client.readFrame();
            assertThat(after.opcode()).isEqualTo(RawClient.TEXT);
            assertThat(after.text()).isEqualTo("still open");
        }
    }

    @Test
    void closesWith1008WhenASendPassesTheMaximumUnderTheClosePolicy() throws Exception {
        try (RawClient client = RawClient.connect(port, "/flood/close")) {
            WebSocket ws = closeOnOverflow.next();
            CompletableFuture<Void> refused = null;
            for (int i = 0; i < MAX_SENDS && refused == null; i++) {
                CompletableFuture<Void> f = ws.sendBinary(chunk.duplicate());
                if (f.isCompletedExceptionally()) {
                    refused = f;
                }
            }
            assertThat(refused)
                    .as("a send refused within " + MAX_SENDS + " sends")
                    .isNotNull();
            assertThat(refused.handle((v, e) -> e).join()).isInstanceOf(SendOverflowException.class);
            // Tomcat reports the end as soon as its close frame is out, so CLOSED may come at once.
            assertThat(ws.readyState()).isIn(ReadyState.CLOSING, ReadyState.CLOSED);
            assertThat(ws.sendText("too late")).isCompletedExceptionally();

            RawClient.Frame close = client.readUntilClose(MAX_SENDS);
            assertThat(close.closeCode()).isEqualTo(CloseReason.POLICY_VIOLATION);
            client.sendClose(CloseReason.POLICY_VIOLATION);

            assertThat(ws.closeFuture().get(10, TimeUnit.SECONDS).code()).isEqualTo(CloseReason.POLICY_VIOLATION);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(closeOnOverflow.closeCodes).containsExactly(1008));
            assertThat(ws.bufferedAmount()).isZero();
        }
    }

    /**
     * Sends 64 KiB messages until one is refused for overflow and the writes have stopped making
     * progress: the socket buffers are full and what stays queued waits for the client. Bounded.
     *
     * @return the last refused send
     */
    private CompletableFuture<Void> fillUntilStuck(WebSocket ws, List<CompletableFuture<Void>> accepted)
            throws InterruptedException {
        int sends = 0;
        while (sends < MAX_SENDS) {
            CompletableFuture<Void> refused = null;
            while (refused == null && sends < MAX_SENDS) {
                CompletableFuture<Void> f = ws.sendBinary(chunk.duplicate());
                sends++;
                if (f.isCompletedExceptionally()) {
                    refused = f;
                } else {
                    accepted.add(f);
                }
            }
            long written = accepted.stream().filter(CompletableFuture::isDone).count();
            Thread.sleep(100); // lets the container write what the socket still takes
            long writtenLater =
                    accepted.stream().filter(CompletableFuture::isDone).count();
            if (refused != null && written == writtenLater && ws.bufferedAmount() > 0) {
                return refused;
            }
        }
        return fail("the buffered amount did not stay above 0 within " + MAX_SENDS + " sends");
    }

    private double bufferedGauge(String endpoint) {
        return meters.get("duplex.websocket.buffered")
                .tag("side", "server")
                .tag("endpoint", endpoint)
                .gauge()
                .value();
    }

    /**
     * A WebSocket client on a plain socket with a small receive buffer, so that not reading
     * back-pressures the server quickly. Reads frames only when asked.
     */
    private static final class RawClient implements AutoCloseable {
        static final int TEXT = 0x1;
        static final int BINARY = 0x2;
        static final int CLOSE = 0x8;

        /** RFC 6455 section 1.3: the sample key and its accept value. */
        private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

        private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

        record Frame(int opcode, long length, byte[] head) {
            String text() {
                return new String(head, StandardCharsets.UTF_8);
            }

            int closeCode() {
                return ((head[0] & 0xff) << 8) | (head[1] & 0xff);
            }
        }

        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawClient connect(int port, String path) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(8 * 1024); // before connect, so the window stays small
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            RawClient client = new RawClient(socket);
            client.handshake(port, path);
            return client;
        }

        private void handshake(int port, String path) throws IOException {
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + KEY + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                if (head.size() > 8192) {
                    throw new IOException("No end of the response head within 8 KiB");
                }
                int b = in.readUnsignedByte();
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String response = head.toString(StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 101").containsIgnoringCase("Sec-WebSocket-Accept: " + ACCEPT);
        }

        /** One unfragmented frame; keeps at most the first 125 payload bytes. */
        Frame readFrame() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertThat(b0 & 0x80).as("FIN").isNotZero();
            assertThat(b1 & 0x80)
                    .as("a server frame is unmasked (RFC 6455 section 5.1)")
                    .isZero();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] head = new byte[(int) Math.min(length, 125)];
            in.readFully(head);
            in.skipNBytes(length - head.length);
            return new Frame(b0 & 0x0f, length, head);
        }

        /** Reads and drops data frames until the close frame, reading at most {@code limit} frames. */
        Frame readUntilClose(int limit) throws IOException {
            for (int i = 0; i < limit; i++) {
                Frame f = readFrame();
                if (f.opcode() == CLOSE) {
                    return f;
                }
            }
            throw new IOException("No close frame within " + limit + " frames");
        }

        /**
         * A masked close frame (RFC 6455 section 5.3: every client frame is masked). The server may
         * have closed the TCP connection already, which is not an error here.
         */
        void sendClose(int code) {
            byte[] mask = {0x11, 0x22, 0x33, 0x44};
            byte[] payload = {(byte) (code >> 8), (byte) code};
            byte[] frame = new byte[2 + 4 + payload.length];
            frame[0] = (byte) (0x80 | CLOSE);
            frame[1] = (byte) (0x80 | payload.length);
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < payload.length; i++) {
                frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
            }
            try {
                out.write(frame);
                out.flush();
            } catch (IOException e) {
                // the server did not wait for the reply
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
