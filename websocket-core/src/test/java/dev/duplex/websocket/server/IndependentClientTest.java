package dev.duplex.websocket.server;

import static dev.duplex.websocket.server.PeerClient.binary;
import static dev.duplex.websocket.server.PeerClient.close;
import static dev.duplex.websocket.server.PeerClient.generatedBytes;
import static dev.duplex.websocket.server.PeerClient.generatedText;
import static dev.duplex.websocket.server.PeerClient.open;
import static dev.duplex.websocket.server.PeerClient.pong;
import static dev.duplex.websocket.server.PeerClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The standalone server against two independent clients, node {@code ws} 8.x and Python {@code
 * websockets}, each run as a child process with a script of steps ({@link PeerClient}).
 */
class IndependentClientTest {

    private static final int[] SIZES = {0, 1, 125, 126, 65_535, 65_536, 300_000};

    private static final Endpoints.Scripted scripted = new Endpoints.Scripted();
    private static WebSocketServer plain;
    private static WebSocketServer secure;

    @BeforeAll
    static void start() throws Exception {
        plain = configure(WebSocketServer.builder()).build().start();
        secure = configure(WebSocketServer.builder())
                .tls(ServerCertificate.get().serverContext())
                .build()
                .start();
    }

    private static WebSocketServer.Builder configure(WebSocketServer.Builder b) {
        return b.host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .subprotocols("chat.v2", "chat.v1")
                .endpoint("/echo", scripted);
    }

    @BeforeEach
    void forgetEarlierCloses() {
        scripted.closes.clear();
    }

    @AfterAll
    static void stop() {
        plain.stop();
        secure.stop();
    }

    private static String url() {
        return "ws://127.0.0.1:" + plain.port() + "/echo";
    }

    /** The close the server's endpoint saw last. */
    private static String serverSawClose() throws InterruptedException {
        String close = scripted.closes.poll(10, TimeUnit.SECONDS);
        assertThat(close).as("the endpoint's onClose").isNotNull();
        return close;
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void echoesTextOfSeveralSizes(PeerClient client) throws Exception {
        List<String> steps = new ArrayList<>();
        List<String> expected = new ArrayList<>(List.of(open("")));
        for (int n : SIZES) {
            steps.add("gen-text:" + n);
            steps.add("recv");
            expected.add(text(generatedText(n)));
        }
        steps.add("close:1000:");
        expected.add(close(1000, ""));

        assertThat(client.run(url(), steps.toArray(String[]::new))).containsExactlyElementsOf(expected);
        assertThat(serverSawClose()).isEqualTo("1000  true");
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void echoesBinaryOfSeveralSizes(PeerClient client) throws Exception {
        List<String> steps = new ArrayList<>();
        List<String> expected = new ArrayList<>(List.of(open("")));
        for (int n : SIZES) {
            steps.add("binary:" + n);
            steps.add("recv");
            expected.add(binary(generatedBytes(n)));
        }
        steps.add("close:1000:");
        expected.add(close(1000, ""));

        assertThat(client.run(url(), steps.toArray(String[]::new))).containsExactlyElementsOf(expected);
        assertThat(serverSawClose()).isEqualTo("1000  true");
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void sendsUnicodeTheClientDecodes(PeerClient client) throws Exception {
        assertThat(client.run(url(), "text:!unicode", "recv", "close:1000:"))
                .containsExactly(
                        open(""),
                        "{\"event\":\"text\",\"data\":\"" + Endpoints.Scripted.UNICODE + "\"}",
                        close(1000, ""));
        serverSawClose();
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void assemblesFragmentedMessagesBothWays(PeerClient client) throws Exception {
        assertThat(client.run(
                        url(),
                        "fragments:3:abcdefghi",
                        "recv",
                        "text:!fragments 4 sent-by-the-server-in-four-frames",
                        "recv",
                        "close:1000:"))
                .containsExactly(
                        open(""), text("abcdefghi"), text("sent-by-the-server-in-four-frames"), close(1000, ""));
        serverSawClose();
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void answersPingsAndGetsPongs(PeerClient client) throws Exception {
        assertThat(client.run(url(), "ping:from-client", "text:!ping from-server", "recv", "close:1000:"))
                .containsExactly(open(""), pong("from-client"), text("pong from-server"), close(1000, ""));
        serverSawClose();
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void theClientsCloseCodeAndReasonReachTheEndpoint(PeerClient client) throws Exception {
        // The server's close frame echoes the code (RFC 6455 §5.5.1), not the reason.
        assertThat(client.run(url(), "close:4000:client-bye")).containsExactly(open(""), close(4000, ""));
        assertThat(serverSawClose()).isEqualTo("4000 client-bye true");
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void theEndpointsCloseCodeAndReasonReachTheClient(PeerClient client) throws Exception {
        assertThat(client.run(url(), "text:!close 4001 server-bye", "wait-close"))
                .containsExactly(open(""), close(4001, "server-bye"));
        assertThat(serverSawClose()).isEqualTo("4001 server-bye true");
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void agreesOnTheServersPreferredSubprotocol(PeerClient client) throws Exception {
        assertThat(client.run(url(), "--protocols", "chat.v1,chat.v2", "text:!protocol", "recv", "close:1000:"))
                .containsExactly(open("chat.v2"), text("chat.v2"), close(1000, ""));
        serverSawClose();
        assertThat(client.run(url(), "--protocols", "chat.v1,chat.v3", "close:1000:"))
                .containsExactly(open("chat.v1"), close(1000, ""));
        serverSawClose();
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void seesRequestHeadersWhateverTheirCase(PeerClient client) throws Exception {
        assertThat(client.run(
                        url(),
                        "text:!header sec-websocket-version",
                        "recv",
                        "text:!header HOST",
                        "recv",
                        "close:1000:"))
                .containsExactly(open(""), text("13"), text("127.0.0.1:" + plain.port()), close(1000, ""));
        serverSawClose();
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void servesWss(PeerClient client) throws Exception {
        String url = "wss://127.0.0.1:" + secure.port() + "/echo";
        String ca = ServerCertificate.get().pem().toString();
        assertThat(client.run(url, "--ca", ca, "text:over-tls", "recv", "binary:70000", "recv", "close:1000:"))
                .containsExactly(open(""), text("over-tls"), binary(generatedBytes(70_000)), close(1000, ""));
        serverSawClose();
    }

    @ParameterizedTest
    @EnumSource(PeerClient.class)
    void aGracefulStopReachesTheClientAs1001(PeerClient client) throws Exception {
        AtomicInteger echoed = new AtomicInteger();
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .endpoint("/echo", new Endpoints.Echo() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        super.onText(ws, text);
                        echoed.incrementAndGet();
                    }
                })
                .build()
                .start();
        try {
            String url = "ws://127.0.0.1:" + server.port() + "/echo";
            CompletableFuture<List<String>> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.run(url, "text:hi", "recv", "wait-close");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Stop once the echo is queued: the close frame follows it on the wire.
            await().atMost(Duration.ofSeconds(20)).until(() -> echoed.get() == 1);
            server.stop();
            assertThat(run.get(30, TimeUnit.SECONDS))
                    .containsExactly(open(""), text("hi"), close(1001, "Server stopping"));
        } finally {
            server.stop();
        }
    }
}
