package dev.duplex.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A listener slower than the server: reads pause once more than {@code maxPendingReceive} bytes
 * wait for it and resume as it catches up, so every message still arrives, whole and in order.
 */
class SlowListenerClientTest {

    private static final int MESSAGES = 200;
    private static final int SIZE = 16 * 1024;

    @Test
    void readsPauseForASlowListenerAndResumeUntilEveryMessageArrived() throws Exception {
        AtomicInteger received = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        WebSocketListener slow = new WebSocketListener() {
            @Override
            public void onBinary(WebSocket webSocket, ByteBuffer data) {
                // The server's message i is bytes (j % 251); each must arrive whole.
                if (data.remaining() != SIZE || data.get(SIZE - 1) != (byte) ((SIZE - 1) % 251)) {
                    wrong.incrementAndGet();
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (received.incrementAndGet() == MESSAGES) {
                    all.complete(null);
                }
            }
        };
        try (NodeEchoServer node = NodeEchoServer.start("--no-deflate");
                WebSocketClient client = WebSocketClient.builder()
                        .ioThreads(1)
                        .protocolOptions(ProtocolOptions.builder()
                                .maxPendingReceive(4 * SIZE)
                                .build())
                        .build()) {
            WebSocket ws = client.connect(node.uri("/slow"), slow).get(20, TimeUnit.SECONDS);
            for (int i = 0; i < MESSAGES; i++) {
                ws.sendText("!binary " + SIZE);
            }
            all.get(60, TimeUnit.SECONDS);
            assertThat(wrong.get()).isZero();
            assertThat(ws.isOpen()).isTrue();
            ws.close().get(20, TimeUnit.SECONDS);
        }
    }
}
