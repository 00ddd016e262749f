package dev.duplex.websocket.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.interop.Recorder.Binary;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.interop.Recorder.Error;
import dev.duplex.websocket.interop.Recorder.Open;
import dev.duplex.websocket.interop.Recorder.Ping;
import dev.duplex.websocket.interop.Recorder.Text;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The script Duplex's client runs against every independent server: one subclass per peer, one
 * peer server and one client shared by all the tests of a class. Each test opens its own
 * connection and ends it, so tests do not depend on one another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DuplexClientInterop {

    static final int[] SIZES = Payloads.SIZES;

    private PeerServer peer;
    private WebSocketClient client;

    /** Starts the peer server under test. */
    abstract PeerServer startPeer() throws Exception;

    @BeforeAll
    void start() throws Exception {
        peer = startPeer();
        client = WebSocketClient.builder().compression(false).build();
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        peer.stop();
    }

    @BeforeEach
    void forgetEarlierCloses() {
        peer.clearCloses();
    }

    @ParameterizedTest(name = "{0} bytes")
    @FieldSource("SIZES")
    void echoesText(int size) throws Exception {
        String text = Payloads.text(size);
        try (Session s = open(client)) {
            s.ws.sendText(text).get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(s.events.next(Text.class).text()).isEqualTo(text);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @FieldSource("SIZES")
    void echoesBinary(int size) throws Exception {
        byte[] bytes = Payloads.binary(size);
        try (Session s = open(client)) {
            s.ws.sendBinary(bytes).get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(s.events.next(Binary.class).bytes()).isEqualTo(bytes);
        }
    }

    @Test
    void echoesNonAsciiTextInOrder() throws Exception {
        try (Session s = open(client)) {
            s.ws.sendText(Payloads.NON_ASCII);
            s.ws.sendBinary(Payloads.NON_ASCII.getBytes(StandardCharsets.UTF_8));
            s.ws.sendText("second");
            assertThat(s.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
            assertThat(s.events.next(Binary.class).bytes())
                    .isEqualTo(Payloads.NON_ASCII.getBytes(StandardCharsets.UTF_8));
            assertThat(s.events.next(Text.class).text()).isEqualTo("second");
        }
    }

    /** Fragments of 5 bytes cut through the two-, three- and four-byte characters. */
    @Test
    void sendsFragmentedMessages() throws Exception {
        byte[] bytes = Payloads.binary(1000);
        try (Session s = open(client)) {
            s.ws.sendText(Payloads.NON_ASCII, 5);
            s.ws.sendBinary(ByteBuffer.wrap(bytes), 7);
            assertThat(s.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
            assertThat(s.events.next(Binary.class).bytes()).isEqualTo(bytes);
        }
    }

    @Test
    void receivesFragmentedText() throws Exception {
        try (Session s = open(client)) {
            s.ws.sendText(Command.fragments(5, Payloads.NON_ASCII));
            assertThat(s.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
        }
    }

    @Test
    void answersThePeersPingWithItsPayload() throws Exception {
        try (Session s = open(client)) {
            s.ws.sendText(Command.ping("are you there? ü"));
            assertThat(s.events.next(Ping.class).payload()).isEqualTo("are you there? ü");
            assertThat(s.events.next(Text.class).text()).isEqualTo("pong are you there? ü");
        }
    }

    @Test
    void pingsThePeer() throws Exception {
        try (Session s = open(client)) {
            Duration rtt = s.ws.ping(ByteBuffer.wrap("12345".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10))
                    .get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(rtt).isPositive();
            s.ws.sendText("after the ping");
            assertThat(s.events.nextIgnoringPongs()).isEqualTo(new Text("after the ping"));
        }
    }

    @Test
    void agreesOnASubprotocol() throws Exception {
        try (WebSocketClient offering = WebSocketClient.builder()
                        .compression(false)
                        .subprotocols("x.unknown", "chat.v2")
                        .build();
                Session s = open(offering)) {
            assertThat(s.ws.subprotocol()).isEqualTo("chat.v2");
        }
    }

    @Test
    void agreesOnNoSubprotocolWhenNoneIsOffered() throws Exception {
        try (Session s = open(client)) {
            assertThat(s.ws.subprotocol()).isNull();
            assertThat(s.ws.extensions()).isEmpty();
        }
    }

    @Test
    void closesFirst() throws Exception {
        Session s = open(client);
        CloseReason echoed = s.ws.close(4002, "client bye ü").get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(peer.nextClose()).isEqualTo(new CloseReason(4002, "client bye ü"));
        assertThat(echoed.code()).isEqualTo(4002);
        Close close = s.events.next(Close.class);
        assertThat(close.code()).isEqualTo(4002);
        assertThat(close.wasClean()).isTrue();
        s.events.assertExhausted();
    }

    @Test
    void closesFirstWithoutCode() throws Exception {
        Session s = open(client);
        s.ws.close(1000, "").get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(peer.nextClose()).isEqualTo(new CloseReason(1000, ""));
        assertThat(s.events.next(Close.class)).isEqualTo(new Close(1000, "", true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1000, 1001, 4001})
    void isClosedByThePeer(int code) throws Exception {
        Session s = open(client);
        s.ws.sendText(Command.close(code, "server bye ü " + code));
        assertThat(s.events.next(Close.class)).isEqualTo(new Close(code, "server bye ü " + code, true));
        s.events.assertExhausted();
        CloseReason reply = s.ws.closeFuture().get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(reply.code()).isEqualTo(code);
        // RFC 6455 §5.5.1: the client's answer echoes the code.
        assertThat(peer.nextClose().code()).isEqualTo(code);
    }

    @Test
    void failsWithProtocolErrorWhenThePeerBreaksTheProtocol() throws Exception {
        assumeTrue(peer.misbehaves(), "this peer cannot be made to break the protocol");
        Session s = open(client);
        s.ws.sendText(Command.BAD);
        Error error = s.events.next(Error.class);
        assertThat(error.error()).isInstanceOf(ProtocolException.class);
        assertThat(((ProtocolException) error.error()).closeCode()).isEqualTo(1002);
        Close close = s.events.next(Close.class);
        assertThat(close.code()).isEqualTo(1002);
        assertThat(peer.nextClose()).isEqualTo(new CloseReason(1002, close.reason()));
    }

    @Test
    void compressesWithPermessageDeflate() throws Exception {
        assumeTrue(peer.deflates(), "this peer has no permessage-deflate");
        try (WebSocketClient deflating =
                        WebSocketClient.builder().compression(true).build();
                Session s = open(deflating)) {
            assertThat(s.ws.extensions()).containsExactly(peer.agreedByDefault());
            roundTrips(s);
        }
    }

    @Test
    void compressesWithoutClientContextTakeover() throws Exception {
        assumeTrue(peer.deflates(), "this peer has no permessage-deflate");
        DeflateOptions options =
                DeflateOptions.builder().clientNoContextTakeover(true).build();
        try (WebSocketClient deflating =
                        WebSocketClient.builder().compression(options).build();
                Session s = open(deflating)) {
            assertThat(s.ws.extensions()).containsExactly(peer.agreedToClientNoContextTakeover());
            roundTrips(s);
        }
    }

    @Test
    void compressesWithASmallerServerWindow() throws Exception {
        assumeTrue(peer.deflates(), "this peer has no permessage-deflate");
        DeflateOptions options =
                DeflateOptions.builder().serverMaxWindowBits(10).build();
        try (WebSocketClient deflating =
                        WebSocketClient.builder().compression(options).build();
                Session s = open(deflating)) {
            String agreed = peer.agreedToServerWindowOf10();
            if (agreed == null) {
                assertThat(s.ws.extensions()).isEmpty();
            } else {
                assertThat(s.ws.extensions()).containsExactly(agreed);
            }
            roundTrips(s);
        }
    }

    /** Compressible and incompressible messages, large and small, both types, in order. */
    private void roundTrips(Session s) throws Exception {
        String compressible = Payloads.compressible(1 << 20);
        byte[] incompressible = Payloads.binary(100_000);
        for (int i = 0; i < 3; i++) {
            s.ws.sendText(compressible);
            s.ws.sendBinary(incompressible);
            s.ws.sendText(Payloads.NON_ASCII);
            s.ws.sendText(Payloads.NON_ASCII, peer.compressedFragmentSize());
        }
        for (int i = 0; i < 3; i++) {
            assertThat(s.events.next(Text.class).text()).isEqualTo(compressible);
            assertThat(s.events.next(Binary.class).bytes()).isEqualTo(incompressible);
            assertThat(s.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
            assertThat(s.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
        }
    }

    private Session open(WebSocketClient with) throws Exception {
        Recorder events = new Recorder();
        WebSocket ws = with.connect(peer.uri(), events).get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        events.next(Open.class);
        return new Session(ws, events, peer);
    }

    /** One connection under test; closing it ends it normally and checks the peer saw that. */
    private record Session(WebSocket ws, Recorder events, PeerServer peer) implements AutoCloseable {
        @Override
        public void close() throws ExecutionException, TimeoutException {
            try {
                ws.close(1000, "done").get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(events.nextIgnoringPongs()).isEqualTo(new Close(1000, "done", true));
                assertThat(peer.nextClose()).isEqualTo(new CloseReason(1000, "done"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            events.assertExhausted();
        }
    }
}
