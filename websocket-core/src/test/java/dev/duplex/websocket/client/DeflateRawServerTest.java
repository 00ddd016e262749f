package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.RecordingListener.Close;
import dev.duplex.websocket.client.RecordingListener.Error;
import dev.duplex.websocket.client.RecordingListener.Text;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client against scripted servers that get permessage-deflate wrong one way each: a response
 * it must refuse (RFC 7692 §7.1), and frames it must refuse after the handshake.
 */
class DeflateRawServerTest {

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

    @Test
    void offersPlainPermessageDeflate() throws Exception {
        AtomicReference<String> head = new AtomicReference<>();
        try (RawServer server = RawServer.start(peer -> {
            head.set(peer.upgrade());
            peer.awaitEof();
        })) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            ws.abort();
            server.awaitScript();
        }
        assertThat(head.get()).contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "permessage-deflate; client_max_window_bits=10 | client_max_window_bits was not offered",
                "permessage-deflate; client_max_window_bits=15 | client_max_window_bits was not offered",
                "permessage-deflate; server_max_window_bits=16 | server_max_window_bits must be in [8, 15], was 16",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover"
                        + " | parameter server_no_context_takeover appears twice",
                "permessage-deflate; mystery | unknown parameter mystery",
            })
    void failsTheConnectionOnAResponseItCannotAccept(String response, String reason) throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            peer.upgrade("Sec-WebSocket-Extensions: " + response);
            peer.awaitEof();
        })) {
            RecordingListener listener = new RecordingListener();
            CompletableFuture<WebSocket> future = client.connect(server.uri("/"), listener);
            Throwable error = future.handle((ws, e) -> e).get(20, TimeUnit.SECONDS);

            assertThat(error)
                    .isInstanceOf(HandshakeException.class)
                    .hasMessage("Invalid permessage-deflate response: " + reason);
            assertThat(((HandshakeException) error).status()).isEqualTo(101);
            assertThat(listener.next(Error.class).error()).isSameAs(error);
            assertThat(listener.next(Close.class)).isEqualTo(new Close(1006, "", false));
            server.awaitScript(); // the client dropped TCP: the script saw EOF
        }
    }

    @Test
    void inflatesWhatTheServerCompressed() throws Exception {
        try (RawServer server = RawServer.start(peer -> {
            peer.upgrade("Sec-WebSocket-Extensions: permessage-deflate");
            peer.writeHex("c107f248cdc9c90700"); // RSV1 text "Hello" (RFC 7692 §7.2.3.1)
            peer.writeHex("c105f200110000"); // "Hello" again, from the shared window (§7.2.3.2)
            peer.writeHex("880203e8");
            peer.readFrame();
        })) {
            RecordingListener listener = new RecordingListener();
            client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();

            assertThat(listener.next(Text.class).text()).isEqualTo("Hello");
            assertThat(listener.next(Text.class).text()).isEqualTo("Hello");
            server.awaitScript();
            assertThat(listener.awaitClose().code()).isEqualTo(1000);
        }
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "permessage-deflate | c204ffffffff | 1007 | Invalid compressed data: invalid block type",
                "permessage-deflate | 4103f248cd c004c9c90700 | 1002 | RSV bits on a continuation frame",
                "permessage-deflate | c900 | 1002 | RSV bits on a control frame",
                " | c107f248cdc9c90700 | 1002 | RSV bits not negotiated: RSV1",
            })
    void closesOnABadFrame(String extensions, String frames, int code, String reason) throws Exception {
        AtomicReference<String> closeFrame = new AtomicReference<>();
        try (RawServer server = RawServer.start(peer -> {
            if (extensions == null) {
                peer.upgrade();
            } else {
                peer.upgrade("Sec-WebSocket-Extensions: " + extensions);
            }
            peer.writeHex(frames.replace(" ", ""));
            closeFrame.set(peer.readFrame());
        })) {
            RecordingListener listener = new RecordingListener();
            client.connect(server.uri("/"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();

            Throwable error = listener.next(Error.class).error();
            assertThat(error).isInstanceOf(ProtocolException.class).hasMessage(reason);
            assertThat(((ProtocolException) error).closeCode()).isEqualTo(code);
            server.awaitScript();
            assertThat(closeFrame.get()).startsWith(String.format("88%04x", code));
            assertThat(listener.awaitClose().code()).isEqualTo(code);
        }
    }
}
