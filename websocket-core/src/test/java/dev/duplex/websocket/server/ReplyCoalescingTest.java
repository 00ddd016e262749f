package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replies an endpoint sends while the I/O thread delivers one read are held until that read is
 * delivered and then written together (as Netty's flush per read batch): each message of the read
 * gets its reply, in order, whether the socket takes them all at once or the replies back up
 * behind a client that does not read.
 */
class ReplyCoalescingTest {

    private WebSocketServer server;

    private void start(boolean directDispatch) throws IOException {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .protocolOptions(ProtocolOptions.builder()
                        .directDispatch(directDispatch)
                        .maxBufferedAmount(64L * 1024 * 1024)
                        .maxMessageSize(1024 * 1024)
                        .build())
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void repliesToEveryMessageOfOneReadInOrderOnTheIoThread() throws Exception {
        start(true);
        assertEchoesOneBatch(500, 16);
    }

    @Test
    void repliesToEveryMessageOfOneReadInOrderOffTheIoThread() throws Exception {
        start(false);
        assertEchoesOneBatch(500, 16);
    }

    @Test
    void repliesInOrderWhenTheyBackUpBehindAClientThatDoesNotRead() throws Exception {
        start(true);
        int count = 256;
        int size = 60 * 1024; // 15 MiB of replies: far more than the socket buffers hold
        try (Socket socket = openSocket(4096)) {
            OutputStream out = socket.getOutputStream();
            byte[] all = batch(count, size);
            // Written by another thread: the server keeps reading while its replies wait.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(all);
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writing.get(30, TimeUnit.SECONDS);
            // Some replies are still queued in the server: the socket could not take them.
            assertThat(awaitBuffered()).isPositive();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < count; i++) {
                assertThat(readBinary(in)).as("reply %d", i).isEqualTo(payload(i, size));
            }
        }
    }

    private void assertEchoesOneBatch(int count, int size) throws IOException {
        try (Socket socket = openSocket(0)) {
            OutputStream out = socket.getOutputStream();
            // All the frames in one write, so that the server reads many of them at once.
            out.write(batch(count, size));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < count; i++) {
                assertThat(readBinary(in)).as("reply %d", i).isEqualTo(payload(i, size));
            }
        }
    }

    /** A connected, upgraded socket; {@code receiveBuffer} 0 keeps the default. */
    private Socket openSocket(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(RawClient.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = s.getInputStream().read();
            assertThat(b).as("end of stream inside the response head").isNotNegative();
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
        return s;
    }

    /** The server's buffered amount on its one connection, once positive (bounded wait), else 0. */
    private long awaitBuffered() throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long buffered = 0;
        while (buffered == 0 && System.nanoTime() - deadline < 0) {
            for (WebSocket ws : server.registry().connections()) {
                buffered = ws.bufferedAmount();
            }
            if (buffered == 0) {
                Thread.sleep(10);
            }
        }
        return buffered;
    }

    /** Message {@code i}: {@code size} bytes that differ from those of every other message. */
    private static byte[] payload(int i, int size) {
        ByteBuffer p = ByteBuffer.allocate(size).putInt(i);
        while (p.hasRemaining()) {
            p.put((byte) (i * 7 + p.position()));
        }
        return p.array();
    }

    /** {@code count} masked binary frames (all-zero key, so the payload goes as is), back to back. */
    private static byte[] batch(int count, int size) {
        ByteBuffer b = ByteBuffer.allocate(count * (size + 14));
        for (int i = 0; i < count; i++) {
            b.put((byte) 0x82); // final binary frame
            if (size < 126) {
                b.put((byte) (0x80 | size));
            } else {
                b.put((byte) (0x80 | 126)).putShort((short) size);
            }
            b.putInt(0); // masking key
            b.put(payload(i, size));
        }
        byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return bytes;
    }

    /** Reads one unmasked binary frame (payload under 64 KiB) and returns its payload. */
    private static byte[] readBinary(DataInputStream in) throws IOException {
        assertThat(in.readUnsignedByte()).as("final binary frame").isEqualTo(0x82);
        int len = in.readUnsignedByte();
        assertThat(len & 0x80).as("server frames are unmasked").isZero();
        if (len == 126) {
            len = in.readUnsignedShort();
        }
        byte[] payload = new byte[len];
        in.readFully(payload);
        return payload;
    }
}
