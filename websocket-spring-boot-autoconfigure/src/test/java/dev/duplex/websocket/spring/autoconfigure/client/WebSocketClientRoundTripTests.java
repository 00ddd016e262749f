package dev.duplex.websocket.spring.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.handshake.AcceptKey;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.HandshakeRequest;
import dev.duplex.websocket.server.HandshakeResponse;
import dev.duplex.websocket.server.WebSocketServer;
import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMeterBinder;
import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMeters;
import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMetricsAutoConfiguration;
import dev.duplex.websocket.transport.ProtocolOptions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * The client bean of a context without a web server, against a standalone {@link WebSocketServer}
 * and hand-made peers on 127.0.0.1, with Boot's Micrometer auto-configuration and a {@link
 * SimpleMeterRegistry}. The server reports to the same meter binder, so both sides are checked.
 */
class WebSocketClientRoundTripTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TEMPLATE = "/echo/{room}";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    WebSocketMetricsAutoConfiguration.class,
                    WebSocketClientAutoConfiguration.class))
            .withPropertyValues("duplex.websocket.client.io-threads=1");

    record Greeting(String text, int count) {}

    @Test
    void sendsAnObjectAsJsonAndCountsTheTrafficOnBothSides() {
        runner.withPropertyValues(
                        "duplex.websocket.client.headers.X-Api-Key=k1",
                        "duplex.websocket.client.subprotocols=chat.v2,chat.v1")
                .run(ctx -> {
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
                    EchoEndpoint endpoint = new EchoEndpoint();
                    try (WebSocketServer server = server(ctx, endpoint)) {
                        Recorder recorder = new Recorder();
                        WebSocket ws = client(ctx)
                                .connect("ws://127.0.0.1:" + server.port() + "/echo/lobby", recorder)
                                .get(10, TimeUnit.SECONDS);
                        assertThat(ws.subprotocol()).isEqualTo("chat.v2");
                        assertThat(endpoint.apiKeys).containsExactly("k1");
                        assertThat(endpoint.offered).containsExactly(List.of("chat.v2", "chat.v1"));

                        ws.sendObject(new Greeting("héllo", 3)).get(10, TimeUnit.SECONDS);
                        String json = "{\"text\":\"héllo\",\"count\":3}";
                        int jsonBytes = json.getBytes(StandardCharsets.UTF_8).length;
                        assertThat(recorder.texts.poll(10, TimeUnit.SECONDS)).isEqualTo(json);
                        assertThat(endpoint.received).containsExactly(json);

                        ws.ping(ByteBuffer.wrap(new byte[] {1, 2, 3}), WAIT).get(10, TimeUnit.SECONDS);
                        ws.ping(ByteBuffer.wrap(new byte[] {4}), WAIT).get(10, TimeUnit.SECONDS);

                        assertThat(gauge(registry, WebSocketMeters.CONNECTIONS_ACTIVE, "client", "client"))
                                .isEqualTo(1);
                        await().atMost(WAIT)
                                .untilAsserted(() -> assertThat(
                                                gauge(registry, WebSocketMeters.CONNECTIONS_ACTIVE, "server", TEMPLATE))
                                        .isEqualTo(1));

                        ws.close(1000, "done").get(10, TimeUnit.SECONDS);
                        assertThat(recorder.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
                        await().atMost(WAIT)
                                .untilAsserted(() -> assertThat(count(
                                                registry,
                                                WebSocketMeters.CONNECTIONS_CLOSED,
                                                "server",
                                                TEMPLATE,
                                                "1000"))
                                        .isEqualTo(1));

                        for (String[] side : new String[][] {{"client", "client"}, {"server", TEMPLATE}}) {
                            String s = side[0];
                            String e = side[1];
                            assertThat(count(registry, WebSocketMeters.CONNECTIONS_OPENED, s, e))
                                    .isEqualTo(1);
                            assertThat(count(registry, WebSocketMeters.CONNECTIONS_CLOSED, s, e, "1000"))
                                    .isEqualTo(1);
                            assertThat(gauge(registry, WebSocketMeters.CONNECTIONS_ACTIVE, s, e))
                                    .isZero();
                            assertThat(traffic(registry, WebSocketMeters.MESSAGES, s, "out", "text"))
                                    .isEqualTo(1);
                            assertThat(traffic(registry, WebSocketMeters.MESSAGES, s, "in", "text"))
                                    .isEqualTo(1);
                            assertThat(traffic(registry, WebSocketMeters.BYTES, s, "out", "text"))
                                    .isEqualTo(jsonBytes);
                            assertThat(traffic(registry, WebSocketMeters.BYTES, s, "in", "text"))
                                    .isEqualTo(jsonBytes);
                            assertThat(traffic(registry, WebSocketMeters.MESSAGES, s, "in", "binary"))
                                    .isZero();
                        }
                        assertThat(registry.get(WebSocketMeters.PING_ROUND_TRIP)
                                        .tag(WebSocketMeters.SIDE, "client")
                                        .timer()
                                        .count())
                                .isEqualTo(2);
                        assertThat(registry.get(WebSocketMeters.PING_ROUND_TRIP)
                                        .tag(WebSocketMeters.SIDE, "server")
                                        .timer()
                                        .count())
                                .isZero(); // the server answered pings, it sent none
                        assertThat(endpointTags(registry)).containsOnly("client", TEMPLATE);
                    }
                });
    }

    @Test
    void closingTheContextClosesItsConnectionsWith1001() throws Exception {
        CloseRecordingEndpoint endpoint = new CloseRecordingEndpoint();
        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .endpoint(TEMPLATE, endpoint)
                .build()
                .start()) {
            runner.run(ctx -> client(ctx)
                    .connect("ws://127.0.0.1:" + server.port() + "/echo/bye", new Recorder())
                    .get(10, TimeUnit.SECONDS));
            assertThat(endpoint.code.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        }
    }

    @Test
    void countsFailedHandshakesByReason() {
        runner.run(ctx -> {
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            WebSocketClient client = client(ctx);
            try (WebSocketServer server = server(ctx, new EchoEndpoint())) {
                CompletableFuture<WebSocket> notFound =
                        client.connect("ws://127.0.0.1:" + server.port() + "/nowhere", new Recorder());
                assertThatExceptionOfType(ExecutionException.class)
                        .isThrownBy(() -> notFound.get(10, TimeUnit.SECONDS))
                        .havingCause()
                        .isInstanceOfSatisfying(
                                HandshakeException.class,
                                e -> assertThat(e.status()).isEqualTo(404));

                int closedPort = closedPort();
                CompletableFuture<WebSocket> refused =
                        client.connect("ws://127.0.0.1:" + closedPort + "/echo/x", new Recorder());
                assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(10, TimeUnit.SECONDS));

                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(failures(registry, "client", "client", "404")).isEqualTo(1);
                    assertThat(failures(registry, "client", "client", "refused"))
                            .isEqualTo(1);
                    assertThat(failures(registry, "server", "unmatched", "404")).isEqualTo(1);
                });
                assertThat(registry.find(WebSocketMeters.CONNECTIONS_OPENED).counters())
                        .isEmpty();
            }
        });
    }

    @Test
    void bufferedGaugesRiseWhileThePeerStopsReadingAndFallAfter() {
        runner.run(ctx -> {
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            try (StalledPeer peer = StalledPeer.start()) {
                WebSocket ws = client(ctx)
                        .connect("ws://127.0.0.1:" + peer.port() + "/stalled", new Recorder())
                        .get(10, TimeUnit.SECONDS);
                // 12 MiB: more than the kernel's socket buffers hold, less than the 16 MiB ceiling
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 192; i++) {
                    sends.add(ws.sendBinary(ByteBuffer.wrap(chunk)));
                }
                await().atMost(WAIT).untilAsserted(() -> {
                    long buffered = ws.bufferedAmount();
                    assertThat(buffered).isPositive();
                    assertThat(gauge(registry, WebSocketMeters.BUFFERED, "client", "client"))
                            .isEqualTo(buffered);
                    assertThat(gauge(registry, WebSocketMeters.BUFFERED_MAX, "client", "client"))
                            .isEqualTo(buffered);
                });
                assertThat(traffic(registry, WebSocketMeters.MESSAGES, "client", "out", "binary"))
                        .isEqualTo(192);
                assertThat(traffic(registry, WebSocketMeters.BYTES, "client", "out", "binary"))
                        .isEqualTo(192 * 64 * 1024);

                peer.resume();
                CompletableFuture.allOf(sends.toArray(CompletableFuture<?>[]::new))
                        .get(20, TimeUnit.SECONDS);
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(gauge(registry, WebSocketMeters.BUFFERED, "client", "client"))
                            .isZero();
                    assertThat(gauge(registry, WebSocketMeters.BUFFERED_MAX, "client", "client"))
                            .isZero();
                });
                ws.abort();
                await().atMost(WAIT)
                        .untilAsserted(() -> assertThat(
                                        count(registry, WebSocketMeters.CONNECTIONS_CLOSED, "client", "client", "1006"))
                                .isEqualTo(1));
                assertThat(peer.bytesRead()).isGreaterThan(192L * 64 * 1024);
            }
        });
    }

    @Test
    void tunnelsThroughTheConfiguredProxyWithItsCredentials() throws Exception {
        try (TunnelProxy proxy = TunnelProxy.start()) {
            runner.withPropertyValues(
                            "duplex.websocket.client.proxy.host=127.0.0.1",
                            "duplex.websocket.client.proxy.port=" + proxy.port(),
                            "duplex.websocket.client.proxy.username=alice",
                            "duplex.websocket.client.proxy.password=s3cret")
                    .run(ctx -> {
                        try (WebSocketServer server = server(ctx, new EchoEndpoint())) {
                            Recorder recorder = new Recorder();
                            WebSocket ws = client(ctx)
                                    .connect("ws://127.0.0.1:" + server.port() + "/echo/via-proxy", recorder)
                                    .get(10, TimeUnit.SECONDS);
                            ws.sendText("through the tunnel").get(10, TimeUnit.SECONDS);
                            assertThat(recorder.texts.poll(10, TimeUnit.SECONDS))
                                    .isEqualTo("through the tunnel");
                            ws.close(1000, "").get(10, TimeUnit.SECONDS);

                            String head = proxy.head.get(10, TimeUnit.SECONDS);
                            String credentials =
                                    Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
                            assertThat(head)
                                    .startsWith("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1\r\n")
                                    .contains("Proxy-Authorization: Basic " + credentials + "\r\n");
                        }
                    });
        }
    }

    private static WebSocketClient client(ApplicationContext ctx) {
        return ctx.getBean(WebSocketClient.class);
    }

    /** A standalone server on 127.0.0.1 reporting to the context's meter binder. */
    private static WebSocketServer server(ApplicationContext ctx, DuplexEndpoint endpoint) throws IOException {
        return WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .subprotocols("chat.v2")
                .endpoint(TEMPLATE, endpoint)
                .protocolOptions(ProtocolOptions.builder()
                        .observer(ctx.getBean(WebSocketMeterBinder.class))
                        .build())
                .build()
                .start();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static double gauge(MeterRegistry registry, String name, String side, String endpoint) {
        return registry.get(name)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.ENDPOINT, endpoint)
                .gauge()
                .value();
    }

    private static double count(MeterRegistry registry, String name, String side, String endpoint) {
        return registry.get(name)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.ENDPOINT, endpoint)
                .counter()
                .count();
    }

    private static double count(MeterRegistry registry, String name, String side, String endpoint, String code) {
        return registry.get(name)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.ENDPOINT, endpoint, WebSocketMeters.CODE, code)
                .counter()
                .count();
    }

    private static double traffic(MeterRegistry registry, String name, String side, String direction, String type) {
        return registry.get(name)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.DIRECTION, direction, WebSocketMeters.TYPE, type)
                .counter()
                .count();
    }

    private static double failures(MeterRegistry registry, String side, String endpoint, String reason) {
        return registry.get(WebSocketMeters.HANDSHAKE_FAILURES)
                .tags(WebSocketMeters.SIDE, side, WebSocketMeters.ENDPOINT, endpoint, WebSocketMeters.REASON, reason)
                .counter()
                .count();
    }

    private static List<String> endpointTags(MeterRegistry registry) {
        return registry.getMeters().stream()
                .map(Meter::getId)
                .filter(id -> id.getName().startsWith("duplex.websocket."))
                .map(id -> Objects.requireNonNull(id.getTag(WebSocketMeters.ENDPOINT)))
                .distinct()
                .toList();
    }

    /** Echoes text; records what the handshake carried and what arrived. */
    static final class EchoEndpoint extends DuplexEndpoint {
        final List<String> apiKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<List<String>> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
            String key = request.header("X-Api-Key");
            if (key != null) {
                apiKeys.add(key);
            }
            offered.add(request.offeredSubprotocols());
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            received.add(text);
            webSocket.sendText(text);
        }
    }

    /** Keeps the close code the server saw. */
    static final class CloseRecordingEndpoint extends DuplexEndpoint {
        final CompletableFuture<Integer> code = new CompletableFuture<>();

        @Override
        public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
            code.complete(reason.code());
        }
    }

    /** Keeps what the client receives. */
    static final class Recorder implements WebSocketListener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

        @Override
        public void onText(WebSocket webSocket, String text) {
            texts.add(text);
        }

        @Override
        public void onClose(WebSocket webSocket, int code, String reason, boolean wasClean) {
            closeCode.complete(code);
        }
    }

    /** Reads an HTTP head byte by byte, up to the empty line, at most 16 KiB. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 16 * 1024) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside a head: " + head);
            }
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("head too large");
    }

    /**
     * A server that completes the opening handshake and then reads nothing until {@link #resume()}:
     * its small receive window fills and the client's bytes wait in the client's queue.
     */
    static final class StalledPeer implements AutoCloseable {
        private static final Pattern KEY = Pattern.compile("(?im)^sec-websocket-key:\\s*(\\S+)\\s*$");

        private final ServerSocket server;
        private final CountDownLatch resume = new CountDownLatch(1);
        private final CompletableFuture<Long> read = new CompletableFuture<>();

        private StalledPeer(ServerSocket server) {
            this.server = server;
            Thread t = new Thread(this::serve, "stalled-peer");
            t.setDaemon(true);
            t.start();
        }

        static StalledPeer start() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReceiveBufferSize(4096); // inherited by the accepted socket
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new StalledPeer(s);
        }

        int port() {
            return server.getLocalPort();
        }

        void resume() {
            resume.countDown();
        }

        long bytesRead() throws Exception {
            return read.get(20, TimeUnit.SECONDS);
        }

        private void serve() {
            try (Socket s = server.accept()) {
                s.setSoTimeout(20_000);
                InputStream in = s.getInputStream();
                String head = readHead(in);
                Matcher m = KEY.matcher(head);
                if (!m.find()) {
                    throw new IOException("no key in " + head);
                }
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + AcceptKey.accept(m.group(1)) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (!resume.await(20, TimeUnit.SECONDS)) {
                    throw new IOException("never resumed");
                }
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                }
                read.complete(total);
            } catch (Exception e) {
                read.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            resume.countDown();
            server.close();
        }
    }

    /**
     * An HTTP proxy for one tunnel: it keeps the {@code CONNECT} head, answers 200, and relays bytes
     * both ways to the requested host and port.
     */
    static final class TunnelProxy implements AutoCloseable {
        private static final Pattern TARGET = Pattern.compile("^CONNECT ([^: ]+):(\\d+) HTTP/1\\.1\r\n");

        private final ServerSocket server;
        final CompletableFuture<String> head = new CompletableFuture<>();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        private TunnelProxy(ServerSocket server) {
            this.server = server;
            Thread t = new Thread(this::serve, "tunnel-proxy");
            t.setDaemon(true);
            t.start();
        }

        static TunnelProxy start() throws IOException {
            return new TunnelProxy(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            try {
                Socket client = server.accept();
                sockets.add(client);
                client.setSoTimeout(20_000);
                String request = readHead(client.getInputStream());
                head.complete(request);
                Matcher m = TARGET.matcher(request);
                if (!m.find()) {
                    client.getOutputStream()
                            .write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.close();
                    return;
                }
                Socket target = new Socket(m.group(1), Integer.parseInt(m.group(2)));
                sockets.add(target);
                target.setSoTimeout(20_000);
                client.getOutputStream()
                        .write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                pipe(client, target);
                pipe(target, client);
            } catch (IOException e) {
                head.completeExceptionally(e);
            }
        }

        private static void pipe(Socket from, Socket to) {
            Thread t = new Thread(
                    () -> {
                        try {
                            from.getInputStream().transferTo(to.getOutputStream());
                            to.shutdownOutput();
                        } catch (IOException e) {
                            // the other side closed: the tunnel ends
                        }
                    },
                    "tunnel-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
