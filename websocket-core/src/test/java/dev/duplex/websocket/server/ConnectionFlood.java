package dev.duplex.websocket.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A child process for {@link ManyConnectionsTest}: opens N WebSocket connections to 127.0.0.1:PORT
 * at once on one selector (raw NIO, so that it needs no more than a file descriptor per
 * connection), prints {@code open N} once every handshake got its 101, then on the line {@code
 * close} from stdin sends each a close frame 1000 and prints {@code closed N} once every server
 * answered with its close frame and ended the TCP connection. Exits 1 on any failure or after 60
 * seconds.
 *
 * <p>Usage: {@code java -cp TEST_CLASSPATH dev.duplex.websocket.server.ConnectionFlood PORT N PATH}
 */
final class ConnectionFlood {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A masked close frame 1000 with the zero key (RFC 6455 §5.5.1). */
    private static final byte[] CLOSE = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8};
    /** The server's close frame 1000, unmasked. */
    private static final byte[] CLOSE_ECHO = {(byte) 0x88, 0x02, 0x03, (byte) 0xe8};

    /** Per-connection state: what was read so far. */
    private static final class Peer {
        final ByteBuffer in = ByteBuffer.allocate(512);
        boolean open;
        boolean closing;
    }

    private ConnectionFlood() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String path = args[2];
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ch.register(selector, SelectionKey.OP_CONNECT, new Peer());
        }
        int opened = 0;
        while (opened < count) {
            checkDeadline(deadline, "open " + opened);
            selector.select(1000);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel ch = (SocketChannel) key.channel();
                Peer peer = (Peer) key.attachment();
                if (key.isConnectable()) {
                    ch.finishConnect();
                    ByteBuffer out = ByteBuffer.wrap(request);
                    while (out.hasRemaining()) {
                        ch.write(out); // a few dozen bytes into an empty socket buffer
                    }
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    if (ch.read(peer.in) < 0) {
                        fail("the server closed a connection during its handshake");
                    }
                    String head = new String(peer.in.array(), 0, peer.in.position(), StandardCharsets.US_ASCII);
                    if (!peer.open && head.endsWith("\r\n\r\n")) {
                        if (!head.startsWith("HTTP/1.1 101 ")) {
                            fail("handshake refused: "
                                    + head.lines().findFirst().orElse(""));
                        }
                        peer.open = true;
                        peer.in.clear();
                        opened++;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        System.out.println("open " + opened);
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = stdin.readLine();
        if (!"close".equals(line)) {
            fail("expected 'close' on stdin, got " + line);
        }
        deadline = System.nanoTime() + DEADLINE_NANOS;
        for (SelectionKey key : selector.keys()) {
            ByteBuffer out = ByteBuffer.wrap(CLOSE);
            while (out.hasRemaining()) {
                ((SocketChannel) key.channel()).write(out);
            }
            ((Peer) key.attachment()).closing = true;
        }
        int closed = 0;
        while (closed < count) {
            checkDeadline(deadline, "closed " + closed);
            selector.select(1000);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel ch = (SocketChannel) key.channel();
                Peer peer = (Peer) key.attachment();
                if (ch.read(peer.in) >= 0) {
                    continue;
                }
                // End of stream: the server must have sent exactly its close frame first.
                if (!ByteBuffer.wrap(CLOSE_ECHO).equals(peer.in.flip())) {
                    fail("expected a close frame 1000 before the end, got " + peer.in.remaining() + " bytes");
                }
                key.cancel();
                ch.close();
                closed++;
            }
            selector.selectedKeys().clear();
        }
        System.out.println("closed " + closed);
        System.out.flush();
        System.exit(0);
    }

    private static void checkDeadline(long deadline, String progress) {
        if (System.nanoTime() - deadline > 0) {
            fail("timed out at " + progress);
        }
    }

    private static void fail(String why) {
        System.out.println("failed: " + why);
        System.out.flush();
        System.exit(1);
    }
}
