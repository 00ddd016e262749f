package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A WebSocket client on a plain socket, for feeding the server exactly the bytes a test wants.
 * Client frames are written as hex with the all-zero masking key, so their payload reads as is.
 * Every read is bounded by a 5-second socket timeout.
 */
final class RawClient implements AutoCloseable {

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return new RawClient(s);
    }

    /** A valid upgrade request for {@code path} with extra header lines. */
    static String upgradeRequest(String path, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** Sends the upgrade request and returns the response head; asserts 101. */
    RawClient open(String path, String... headers) throws IOException {
        write(upgradeRequest(path, headers));
        assertThat(readHead()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        return this;
    }

    void write(String ascii) throws IOException {
        out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends bytes given as hex (spaces allowed). */
    void send(String hex) throws IOException {
        out.write(HexFormat.of().parseHex(hex.replace(" ", "")));
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads up to and including the blank line that ends a response head. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads everything until the server closes the connection. */
    String readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // A reset after the response counts as the end.
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Reads one server frame (unmasked) and returns it as hex. */
    String readFrame() throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b0 = readByte();
        int b1 = readByte();
        frame.write(b0);
        frame.write(b1);
        assertThat(b1 & 0x80).as("server frames are unmasked").isZero();
        long length = b1 & 0x7f;
        int extra = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (extra > 0) {
            length = 0;
            for (int i = 0; i < extra; i++) {
                int b = readByte();
                frame.write(b);
                length = (length << 8) | b;
            }
        }
        for (long i = 0; i < length; i++) {
            frame.write(readByte());
        }
        return HexFormat.of().formatHex(frame.toByteArray());
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream inside a frame");
        }
        return b;
    }

    /** Whether the server has closed the connection: the next read sees the end of the stream. */
    boolean isClosedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true; // reset: closed too
        }
    }

    /**
     * Asserts that the next thing from the server is one close frame with {@code code} and then the
     * end of the stream (no second close frame, nothing else).
     *
     * @return the close frame as hex
     */
    String expectCloseAndEnd(int code) throws IOException {
        String frame = readFrame();
        assertThat(frame.substring(0, 2)).as("opcode of " + frame).isEqualTo("88");
        assertThat(Integer.parseInt(frame.substring(4, 8), 16))
                .as("close code of " + frame)
                .isEqualTo(code);
        assertThat(isClosedByServer()).as("server closed TCP").isTrue();
        return frame;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
