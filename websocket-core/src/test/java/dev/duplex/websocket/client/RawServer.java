package dev.duplex.websocket.client;

import dev.duplex.websocket.handshake.AcceptKey;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-made server on 127.0.0.1 that plays a script against one client connection: it writes
 * exactly the bytes a test chooses, to show how the client copes with a server that is wrong.
 * Every read is bounded by a socket timeout.
 */
final class RawServer implements AutoCloseable {

    /** What the server does with the one connection it accepts. */
    interface Script {
        void run(Peer peer) throws Exception;
    }

    private final ServerSocket server;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;

    private RawServer(ServerSocket server, Script script) {
        this.server = server;
        this.thread = new Thread(
                () -> {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(20_000);
                        script.run(new Peer(s));
                        done.complete(null);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                },
                "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    static RawServer start(Script script) throws IOException {
        return start(0, script);
    }

    /** With a small receive buffer when {@code receiveBuffer} > 0, for a server that stops reading. */
    static RawServer start(int receiveBuffer, Script script) throws IOException {
        ServerSocket ss = new ServerSocket();
        if (receiveBuffer > 0) {
            ss.setReceiveBufferSize(receiveBuffer);
        }
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new RawServer(ss, script);
    }

    int port() {
        return server.getLocalPort();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    /** Completes when the script has ended; fails with what it threw. */
    CompletableFuture<Void> done() {
        return done;
    }

    /** Waits for the script and rethrows its failure. */
    void awaitScript() throws Exception {
        done.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** The accepted connection and helpers to play the server's part. */
    static final class Peer {
        private static final Pattern KEY = Pattern.compile("(?im)^sec-websocket-key:\\s*(\\S+)\\s*$");

        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads an HTTP head up to and including the empty line. */
        String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the client closed during the head: " + head);
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (head.size() > 65_536) {
                    throw new IOException("head too large");
                }
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        /** The {@code Sec-WebSocket-Accept} value that fits the request head. */
        static String acceptFor(String head) {
            Matcher m = KEY.matcher(head);
            if (!m.find()) {
                throw new AssertionError("no Sec-WebSocket-Key in " + head);
            }
            return AcceptKey.accept(m.group(1));
        }

        /** Reads the upgrade request and answers 101 with the right accept key and {@code extraHeaders}. */
        String upgrade(String... extraHeaders) throws IOException {
            String head = readHead();
            StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + acceptFor(head) + "\r\n");
            for (String h : extraHeaders) {
                b.append(h).append("\r\n");
            }
            b.append("\r\n");
            writeAscii(b.toString());
            return head;
        }

        void writeAscii(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void writeHex(String hex) throws IOException {
            out.write(HexFormat.of().parseHex(hex));
            out.flush();
        }

        /** Reads one client frame, checks it is masked, and returns opcode and unmasked payload as hex. */
        String readFrame() throws IOException {
            int b0 = readByte();
            int b1 = readByte();
            if ((b1 & 0x80) == 0) {
                throw new IOException("client frame not masked");
            }
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes((int) len);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            return String.format(Locale.ROOT, "%02x", b0) + HexFormat.of().formatHex(payload);
        }

        /** Reads until the client closes the TCP connection; true if it did within the socket timeout. */
        boolean awaitEof() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset counts as closed
            }
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the client closed the connection");
            }
            return b;
        }
    }
}
