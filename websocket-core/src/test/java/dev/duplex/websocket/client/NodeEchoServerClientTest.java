package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.RecordingListener.Binary;
import dev.duplex.websocket.client.RecordingListener.Close;
import dev.duplex.websocket.client.RecordingListener.Error;
import dev.duplex.websocket.client.RecordingListener.Ping;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against an independent server: node {@code ws} 8.23.0 ({@code test-peers/node}). */
class NodeEchoServerClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STORE_PASSWORD = "changeit";

    @TempDir
    static Path tmp;

    private static NodeEchoServer plain;
    private static NodeEchoServer tls;
    private static Path keystore;
    private static WebSocketClient client;

    @BeforeAll
    static void startServers() throws Exception {
        plain = NodeEchoServer.start("--protocols", "chat.v2,chat.v1", "--no-deflate");
        keystore = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        "keytool",
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        STORE_PASSWORD,
                        "-keypass",
                        STORE_PASSWORD)
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().transferTo(System.out);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        tls = NodeEchoServer.start("--tls", keystore.toString(), STORE_PASSWORD);
        client = WebSocketClient.builder().build();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (client != null) {
            client.close();
        }
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    private static WebSocket open(RecordingListener listener) throws Exception {
        WebSocket ws = client.connect(plain.uri("/echo"), listener).get(20, TimeUnit.SECONDS);
        assertThat(listener.awaitOpen()).isSameAs(ws);
        return ws;
    }

    private static void closeNormally(WebSocket ws, RecordingListener listener) throws Exception {
        ws.close().get(20, TimeUnit.SECONDS);
        assertThat(listener.awaitClose()).isEqualTo(new Close(1000, "", true));
        listener.assertExhausted();
    }

    @Test
    void echoesTextAndKeepsTheResponseHeaders() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        assertThat(ws.readyState()).isEqualTo(ReadyState.OPEN);
        assertThat(ws.handshakeHeaders()).containsKey("Sec-WebSocket-Accept");
        assertThat(ws.uri()).isEqualTo(plain.uri("/echo"));
        ws.sendText("héllo, wörld ✓").get(20, TimeUnit.SECONDS);
        assertThat(listener.nextText()).isEqualTo("héllo, wörld ✓");
        closeNormally(ws, listener);
        assertThat(ws.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 1 << 20, 16 << 20})
    void echoesBinaryOfEverySize(int size) throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        ws.sendBinary(data).get(20, TimeUnit.SECONDS);
        assertThat(listener.next(Binary.class).bytes()).isEqualTo(data);
        closeNormally(ws, listener);
    }

    @Test
    void echoesLargeText() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        String text = "ab€".repeat(1 << 20); // 5 MiB of UTF-8
        ws.sendText(text).get(20, TimeUnit.SECONDS);
        assertThat(listener.nextText()).isEqualTo(text);
        closeNormally(ws, listener);
    }

    @Test
    void receivesServerGeneratedBinary() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        ws.sendText("!binary 300");
        byte[] bytes = listener.next(Binary.class).bytes();
        assertThat(bytes).hasSize(300);
        assertThat(bytes[250]).isEqualTo((byte) 250);
        assertThat(bytes[251]).isZero();
        closeNormally(ws, listener);
    }

    @Test
    void assemblesAFragmentedMessageFromTheServer() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        ws.sendText("!fragments 4 one message in four frames");
        assertThat(listener.nextText()).isEqualTo("one message in four frames");
        closeNormally(ws, listener);
    }

    @Test
    void sendsFragmentsTheServerReassembles() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        ws.sendText("fragmented ✓ text", 3).get(20, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}), 2).get(20, TimeUnit.SECONDS);
        try (var writer = ws.textWriter(4)) {
            writer.write("streamed ");
            writer.write("text");
        }
        ws.sendBinary(InputStream.nullInputStream(), 16).get(20, TimeUnit.SECONDS);
        assertThat(listener.nextText()).isEqualTo("fragmented ✓ text");
        assertThat(listener.next(Binary.class).bytes()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(listener.nextText()).isEqualTo("streamed text");
        assertThat(listener.next(Binary.class).bytes()).isEmpty();
        closeNormally(ws, listener);
    }

    @Test
    void pingCompletesWithTheRoundTripAndServerPingsAreAnswered() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        Duration rtt = ws.ping(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)), WAIT)
                .get(20, TimeUnit.SECONDS);
        assertThat(rtt).isPositive();
        assertThat(listener.next()).isEqualTo(new RecordingListener.Pong("are you there"));
        ws.sendText("!ping knock");
        assertThat(listener.next(Ping.class).payload()).isEqualTo("knock");
        ws.pong(ByteBuffer.wrap(new byte[] {9})).get(20, TimeUnit.SECONDS);
        ws.sendText("after pong");
        assertThat(listener.nextText()).isEqualTo("after pong");
        closeNormally(ws, listener);
    }

    @Test
    void serverCloseWithCodeAndReasonIsClean() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        ws.sendText("!close 4001 bye now");
        assertThat(listener.awaitClose()).isEqualTo(new Close(4001, "bye now", true));
        assertThat(ws.closeFuture().get(20, TimeUnit.SECONDS)).isEqualTo(new CloseReason(4001, "bye now"));
        listener.assertExhausted();
        assertThat(ws.sendText("late").handle((ok, e) -> e).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void clientCloseWithApplicationCodeIsEchoed() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        CloseReason reason = ws.close(3999, "done").get(20, TimeUnit.SECONDS);
        assertThat(reason).isEqualTo(new CloseReason(3999, "done"));
        assertThat(listener.awaitClose()).isEqualTo(new Close(3999, "done", true));
        listener.assertExhausted();
    }

    @Test
    void serverDroppingTheConnectionIsAbnormal() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        ws.sendText("!terminate");
        assertThat(listener.next(Error.class).error())
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("The peer closed the connection without a closing handshake");
        assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
        listener.assertExhausted();
    }

    @Test
    void abortEndsWithoutHandshake() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        ws.abort();
        assertThat(listener.awaitClose()).isEqualTo(new Close(1006, "", false));
        listener.assertExhausted();
    }

    @Test
    void rejectsInvalidCloseCodesFromTheApplication() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        assertThatThrownBy(() -> ws.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ws.close(1000, "x".repeat(124))).isInstanceOf(IllegalArgumentException.class);
        closeNormally(ws, listener);
    }

    @Test
    void negotiatesTheFirstSubprotocolTheServerSupports() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = client.connect(
                        ConnectRequest.to(plain.uri("/")).withSubprotocols("chat.v3", "chat.v1", "chat.v2"), listener)
                .get(20, TimeUnit.SECONDS);
        listener.awaitOpen();
        assertThat(ws.subprotocol()).isEqualTo("chat.v2");
        ws.sendText("!protocol");
        assertThat(listener.nextText()).isEqualTo("chat.v2");
        closeNormally(ws, listener);
    }

    @Test
    void noSubprotocolWhenTheServerSupportsNoneOffered() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = client.connect(ConnectRequest.to(plain.uri("/")).withSubprotocols("mqtt"), listener)
                .get(20, TimeUnit.SECONDS);
        listener.awaitOpen();
        assertThat(ws.subprotocol()).isNull();
        closeNormally(ws, listener);
    }

    @Test
    void sendsHeadersCookiesOriginAndCredentials() throws Exception {
        try (WebSocketClient custom = WebSocketClient.builder()
                .header("X-Tenant", "acme")
                .cookie("session", "s1")
                .origin("https://app.example.com")
                .basicAuth("alice", "secret")
                .subprotocols("chat.v1")
                .ioThreads(1)
                .build()) {
            RecordingListener listener = new RecordingListener();
            ConnectRequest request = ConnectRequest.to(plain.uri("/h?x=1"))
                    .withHeader("X-Trace", "a")
                    .withHeader("X-Trace", "b")
                    .withCookie("theme", "dark");
            WebSocket ws = custom.connect(request, listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(ws.subprotocol()).isEqualTo("chat.v1");
            ws.sendText("!headers");
            String json = listener.nextText();
            String basic = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
            assertThat(json)
                    .contains("\"x-tenant\":\"acme\"")
                    .contains("\"x-trace\":\"a, b\"")
                    .contains("\"cookie\":\"session=s1; theme=dark\"")
                    .contains("\"origin\":\"https://app.example.com\"")
                    .contains("\"authorization\":\"Basic " + basic + "\"")
                    .contains("\"host\":\"127.0.0.1:" + plain.port() + "\"");
            closeNormally(ws, listener);
        }
    }

    @Test
    void sendsBearerToken() throws Exception {
        try (WebSocketClient custom = WebSocketClient.builder()
                .bearerToken("abc.def-123")
                .ioThreads(1)
                .build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = custom.connect(plain.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            ws.sendText("!headers");
            assertThat(listener.nextText()).contains("\"authorization\":\"Bearer abc.def-123\"");
            closeNormally(ws, listener);
        }
    }

    @Test
    void pullModeReceivesMessagesInALoop() throws Exception {
        WebSocket ws = client.connectPull(plain.uri("/pull")).get(20, TimeUnit.SECONDS);
        ws.sendText("first");
        ws.sendBinary(new byte[] {1, 2});
        Message first = ws.receive(WAIT);
        assertThat(first).isInstanceOf(Message.Text.class);
        assertThat(((Message.Text) first).text()).isEqualTo("first");
        assertThat(first.last()).isTrue();
        Message second = ws.receive(WAIT);
        assertThat(((Message.Binary) second).bytes()).containsExactly(1, 2);
        ws.sendText("!close 1000 over");
        assertThat(ws.receive(WAIT)).isEqualTo(new Message.Closed(new CloseReason(1000, "over")));
    }

    @Test
    void blockingConnectReturnsTheOpenConnection() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = client.connectBlocking(plain.uri("/b"), listener);
        assertThat(ws.isOpen()).isTrue();
        listener.awaitOpen();
        closeNormally(ws, listener);
    }

    @Test
    void manyThreadsSendingAtOnceKeepEachThreadsOrder() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebSocket ws = open(listener);
        int threads = 8;
        int perThread = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // Varied sizes so that some frames are split across socket writes.
                        ws.sendText(id + ":" + i + ":" + "x".repeat((i * 37) % 3000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            senders.add(thread);
        }
        start.countDown();
        for (Thread t : senders) {
            t.join(20_000);
        }
        int[] next = new int[threads];
        for (int n = 0; n < threads * perThread; n++) {
            String[] parts = listener.nextText().split(":", 3);
            int id = Integer.parseInt(parts[0]);
            int i = Integer.parseInt(parts[1]);
            assertThat(i).as("message of thread %d", id).isEqualTo(next[id]);
            assertThat(parts[2]).hasSize((i * 37) % 3000);
            next[id]++;
        }
        closeNormally(ws, listener);
    }

    @Test
    void aBlockingListenerDoesNotStallAnotherConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> blocked = new CompletableFuture<>();
        WebSocket slow = client.connect(plain.uri("/slow"), new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        blocked.complete(text);
                    }
                })
                .get(20, TimeUnit.SECONDS);
        slow.sendText("hold");
        RecordingListener listener = new RecordingListener();
        WebSocket fast = open(listener);
        for (int i = 0; i < 20; i++) {
            fast.sendText("m" + i);
            assertThat(listener.nextText()).isEqualTo("m" + i);
        }
        assertThat(blocked).isNotDone();
        release.countDown();
        assertThat(blocked.get(20, TimeUnit.SECONDS)).isEqualTo("hold");
        closeNormally(fast, listener);
        slow.close().get(20, TimeUnit.SECONDS);
    }

    @Test
    void wssWithATrustedCertificateAndHostnameVerification() throws Exception {
        try (WebSocketClient secure = WebSocketClient.builder()
                .sslContext(trusting(keystore))
                .ioThreads(1)
                .build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = secure.connect(tls.uri("/secure"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            ws.sendText("over tls");
            assertThat(listener.nextText()).isEqualTo("over tls");
            byte[] big = new byte[3 << 20];
            big[big.length - 1] = 42;
            ws.sendBinary(big);
            assertThat(listener.next(Binary.class).bytes()).isEqualTo(big);
            closeNormally(ws, listener);
        }
    }

    @Test
    void wssWithAnUntrustedCertificateFailsTheConnect() throws Exception {
        RecordingListener listener = new RecordingListener();
        CompletableFuture<WebSocket> future = client.connect(tls.uri("/secure"), listener);
        assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class);
        assertThat(listener.next(Error.class).error()).isInstanceOf(SSLHandshakeException.class);
        assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
        listener.assertExhausted();
    }

    static SSLContext trusting(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
