package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.codec.Extension;
import dev.duplex.websocket.codec.Frame;
import dev.duplex.websocket.codec.Opcode;
import dev.duplex.websocket.codec.Role;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's use of a negotiated {@link Extension}, with a toy one that claims RSV2 and adds 1
 * to every byte: whole messages go through it both ways, its bit marks the first frame only, and
 * it is closed once with the connection.
 */
class ExtensionWiringTest {

    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new EventLoopGroup(TransportOptions.builder().ioThreads(1).build());
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    /** Adds 1 to each byte on the way out, subtracts it on the way in. */
    static final class PlusOne implements Extension {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public String name() {
            return "x-plus-one";
        }

        @Override
        public int rsvBits() {
            return Frame.RSV2;
        }

        @Override
        public ByteBuffer decode(Opcode type, int rsv, ByteBuffer payload, int maxSize) {
            return shift(payload, -1);
        }

        @Override
        public Encoded encode(Opcode type, ByteBuffer payload) {
            return new Encoded(Frame.RSV2, shift(payload, 1));
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        private static ByteBuffer shift(ByteBuffer in, int by) {
            byte[] out = new byte[in.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (in.get(in.position() + i) + by);
            }
            return ByteBuffer.wrap(out);
        }
    }

    @Test
    void sendsAndReceivesThroughTheExtensionAndClosesItOnce() throws Exception {
        PlusOne extension = new PlusOne();
        WebSocketListener echo = new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, String text) {
                ws.sendText(text);
                ws.sendText(text, 2); // fragmented: RSV2 on the first frame only
            }
        };
        try (Acceptor acceptor = group.bind(
                        new InetSocketAddress("127.0.0.1", 0),
                        AcceptorOptions.defaults(),
                        ConnectionOptions.defaults(),
                        null,
                        c -> {
                            WebSocketConnection ws = new WebSocketConnection(
                                    c,
                                    Role.SERVER,
                                    URI.create("ws://127.0.0.1/"),
                                    null,
                                    List.of(extension.name()),
                                    Map.of(),
                                    ProtocolOptions.defaults(),
                                    echo,
                                    false);
                            ws.setExtension(extension);
                            ws.start(ByteBuffer.allocate(0));
                            return ws.transportHandler();
                        });
                Socket peer = new Socket("127.0.0.1", acceptor.port())) {
            peer.setSoTimeout(10_000);
            OutputStream out = peer.getOutputStream();
            InputStream in = peer.getInputStream();
            out.write(HexFormat.of().parseHex("a18300000000696264")); // RSV2 text "ibd" = "hac" + 1, zero mask
            out.write(HexFormat.of().parseHex("818300000000686921")); // plain text "hi!": passes untouched
            out.flush();

            assertThat(hex(in.readNBytes(5))).isEqualTo("a103696264"); // RSV2 text "hac" + 1
            assertThat(hex(in.readNBytes(7))).isEqualTo("21026962" + "800164"); // fragmented, RSV2 on the first only
            assertThat(hex(in.readNBytes(5))).isEqualTo("a103696a22"); // "hi!" + 1
            assertThat(hex(in.readNBytes(7))).isEqualTo("2102696a" + "800122");
            out.write(HexFormat.of().parseHex("888000000000")); // close
            out.flush();
            assertThat(hex(in.readNBytes(2))).isEqualTo("8800"); // echoed, never through the extension

            await().atMost(Duration.ofSeconds(10)).until(() -> extension.closes.get() > 0);
            assertThat(extension.closes.get()).isEqualTo(1);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
