package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An endpoint on the I/O thread ({@code directDispatch}) gets single-frame binary messages as views
 * of the buffer the connection reads into, plain or decrypted, and one on a listener thread gets
 * copies: either way each message holds its own bytes while the endpoint runs, however many
 * messages one read brought and however large they are.
 */
class LentBinaryMessageTest {

    private static final int[] SIZES = {0, 1, 125, 126, 1000, 65_535, 65_536, 70_000, 200_000, 3};

    private WebSocketServer server;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "tls {0}, on the I/O thread {1}")
    @CsvSource({"false, true", "true, true", "false, false"})
    void everyMessageHoldsItsOwnBytesWhileTheEndpointRuns(boolean tls, boolean onIoThread) throws Exception {
        List<Boolean> direct = new CopyOnWriteArrayList<>();
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .protocolOptions(ProtocolOptions.builder()
                        .directDispatch(onIoThread)
                        .maxBufferedAmount(64L * 1024 * 1024)
                        .build())
                .endpoint("/echo", new Endpoints.Echo() {
                    @Override
                    public void onBinary(WebSocket ws, ByteBuffer data) {
                        direct.add(data.isDirect());
                        super.onBinary(ws, data);
                    }
                });
        WebSocketClient.Builder clientBuilder = WebSocketClient.builder().ioThreads(1);
        if (tls) {
            ServerCertificate cert = ServerCertificate.get();
            builder.tls(cert.serverContext());
            clientBuilder.sslContext(cert.clientContext());
        }
        server = builder.build().start();
        client = clientBuilder.build();
        BlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
        WebSocket ws = client.connect(
                        URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + server.port() + "/echo"),
                        new WebSocketListener() {
                            @Override
                            public void onBinary(WebSocket webSocket, ByteBuffer data) {
                                byte[] copy = new byte[data.remaining()];
                                data.get(copy);
                                echoes.add(copy);
                            }
                        })
                .get(10, TimeUnit.SECONDS);

        // One small message alone: it lies whole in one read; on the I/O thread it arrives as a
        // view of that read (a direct buffer), on a listener thread as a copy.
        ws.sendBinary(new byte[] {7, 8, 9});
        assertThat(echoes.poll(10, TimeUnit.SECONDS)).containsExactly(7, 8, 9);
        if (!tls) {
            assertThat(direct).containsExactly(onIoThread);
        }

        // Then many at once, so that reads bring several messages and split others.
        Random random = new Random(42);
        int count = 300;
        byte[][] sent = new byte[count][];
        for (int i = 0; i < count; i++) {
            sent[i] = new byte[SIZES[i % SIZES.length]];
            random.nextBytes(sent[i]);
            ws.sendBinary(sent[i]);
        }
        for (int i = 0; i < count; i++) {
            byte[] echo = echoes.poll(10, TimeUnit.SECONDS);
            assertThat(echo).as("echo %d of %d bytes", i, sent[i].length).isEqualTo(sent[i]);
        }
        ws.close().get(10, TimeUnit.SECONDS);
    }
}
