package dev.duplex.websocket.load.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One WebSocket client library behind the benchmark's small interface: connect, send a binary
 * message, hear of each echoed message, close. Each implementation uses its library the way its
 * documentation shows, with its defaults, changing only what would otherwise cap the benchmark
 * (OkHttp's per-host request limit, Jetty's idle timeout).
 */
interface BenchClient extends AutoCloseable {

    /** The names {@link #create} knows, in table order; Duplex's first. */
    List<String> NAMES = List.of("duplex", "duplex-direct", "jdk", "okhttp", "jetty");

    /** Told of each whole message that arrives, on the library's own thread. */
    interface Receiver {
        void onMessage(Session session, int bytes);
    }

    /** One open connection. */
    interface Session {
        /** Sends {@code payload} as one binary message; never blocks; the array is never changed. */
        void send(byte[] payload);

        /** Starts the closing handshake (1000); returns at once. */
        void close();
    }

    /** Connects to {@code uri}; completes once the connection is open. */
    CompletableFuture<Session> connect(URI uri, Receiver receiver);

    /** Releases the library's threads and pools. */
    @Override
    void close() throws Exception;

    /** A new client of the library called {@code name} (one of {@link #NAMES}). */
    static BenchClient create(String name) throws Exception {
        return switch (name) {
            case "duplex" -> new DuplexBenchClient(false);
            case "duplex-direct" -> new DuplexBenchClient(true);
            case "jdk" -> new JdkBenchClient();
            case "okhttp" -> new OkHttpBenchClient();
            case "jetty" -> new JettyBenchClient();
            default -> throw new IllegalArgumentException("'client' must be one of " + NAMES + ", was " + name);
        };
    }
}
