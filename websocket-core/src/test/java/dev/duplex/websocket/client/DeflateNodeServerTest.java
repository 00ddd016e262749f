package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.client.RecordingListener.Binary;
import dev.duplex.websocket.client.RecordingListener.Close;
import dev.duplex.websocket.codec.DeflateOptions;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Permessage-deflate between this client and node {@code ws} 8.23.0 as the server, with every
 * parameter set on one side or the other. Node compresses every message ({@code threshold: 0});
 * the socket byte counts it reports show that both directions were really compressed.
 */
class DeflateNodeServerTest {

    private static final Pattern BYTES = Pattern.compile("\\{\"read\":(\\d+),\"written\":(\\d+)}");
    private static final String JSON =
            "{\"type\":\"chat\",\"room\":\"lobby\",\"user\":\"ada\",\"text\":\"hello there\"}";

    /** Raw payload bytes the round trip sends; compressed, it is a small fraction of this. */
    private static final int RAW_BYTES = 1_400_000;

    @ParameterizedTest(name = "node {0}, client offers [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "{}                                   | | permessage-deflate",
                "{'serverNoContextTakeover':true}     | | permessage-deflate; server_no_context_takeover",
                "{'clientNoContextTakeover':true}     | | permessage-deflate; client_no_context_takeover",
                "{'serverMaxWindowBits':10}           | | permessage-deflate; server_max_window_bits=10",
                "{'serverMaxWindowBits':8}            | | permessage-deflate; server_max_window_bits=8",
                "{'serverNoContextTakeover':true,'clientNoContextTakeover':true,'serverMaxWindowBits':9} | |"
                        + " permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " server_max_window_bits=9",
                "{} | snct | permessage-deflate; server_no_context_takeover",
                "{} | cnct | permessage-deflate; client_no_context_takeover",
                "{} | smwb=10 | permessage-deflate; server_max_window_bits=10",
                "{} | snct cnct smwb=12 | permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " server_max_window_bits=12",
                "{'serverMaxWindowBits':9} | smwb=11 | permessage-deflate; server_max_window_bits=9",
            })
    void roundTripsCompressedMessages(String nodeOptions, String clientOffer, String agreed) throws Exception {
        try (NodeEchoServer node = NodeEchoServer.start("--deflate", withThresholdZero(nodeOptions));
                WebSocketClient client = WebSocketClient.builder()
                        .compression(clientOptions(clientOffer))
                        .build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = client.connect(node.uri("/echo"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(ws.extensions()).containsExactly(agreed);
            ws.sendText("!extensions");
            assertThat(listener.nextText()).isEqualTo("permessage-deflate"); // ws lists names only

            roundTrip(ws, listener);

            long[] bytes = socketBytes(ws, listener);
            assertThat(bytes[0]).as("bytes node read").isLessThan(RAW_BYTES / 10);
            assertThat(bytes[1]).as("bytes node wrote").isLessThan(RAW_BYTES / 10);
            ws.close().get(20, TimeUnit.SECONDS);
            assertThat(listener.awaitClose()).isEqualTo(new Close(1000, "", true));
            listener.assertExhausted();
        }
    }

    @Test
    void roundTripsUncompressedWhenTheServerDeclines() throws Exception {
        try (NodeEchoServer node = NodeEchoServer.start("--no-deflate");
                WebSocketClient client = WebSocketClient.builder().build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = client.connect(node.uri("/echo"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            assertThat(ws.extensions()).isEmpty();

            roundTrip(ws, listener);

            assertThat(socketBytes(ws, listener)[0]).isGreaterThan(RAW_BYTES);
            ws.close().get(20, TimeUnit.SECONDS);
            assertThat(listener.awaitClose()).isEqualTo(new Close(1000, "", true));
        }
    }

    @Test
    void offersNothingWhenCompressionIsOff() throws Exception {
        try (NodeEchoServer node = NodeEchoServer.start("--deflate", "{\"threshold\":0}");
                WebSocketClient client =
                        WebSocketClient.builder().compression(false).build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = client.connect(node.uri("/echo"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            ws.sendText("!headers");

            assertThat(listener.nextText()).doesNotContain("sec-websocket-extensions");
            assertThat(ws.extensions()).isEmpty();
            ws.close().get(20, TimeUnit.SECONDS);
            listener.awaitClose();
        }
    }

    @Test
    void aServerThatInsistsOnAClientWindowRefusesTheOfferWithoutIt() throws Exception {
        // This client never offers client_max_window_bits (the JDK deflater cannot use a smaller
        // window); ws then refuses the handshake outright instead of declining the extension.
        try (NodeEchoServer node = NodeEchoServer.start("--deflate", "{\"clientMaxWindowBits\":10}");
                WebSocketClient client = WebSocketClient.builder().build()) {
            RecordingListener listener = new RecordingListener();

            Throwable failure = null;
            try {
                client.connect(node.uri("/echo"), listener).get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause();
            }

            assertThat(failure).isInstanceOf(HandshakeException.class);
            assertThat(((HandshakeException) failure).status()).isEqualTo(400);
        }
    }

    @Test
    void deliversACompressedMessageWholeToAPullReader() throws Exception {
        try (NodeEchoServer node = NodeEchoServer.start("--deflate", "{\"threshold\":0}");
                WebSocketClient client = WebSocketClient.builder().build()) {
            WebSocket ws = client.connectPull(node.uri("/echo")).get(20, TimeUnit.SECONDS);
            String big = JSON.repeat(2000);

            ws.sendText(big);

            assertThat(ws.receive(Duration.ofSeconds(20))).isEqualTo(new Message.Text(big, true));
            assertThat(ws.extensions()).containsExactly("permessage-deflate");
            ws.close().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendsStreamedMessagesUncompressedBesideCompressedOnes() throws Exception {
        try (NodeEchoServer node = NodeEchoServer.start("--deflate", "{\"threshold\":0}");
                WebSocketClient client = WebSocketClient.builder().build()) {
            RecordingListener listener = new RecordingListener();
            WebSocket ws = client.connect(node.uri("/echo"), listener).get(20, TimeUnit.SECONDS);
            listener.awaitOpen();
            String big = JSON.repeat(500);

            ws.sendText(big);
            try (Writer w = ws.textWriter(1000)) {
                w.write(big);
            }
            ws.sendText(big);

            assertThat(listener.nextText()).isEqualTo(big);
            assertThat(listener.nextText()).isEqualTo(big);
            assertThat(listener.nextText()).isEqualTo(big);
            ws.close().get(20, TimeUnit.SECONDS);
            assertThat(listener.awaitClose()).isEqualTo(new Close(1000, "", true));
        }
    }

    /** Texts small and large, the same JSON twice, a fragmented one, binary noise and zeros. */
    private static void roundTrip(WebSocket ws, RecordingListener listener) throws Exception {
        StringBuilder doc = new StringBuilder("[");
        for (int i = 0; i < 250; i++) {
            doc.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(i)
                    .append(",\"name\":\"item ")
                    .append(i);
            doc.append("\",\"tags\":[\"a\",\"b\"]}");
        }
        String document = doc.append(']').toString();
        List<String> texts =
                List.of("", "Hi", JSON, JSON, document, "x".repeat(300_000), "ünïcödé ✓ ".repeat(400), JSON.repeat(3));
        for (String text : texts) {
            ws.sendText(text);
        }
        ws.sendText(document, 1000); // compressed, then cut into frames of 1000 bytes
        byte[] noise = new byte[50_000];
        new Random(5).nextBytes(noise);
        ws.sendBinary(ByteBuffer.wrap(noise));
        ws.sendBinary(ByteBuffer.allocate(1024 * 1024));

        for (String text : texts) {
            assertThat(listener.nextText()).isEqualTo(text);
        }
        assertThat(listener.nextText()).isEqualTo(document);
        assertThat(listener.next(Binary.class).bytes()).isEqualTo(noise);
        assertThat(listener.next(Binary.class).bytes()).isEqualTo(new byte[1024 * 1024]);
    }

    /** What node's socket read and wrote so far. */
    private static long[] socketBytes(WebSocket ws, RecordingListener listener) throws Exception {
        ws.sendText("!bytes");
        Matcher m = BYTES.matcher(listener.nextText());
        assertThat(m.matches()).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String withThresholdZero(String options) {
        String json = options.replace('\'', '"').trim();
        return json.equals("{}") ? "{\"threshold\":0}" : "{\"threshold\":0," + json.substring(1);
    }

    private static DeflateOptions clientOptions(String offer) {
        DeflateOptions.Builder b = DeflateOptions.builder();
        for (String part : offer == null ? new String[0] : offer.trim().split(" ")) {
            if (part.equals("snct")) {
                b.serverNoContextTakeover(true);
            } else if (part.equals("cnct")) {
                b.clientNoContextTakeover(true);
            } else if (part.startsWith("smwb=")) {
                b.serverMaxWindowBits(Integer.parseInt(part.substring(5)));
            }
        }
        return b.build();
    }
}
