package dev.duplex.websocket.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal HTTP {@code CONNECT} proxy on 127.0.0.1 for tests: it reads the request head, answers
 * {@code 200}, connects to the requested port on 127.0.0.1 whatever host was named (so a test can
 * ask for {@code localhost} and never leave the loopback), and pipes bytes both ways. It keeps
 * each request line and can add bytes after its {@code 200}, as a broken proxy would.
 */
final class ConnectProxy implements AutoCloseable {

    private static final Pattern CONNECT = Pattern.compile("^CONNECT \\S+:(\\d+) HTTP/1\\.1\r\n");

    private final ServerSocket server;
    private final byte[] extraAfter200;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ConnectProxy(ServerSocket server, byte[] extraAfter200) {
        this.server = server;
        this.extraAfter200 = extraAfter200;
        Thread acceptor = new Thread(this::acceptLoop, "connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ConnectProxy start() throws IOException {
        return start(new byte[0]);
    }

    /** A proxy that sends {@code extraAfter200} right after its {@code 200} response. */
    static ConnectProxy start(byte[] extraAfter200) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new ConnectProxy(s, extraAfter200);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** The first line of each {@code CONNECT} request, in arrival order. */
    List<String> requestLines() {
        return requestLines;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try {
            client.setSoTimeout(30_000);
            String head = readHead(client.getInputStream());
            requestLines.add(head.substring(0, head.indexOf("\r\n")));
            Matcher m = CONNECT.matcher(head);
            OutputStream toClient = client.getOutputStream();
            if (!m.find()) {
                toClient.write(
                        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
            sockets.add(upstream);
            upstream.setSoTimeout(30_000);
            byte[] ok = "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] answer = Arrays.copyOf(ok, ok.length + extraAfter200.length);
            System.arraycopy(extraAfter200, 0, answer, ok.length, extraAfter200.length);
            toClient.write(answer); // one write, so the extra bytes arrive with the 200
            toClient.flush();
            Thread back = new Thread(() -> pipe(upstream, client), "connect-proxy-back");
            back.setDaemon(true);
            back.start();
            pipe(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // One side went away: end both.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Reads byte by byte up to the blank line, so nothing after the head is consumed. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside the CONNECT head");
            }
            head.append((char) b);
            if (head.length() > 8192) {
                throw new IOException("CONNECT head too large");
            }
        }
        return head.toString();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
