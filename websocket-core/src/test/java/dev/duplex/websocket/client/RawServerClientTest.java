package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.SendOverflowException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.RecordingListener.Close;
import dev.duplex.websocket.client.RecordingListener.Error;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a hand-made server that is wrong in one way per test. */
class RawServerClientTest {

    private static WebSocketClient client;

    @BeforeAll
    static void startClient() {
        client = WebSocketClient.builder()
                .ioThreads(1)
                .handshakeTimeout(Duration.ofSeconds(5))
                .closeTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    /** Connects, expects the connect to fail, checks the listener's two events and returns the error. */
    private static Throwable failedConnect(WebSocketClient c, URI uri) throws Exception {
        RecordingListener listener = new RecordingListener();
        CompletableFuture<WebSocket> future = c.connect(uri, listener);
        Throwable error = future.handle((ws, e) -> e).get(20, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(listener.next(Error.class).error()).isSameAs(error);
        assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
        listener.assertExhausted();
        return error;
    }

    private static HandshakeException failedHandshake(RawServer server) throws Exception {
        Throwable error = failedConnect(client, server.uri("/"));
        assertThat(error).isInstanceOf(HandshakeException.class);
        return (HandshakeException) error;
    }

    @Test
    void non101StatusFailsWithStatusHeadersAndBody() throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            peer.readHead();
            peer.writeAscii("HTTP/1.1 403 Forbidden\r\nX-Why: no entry\r\nContent-Length: 12\r\n\r\nnot for you!");
        })) {
            HandshakeException e = failedHandshake(server);
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.headerValues("x-why")).containsExactly("no entry");
            assertThat(e.bodyText()).isEqualTo("not for you!");
            assertThat(e.getMessage())
                    .startsWith("Expected HTTP 101 Switching Protocols, the server answered 403 Forbidden");
        }
    }

    @Test
    void wrongAcceptKeyFails() throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            peer.readHead();
            peer.writeAscii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        })) {
            HandshakeException e = failedHandshake(server);
            assertThat(e).hasMessage("The server's Sec-WebSocket-Accept does not match the key sent");
            assertThat(e.status()).isEqualTo(101);
        }
    }

    @Test
    void unofferedSubprotocolFails() throws Exception {
        try (RawServer server = RawServer.start(peer -> peer.upgrade("Sec-WebSocket-Protocol: mqtt"))) {
            assertThat(failedHandshake(server))
                    .hasMessage("The server selected subprotocol mqtt, which was not offered");
        }
    }

    @Test
    void unofferedExtensionFails() throws Exception {
        try (RawServer server =
                RawServer.start(peer -> peer.upgrade("Sec-WebSocket-Extensions: x-webkit-deflate-frame"))) {
            assertThat(failedHandshake(server))
                    .hasMessage("The server accepted extension x-webkit-deflate-frame, which was not offered");
        }
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws Exception {
        try (WebSocketClient impatient = WebSocketClient.builder()
                        .ioThreads(1)
                        .handshakeTimeout(Duration.ofMillis(300))
                        .build();
                RawServer server = RawServer.start(peer -> {
                    peer.readHead();
                    peer.awaitEof();
                })) {
            Throwable e = failedConnect(impatient, server.uri("/"));
            assertThat(e)
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage("The server sent no handshake response within 300 ms")
                    .hasCauseInstanceOf(TimeoutException.class);
            server.awaitScript();
        }
    }

    @Test
    void serverThatClosesDuringTheHandshakeFails() throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            peer.readHead();
            peer.writeAscii("HTTP/1.1 101 Switching");
            peer.socket.close();
        })) {
            assertThat(failedHandshake(server)).hasMessage("The server sent no complete handshake response");
        }
    }

    @Test
    void refusedConnectFails() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Throwable e = failedConnect(client, URI.create("ws://127.0.0.1:" + port + "/"));
        assertThat(e).isInstanceOf(ConnectException.class);
    }

    @Test
    void badUrisAreRejectedAtOnce() {
        assertThatThrownBy(() -> client.connect("http://example.com/", new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'uri' must use the ws or wss scheme, was http in http://example.com/");
        assertThatThrownBy(() -> client.connect("ws:///path", new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'uri' must have a host, was ws:///path");
        assertThatThrownBy(() -> client.connect("ws://example.com/#frag", new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'uri' must not have a fragment, was ws://example.com/#frag");
    }

    /** Opens a connection to a server that upgrades, writes {@code frames}, then records what the client sends back. */
    private static void expectFailure(String frames, int code, String message) throws Exception {
        expectFailure(client, frames, code, message);
    }

    private static void expectFailure(WebSocketClient c, String frames, int code, String message) throws Exception {
        CompletableFuture<String> closeFrame = new CompletableFuture<>();
        try (RawServer server = RawServer.start(peer -> {
            peer.upgrade();
            peer.writeHex(frames);
            closeFrame.complete(peer.readFrame());
            // The client waits for the server to close TCP (RFC 6455 §7.1.1) rather than resetting
            // the server's close reply: it has not closed yet.
            peer.socket.setSoTimeout(200);
            assertThat(peer.awaitEof())
                    .as("the client closed TCP before the server")
                    .isFalse();
            peer.writeHex(String.format("8802%04x", code));
            peer.socket.close();
        })) {
            RecordingListener listener = new RecordingListener();
            c.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(listener.next(Error.class).error())
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage(message)
                    .satisfies(
                            e -> assertThat(((ProtocolException) e).closeCode()).isEqualTo(code));
            Close close = listener.next(Close.class);
            assertThat(close.code()).isEqualTo(code);
            assertThat(close.wasClean()).isFalse();
            listener.assertExhausted();
            // The client told the server why: a close frame with the same code.
            assertThat(closeFrame.get(20, TimeUnit.SECONDS)).startsWith(String.format("88%04x", code));
            server.awaitScript();
        }
    }

    @Test
    void maskedServerFrameFailsWith1002() throws Exception {
        expectFailure("818100000000" + "41", 1002, "Masked frame from server"); // masked "A"
    }

    @Test
    void invalidUtf8FailsWith1007() throws Exception {
        expectFailure("8102c328", 1007, "Invalid UTF-8 at byte 1 of a text message"); // text, C3 28
    }

    @Test
    void reservedOpcodeFailsWith1002() throws Exception {
        expectFailure("8300", 1002, "Reserved opcode 0x3"); // FIN, opcode 3, empty
    }

    @Test
    void oversizeFrameFailsWith1009() throws Exception {
        try (WebSocketClient small =
                WebSocketClient.builder().ioThreads(1).maxFrameSize(1024).build()) {
            expectFailure(
                    small, "827e0800", 1009, "Frame payload of 2048 bytes exceeds the limit of 1024"); // binary, 2048 B
        }
    }

    @Test
    void framesRightBehindThe101AreDelivered() throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            String head = peer.readHead();
            peer.writeAscii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawServer.Peer.acceptFor(head) + "\r\n\r\n"
                    + "\u0081\u0002hi" // text "hi" in the same segment
                    + "\u0088\u0002\u0003\u00e8"); // close 1000
            assertThat(peer.readFrame()).isEqualTo("8803e8");
            peer.socket.close();
        })) {
            RecordingListener listener = new RecordingListener();
            client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(listener.nextText()).isEqualTo("hi");
            assertThat(listener.next(Close.class)).isEqualTo(new Close(1000, "", true));
            listener.assertExhausted();
            server.awaitScript();
        }
    }

    @Test
    void serverVanishingMidFrameIsAbnormal() throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            peer.upgrade();
            peer.writeHex("8105" + "68656c"); // text of 5 bytes, only "hel" sent
            peer.socket.close();
        })) {
            RecordingListener listener = new RecordingListener();
            client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(listener.next(Error.class).error())
                    .isInstanceOf(ConnectionClosedException.class)
                    .hasMessage("The peer closed the connection without a closing handshake");
            assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
            listener.assertExhausted();
        }
    }

    @Test
    void closingTheClientSends1001() throws Exception {
        CompletableFuture<String> frame = new CompletableFuture<>();
        try (RawServer server = RawServer.start(peer -> {
            peer.upgrade();
            frame.complete(peer.readFrame());
            peer.writeHex("880203e9"); // close 1001 echoed
            peer.socket.close();
        })) {
            WebSocketClient own = WebSocketClient.builder().ioThreads(1).build();
            RecordingListener listener = new RecordingListener();
            WebSocket ws = own.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(own.connections()).containsExactly(ws);
            own.close();
            assertThat(frame.get(20, TimeUnit.SECONDS))
                    .isEqualTo("8803e9436c69656e7420636c6f736564"); // 1001 "Client closed"
            assertThat(listener.next(Close.class)).isEqualTo(new Close(1001, "", true));
            assertThat(own.eventLoopGroup().isShutdown()).isTrue();
            assertThatThrownBy(() -> own.connect(server.uri("/"), listener))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("The client is closed");
        }
    }

    private static final int CEILING = 256 * 1024;
    private static final int CHUNK = 16 * 1024;

    @Test
    void peerThatStopsReadingMakesSendsFailAtTheCeiling() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (WebSocketClient bounded = WebSocketClient.builder()
                        .ioThreads(1)
                        .maxBufferedAmount(CEILING)
                        .overflowPolicy(OverflowPolicy.FAIL)
                        .build();
                RawServer server = RawServer.start(8192, peer -> {
                    peer.upgrade();
                    release.get(20, TimeUnit.SECONDS); // reads nothing meanwhile
                })) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = bounded.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            Throwable refused = null;
            for (int i = 0; i < 4096 && refused == null; i++) {
                CompletableFuture<Void> sent = ws.sendBinary(new byte[CHUNK]);
                if (sent.isCompletedExceptionally()) {
                    refused = sent.handle((ok, e) -> e).join();
                }
                assertThat(ws.bufferedAmount()).isLessThanOrEqualTo(CEILING);
            }
            assertThat(refused).isInstanceOf(SendOverflowException.class);
            assertThat(((SendOverflowException) refused).maxBufferedAmount()).isEqualTo(CEILING);
            assertThat(ws.readyState()).isEqualTo(ReadyState.OPEN);
            release.complete(null);
            ws.abort();
            assertThat(listener.awaitClose().code()).isEqualTo(1006);
        }
    }

    @Test
    void peerThatStopsReadingIsClosedWith1008UnderTheClosePolicy() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (WebSocketClient bounded = WebSocketClient.builder()
                        .ioThreads(1)
                        .maxBufferedAmount(CEILING)
                        .overflowPolicy(OverflowPolicy.CLOSE)
                        .closeTimeout(Duration.ofMillis(500))
                        .build();
                RawServer server = RawServer.start(8192, peer -> {
                    peer.upgrade();
                    release.get(20, TimeUnit.SECONDS);
                })) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = bounded.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            Throwable refused = null;
            for (int i = 0; i < 4096 && refused == null; i++) {
                CompletableFuture<Void> sent = ws.sendBinary(new byte[CHUNK]);
                if (sent.isCompletedExceptionally()) {
                    refused = sent.handle((ok, e) -> e).join();
                }
            }
            assertThat(refused).isInstanceOf(SendOverflowException.class);
            Throwable error = listener.next(Error.class).error();
            assertThat(error)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("Buffered amount would exceed " + CEILING + " bytes");
            Close close = listener.next(Close.class);
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.wasClean()).isFalse();
            listener.assertExhausted();
            release.complete(null);
        }
    }

    @Test
    void connectsThroughAnHttpProxyWithCredentials() throws Exception {
        CompletableFuture<String> connectHead = new CompletableFuture<>();
        try (RawServer proxy = RawServer.start(peer -> {
            connectHead.complete(peer.readHead());
            peer.writeAscii("HTTP/1.1 200 Connection established\r\n\r\n");
            peer.upgrade();
            peer.writeHex("8102" + "6869"); // text "hi"
            assertThat(peer.readFrame()).isEqualTo("8803e8");
            peer.writeHex("880203e8");
            peer.socket.close();
        })) {
            try (WebSocketClient proxied = WebSocketClient.builder()
                    .ioThreads(1)
                    .proxy(new InetSocketAddress("127.0.0.1", proxy.port()))
                    .proxyCredentials("bob", "pw")
                    .build()) {
                RecordingListener listener = new RecordingListener();
                WebSocket ws = proxied.connect("ws://ws.example.test:8080/chat", listener)
                        .get(20, TimeUnit.SECONDS);
                listener.awaitOpen();
                assertThat(listener.nextText()).isEqualTo("hi");
                ws.close().get(20, TimeUnit.SECONDS);
                assertThat(listener.next(Close.class)).isEqualTo(new Close(1000, "", true));
                assertThat(connectHead.get(20, TimeUnit.SECONDS))
                        .startsWith("CONNECT ws.example.test:8080 HTTP/1.1\r\n")
                        .contains("Proxy-Authorization: Basic Ym9iOnB3\r\n");
                proxy.awaitScript();
            }
        }
    }

    @Test
    void proxyRefusalFailsWithItsStatus() throws Exception {
        try (RawServer proxy = RawServer.start(peer -> {
            peer.readHead();
            peer.writeAscii("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
        })) {
            try (WebSocketClient proxied = WebSocketClient.builder()
                    .ioThreads(1)
                    .proxy(new InetSocketAddress("127.0.0.1", proxy.port()))
                    .build()) {
                Throwable e = failedConnect(proxied, URI.create("ws://ws.example.test/"));
                assertThat(e).isInstanceOf(HandshakeException.class);
                assertThat(((HandshakeException) e).status()).isEqualTo(407);
                assertThat(e.getMessage())
                        .startsWith("The proxy refused CONNECT ws.example.test:80: 407 Proxy Authentication Required");
            }
        }
    }

    @Test
    void cancellingTheConnectDropsIt() throws Exception {
        try (RawServer server =
                RawServer.start(peer -> assertThat(peer.awaitEof()).isTrue())) {
            RecordingListener listener = new RecordingListener();
            CompletableFuture<WebSocket> future = client.connect(server.uri("/"), listener);
            future.cancel(false);
            server.awaitScript();
            assertThat(listener.awaitClose()).isEqualTo(new Close(1006, "", false));
            listener.assertExhausted();
        }
    }

    @Test
    void builderRejectsBadOptions() {
        assertThatThrownBy(() -> WebSocketClient.builder().header("Sec-WebSocket-Key", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'name' must not be Sec-WebSocket-Key, which the handshake writes");
        assertThatThrownBy(() -> WebSocketClient.builder().subprotocols("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'subprotocols' must hold HTTP tokens, was \"a b\"");
        assertThatThrownBy(() -> WebSocketClient.builder().handshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'handshakeTimeout' must be positive, was PT0S");
        assertThatThrownBy(() -> WebSocketClient.builder().ioThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'ioThreads' must be at least 1, was 0");
    }
}
