package dev.duplex.websocket.load.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Runs one echo server on 127.0.0.1 at {@link #PATH}, in this JVM, until stdin closes: {@code
 * EchoServerMain duplex|netty|jetty|tomcat PORT}. Prints {@code ready PORT PID} once it accepts
 * connections (port 0 picks a free one).
 */
public final class EchoServerMain {

    /** The path every server echoes on. */
    public static final String PATH = "/echo";
    /** The largest message any server accepts: above the largest the benchmark sends (64 KiB). */
    public static final int MAX_MESSAGE = 1024 * 1024;
    /**
     * A system property: when true, servers keep their default message limits (for the memory
     * cell: Tomcat allocates its message buffers per connection up front).
     */
    public static final String DEFAULT_LIMITS = "bench.defaultLimits";

    /** Whether {@link #DEFAULT_LIMITS} is set. */
    static boolean defaultLimits() {
        return Boolean.getBoolean(DEFAULT_LIMITS);
    }

    /** A started server. */
    interface Running extends AutoCloseable {
        int port();
    }

    private EchoServerMain() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0].toLowerCase(Locale.ROOT);
        int port = Integer.parseInt(args[1]);
        Running server = switch (kind) {
            case "duplex" -> DuplexEchoServer.start(port);
            case "netty" -> NettyEchoServer.start(port);
            case "jetty" -> JettyEchoServer.start(port);
            case "tomcat" -> TomcatEchoServer.start(port);
            default -> throw new IllegalArgumentException("unknown server " + kind);
        };
        System.out.println(
                "ready " + server.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        awaitEndOfInput(System.in);
        server.close();
        System.exit(0);
    }

    private static void awaitEndOfInput(InputStream in) {
        try {
            while (in.read() >= 0) {
                // Ignore: the harness only closes it.
            }
        } catch (IOException e) {
            // Treated as the end.
        }
    }
}
