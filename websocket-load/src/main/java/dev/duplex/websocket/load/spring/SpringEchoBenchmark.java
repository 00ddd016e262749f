package dev.duplex.websocket.load.spring;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Echo throughput of Duplex's {@code @WebSocketEndpoint} against a plain spring-websocket {@code
 * AbstractWebSocketHandler}, on the same Tomcat in the same run, over loopback. For each connection
 * count and payload size it alternates the two endpoints for several rounds of a fixed duration;
 * each connection keeps a window of text messages in flight, sending one more per echo received.
 * Reports echoes per second (median of rounds, min–max spread) and the ratio Duplex / plain.
 *
 * <p>Arguments (all optional): {@code connections=1,100 sizes=64,4096 seconds=5 rounds=3 window=8}.
 */
public final class SpringEchoBenchmark {

    private SpringEchoBenchmark() {}

    public static void main(String[] args) throws Exception {
        int[] connections = ints(arg(args, "connections", "1,100"));
        int[] sizes = ints(arg(args, "sizes", "64,4096"));
        int seconds = Integer.parseInt(arg(args, "seconds", "5"));
        int rounds = Integer.parseInt(arg(args, "rounds", "3"));
        int window = Integer.parseInt(arg(args, "window", "8"));
        SpringApplication app = new SpringApplication(EchoApp.class);
        app.setDefaultProperties(java.util.Map.of(
                "server.port",
                "0",
                "server.address",
                "127.0.0.1",
                "spring.main.banner-mode",
                "off",
                "logging.level.root",
                "warn"));
        try (ConfigurableApplicationContext ctx = app.run();
                WebSocketClient client = WebSocketClient.builder().build()) {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            System.out.printf(
                    Locale.ROOT,
                    "Tomcat on 127.0.0.1:%d, %d s per round, %d rounds, window %d, %d cores%n",
                    port,
                    seconds,
                    rounds,
                    window,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    Locale.ROOT, "%-6s %-6s %22s %22s %7s%n", "conns", "bytes", "duplex msg/s", "plain msg/s", "ratio");
            for (int n : connections) {
                for (int size : sizes) {
                    String payload = "x".repeat(size);
                    run(client, port, "/duplex", n, payload, 1, window); // warm-up
                    run(client, port, "/plain", n, payload, 1, window);
                    double[] duplex = new double[rounds];
                    double[] plain = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        duplex[r] = run(client, port, "/duplex", n, payload, seconds, window);
                        plain[r] = run(client, port, "/plain", n, payload, seconds, window);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-6d %-6d %22s %22s %7.3f%n",
                            n,
                            size,
                            spread(duplex),
                            spread(plain),
                            median(duplex) / median(plain));
                }
            }
        }
    }

    /** Runs one measurement: echoes per second over {@code seconds}. */
    static double run(WebSocketClient client, int port, String path, int n, String payload, int seconds, int window)
            throws Exception {
        LongAdder echoes = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean(true);
        List<WebSocket> sockets = new ArrayList<>(n);
        WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, String text) {
                echoes.increment();
                if (measuring.get()) {
                    ws.sendText(payload);
                }
            }
        };
        URI uri = URI.create("ws://127.0.0.1:" + port + path);
        for (int i = 0; i < n; i++) {
            sockets.add(client.connect(uri, listener).get(10, TimeUnit.SECONDS));
        }
        for (WebSocket ws : sockets) {
            for (int w = 0; w < window; w++) {
                ws.sendText(payload);
            }
        }
        Thread.sleep(200); // let the windows fill
        long start = System.nanoTime();
        long before = echoes.sum();
        Thread.sleep(seconds * 1000L);
        long after = echoes.sum();
        long elapsed = System.nanoTime() - start;
        measuring.set(false);
        for (WebSocket ws : sockets) {
            ws.close().get(10, TimeUnit.SECONDS);
        }
        return (after - before) * 1e9 / elapsed;
    }

    private static String spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", median(values), sorted[0], sorted[sorted.length - 1]);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(","))
                .mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
    }
}
