package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.RecordingListener.Close;
import dev.duplex.websocket.client.RecordingListener.Error;
import dev.duplex.websocket.client.RecordingListener.Pong;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The client's timers: connect timeout, idle timeout, keep-alive pings with a pong timeout. */
class TimeoutsClientTest {

    private static final String PING_EMPTY = "89"; // a ping frame with no payload, as RawServer reports it

    @Test
    void connectTimeoutFailsAConnectThePeerNeverCompletes() throws Exception {
        // A listener that never accepts, its backlog filled first: Linux then drops further SYNs,
        // so the next connect neither completes nor is refused.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean hangs = false;
                for (int i = 0; i < 8 && !hangs; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(address, 200);
                    } catch (SocketTimeoutException e) {
                        hangs = true;
                    }
                }
                Assumptions.assumeTrue(hangs, "this kernel does not leave connects to a full backlog hanging");
                try (WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .connectTimeout(Duration.ofMillis(300))
                        .build()) {
                    RecordingListener listener = new RecordingListener();
                    URI uri = URI.create("ws://127.0.0.1:" + full.getLocalPort() + "/");
                    CompletableFuture<WebSocket> future = client.connect(uri, listener);
                    assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .cause()
                            .isInstanceOf(SocketTimeoutException.class)
                            .hasMessage("connect to 127.0.0.1:" + full.getLocalPort() + " timed out after 300 ms");
                    assertThat(listener.next(Error.class).error()).isInstanceOf(SocketTimeoutException.class);
                    assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
                    listener.assertExhausted();
                }
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void idleTimeoutClosesWith1001WhenTheServerStaysSilent() throws Exception {
        CompletableFuture<String> closeFrame = new CompletableFuture<>();
        try (RawServer server = RawServer.start(peer -> {
                    peer.upgrade();
                    closeFrame.complete(peer.readFrame()); // nothing is sent until the client gives up
                    peer.writeHex("880203e9");
                    assertThat(peer.awaitEof()).isTrue();
                });
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .idleTimeout(Duration.ofMillis(300))
                        .build()) {
            RecordingListener listener = new RecordingListener();
            client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(closeFrame.get(20, TimeUnit.SECONDS))
                    .isEqualTo(
                            "88" + "03e9" + HexFormat.of().formatHex("Idle timeout".getBytes(StandardCharsets.UTF_8)));
            assertThat(listener.awaitClose()).isEqualTo(new Close(1001, "", true));
            listener.assertExhausted();
            server.awaitScript();
        }
    }

    @Test
    void keepAliveDropsAConnectionWhosePeerSwallowsPings() throws Exception {
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        try (RawServer server = RawServer.start(peer -> {
                    peer.upgrade();
                    firstFrame.complete(peer.readFrame());
                    assertThat(peer.awaitEof()).isTrue(); // never answers: the client must give up
                });
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .pingInterval(Duration.ofMillis(200))
                        .pingTimeout(Duration.ofMillis(200))
                        .build()) {
            RecordingListener listener = new RecordingListener();
            client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(firstFrame.get(20, TimeUnit.SECONDS)).isEqualTo(PING_EMPTY);
            assertThat(listener.next(Error.class).error())
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage("No pong within 200 ms of a keep-alive ping");
            assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
            listener.assertExhausted();
            server.awaitScript();
        }
    }

    @Test
    void keepAliveKeepsAConnectionWhosePeerAnswersPings() throws Exception {
        try (NodeEchoServer node = NodeEchoServer.start("--no-deflate");
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .pingInterval(Duration.ofMillis(100))
                        .pingTimeout(Duration.ofMillis(100))
                        .build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = client.connect(node.uri("/keep-alive"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            // Ten ping intervals of silence: a connection without pongs would have been dropped
            // after two of them.
            Thread.sleep(1_000);
            assertThat(ws.readyState()).isEqualTo(ReadyState.OPEN);
            ws.sendText("still here");
            int pongs = 0;
            RecordingListener.Event e;
            while ((e = listener.next()) instanceof Pong) {
                pongs++;
            }
            assertThat(e).isEqualTo(new RecordingListener.Text("still here"));
            assertThat(pongs).as("keep-alive pongs from the server").isGreaterThanOrEqualTo(2);
            ws.close().get(20, TimeUnit.SECONDS);
            assertThat(listener.awaitClose()).isEqualTo(new Close(1000, "", true));
            listener.assertExhausted();
        }
    }
}
