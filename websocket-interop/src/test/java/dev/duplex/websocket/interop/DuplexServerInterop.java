package dev.duplex.websocket.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.interop.PeerClient.PeerConnection;
import dev.duplex.websocket.interop.Recorder.Binary;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.interop.Recorder.Text;
import dev.duplex.websocket.server.WebSocketServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The script an independent client runs against Duplex's {@link WebSocketServer}: one subclass per
 * peer, one server and one peer client shared by the tests of a class, one connection per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DuplexServerInterop {

    static final int[] SIZES = Payloads.SIZES;

    private final CommandEndpoint endpoint = new CommandEndpoint();
    private WebSocketServer server;
    private PeerClient peer;
    private URI uri;

    abstract PeerClient startPeer() throws Exception;

    @BeforeAll
    void start() throws Exception {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .subprotocols("chat.v1", "chat.v2")
                .compression(true)
                .endpoint("/echo", endpoint)
                .build()
                .start();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
        peer = startPeer();
    }

    @AfterAll
    void stop() throws Exception {
        peer.stop();
        server.close();
    }

    @BeforeEach
    void forgetEarlierConnections() {
        endpoint.closes.clear();
        endpoint.errors.clear();
        endpoint.pings.clear();
    }

    @ParameterizedTest(name = "{0} bytes")
    @FieldSource("SIZES")
    void echoesText(int size) throws Exception {
        String text = Payloads.text(size);
        PeerConnection c = open();
        c.sendText(text);
        assertThat(c.events.next(Text.class).text()).isEqualTo(text);
        closeNormally(c);
    }

    @ParameterizedTest(name = "{0} bytes")
    @FieldSource("SIZES")
    void echoesBinary(int size) throws Exception {
        // At the default limits (16 MiB frame and message): a peer that compresses (OkHttp always
        // does) sends an incompressible 16 MiB message as a slightly longer frame, still accepted.
        byte[] bytes = Payloads.binary(size);
        PeerConnection c = open();
        c.sendBinary(bytes);
        assertThat(c.events.next(Binary.class).bytes()).isEqualTo(bytes);
        closeNormally(c);
    }

    @Test
    void echoesNonAsciiTextInOrder() throws Exception {
        PeerConnection c = open();
        c.sendText(Payloads.NON_ASCII);
        c.sendBinary(Payloads.NON_ASCII.getBytes(StandardCharsets.UTF_8));
        c.sendText("second");
        assertThat(c.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
        assertThat(c.events.next(Binary.class).bytes()).isEqualTo(Payloads.NON_ASCII.getBytes(StandardCharsets.UTF_8));
        assertThat(c.events.next(Text.class).text()).isEqualTo("second");
        closeNormally(c);
    }

    @Test
    void receivesFragmentedText() throws Exception {
        assumeTrue(peer.sendsFragments(), "this peer cannot send fragments");
        PeerConnection c = open();
        c.sendFragments(Payloads.NON_ASCII, 5);
        assertThat(c.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
        closeNormally(c);
    }

    @Test
    void sendsFragmentedText() throws Exception {
        PeerConnection c = open();
        c.sendText(Command.fragments(5, Payloads.NON_ASCII));
        assertThat(c.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
        closeNormally(c);
    }

    @Test
    void pingsThePeer() throws Exception {
        PeerConnection c = open();
        c.sendText(Command.ping("are you there? ü"));
        assertThat(c.events.next(Text.class).text()).isEqualTo("pong are you there? ü");
        closeNormally(c);
    }

    @Test
    void answersThePeersPing() throws Exception {
        assumeTrue(peer.pings(), "this peer cannot send a ping with a payload");
        PeerConnection c = open();
        c.ping("12345");
        assertThat(c.events.next(Recorder.Pong.class).payload()).isEqualTo("12345");
        assertThat(endpoint.pings.poll(Recorder.WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("12345");
        closeNormally(c);
    }

    @Test
    void agreesOnASubprotocol() throws Exception {
        PeerConnection c = peer.connect(uri, List.of("x.unknown", "chat.v2"), false);
        assertThat(c.subprotocol()).isEqualTo("chat.v2");
        closeNormally(c);
    }

    @Test
    void compressesWithPermessageDeflate() throws Exception {
        assumeTrue(peer.deflates(), "this peer has no permessage-deflate");
        PeerConnection c = peer.connect(uri, List.of(), true);
        assertThat(c.extensions()).startsWith("permessage-deflate");
        String compressible = Payloads.compressible(1 << 20);
        byte[] incompressible = Payloads.binary(100_000);
        for (int i = 0; i < 3; i++) {
            c.sendText(compressible);
            c.sendBinary(incompressible);
            c.sendText(Payloads.NON_ASCII);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(c.events.next(Text.class).text()).isEqualTo(compressible);
            assertThat(c.events.next(Binary.class).bytes()).isEqualTo(incompressible);
            assertThat(c.events.next(Text.class).text()).isEqualTo(Payloads.NON_ASCII);
        }
        closeNormally(c);
    }

    @Test
    void isClosedByThePeer() throws Exception {
        PeerConnection c = open();
        c.close(4002, "client bye ü");
        assertThat(next(endpoint.closes)).isEqualTo(new Close(4002, "client bye ü", true));
        assertThat(c.events.next(Close.class).code()).isEqualTo(4002);
    }

    /** Not 1001: Duplex lets an application close with 1000 or 3000-4999 only; 1001 comes from {@code stop()}. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1000, 4001, 4999})
    void closesFirst(int code) throws Exception {
        PeerConnection c = open();
        c.sendText(Command.close(code, "server bye ü " + code));
        assertThat(c.events.next(Close.class)).isEqualTo(new Close(code, "server bye ü " + code, true));
        Close seen = next(endpoint.closes);
        assertThat(seen.code()).isEqualTo(code);
        assertThat(seen.wasClean()).isTrue();
    }

    @Test
    void failsWithProtocolErrorWhenThePeerBreaksTheProtocol() throws Exception {
        assumeTrue(peer.misbehaves(), "this peer cannot be made to break the protocol");
        PeerConnection c = open();
        c.misbehave();
        Throwable error = next(endpoint.errors);
        assertThat(error).isInstanceOf(ProtocolException.class);
        assertThat(((ProtocolException) error).closeCode()).isEqualTo(1002);
        Close seen = next(endpoint.closes);
        assertThat(seen.code()).isEqualTo(1002);
        Close received = c.events.next(Close.class);
        assertThat(received.code()).isEqualTo(1002);
        assertThat(received.reason()).isEqualTo(seen.reason());
    }

    private PeerConnection open() throws Exception {
        PeerConnection c = peer.connect(uri, List.of(), false);
        assertThat(c.subprotocol()).isEmpty();
        return c;
    }

    private void closeNormally(PeerConnection c) throws Exception {
        c.close(1000, "done");
        assertThat(next(endpoint.closes)).isEqualTo(new Close(1000, "done", true));
        assertThat(c.events.next(Close.class).code()).isEqualTo(1000);
        assertThat(endpoint.errors).isEmpty();
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T value = queue.poll(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(value).as("nothing within %d s", Recorder.WAIT_SECONDS).isNotNull();
        return value;
    }
}
