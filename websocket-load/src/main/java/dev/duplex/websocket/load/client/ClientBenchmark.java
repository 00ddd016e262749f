package dev.duplex.websocket.load.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client benchmark: Duplex's client, the JDK's {@code java.net.http} WebSocket, OkHttp 5 and
 * Jetty 12.1's client, one after the other in one run against one Netty 4.2 echo server in its
 * own JVM, over loopback, with the same payloads. Scenarios:
 *
 * <ul>
 *   <li>{@code rtt}: round trips per second, one 64 B binary message in flight on one connection;
 *   <li>{@code pipe64}, {@code pipe16k}: echoed messages per second with 64 in flight on one
 *       connection, 64 B and 16 KiB;
 *   <li>{@code connect}: connections opened (TCP connect and upgrade) per second, from a few
 *       threads each connecting, then closing, in a loop;
 *   <li>{@code memory}: heap and native memory per idle connection at N connections (10,000 by
 *       default), each library in a fresh child JVM with native memory tracking.
 * </ul>
 *
 * An unmeasured short pass over every cell comes first (JIT warm-up of the shared code). Each
 * throughput cell then warms up, then counts for a fixed time; the scenarios run in rounds, every
 * library once per round in a rotating order, and the table shows the best round with the spread
 * beside it. Ratios
 * compare Duplex with the best of the others (for memory: the leanest).
 */
public final class ClientBenchmark {

    private static final List<String> OTHERS = List.of("jdk", "okhttp", "jetty");

    private Options options;
    private final URI echo;
    /** scenario → client → one value per round. */
    private final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();

    private ClientBenchmark(Options options, int port) {
        this.options = options;
        this.echo = URI.create("ws://127.0.0.1:" + port + "/echo");
    }

    /** Options as {@code --name value}; see {@code run-client-bench.sh --help}. */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String startLoad = loadAverage();
        Process server = startJava(List.of("-Xmx1g"), NettyEchoServer.class, List.of());
        try {
            int port = readPort(server);
            ClientBenchmark bench = new ClientBenchmark(options, port);
            bench.run(port);
            bench.print(startLoad, loadAverage());
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private void run(int port) throws Exception {
        // One short pass over every cell first, unmeasured, so that no library pays for the JIT
        // compiling the JVM's shared code (and the echo server's) in its measured cell.
        Options measured = options;
        options = options.warmupPass();
        for (String scenario : measured.scenarios) {
            if (!scenario.equals("memory")) {
                for (String client : measured.clients) {
                    cell(scenario, client);
                }
            }
        }
        options = measured;
        for (int round = 1; round <= options.rounds; round++) {
            for (String scenario : options.scenarios) {
                if (scenario.equals("memory")) {
                    continue;
                }
                // Each round starts with another library, so none is always first after a pause.
                List<String> order = new ArrayList<>(options.clients);
                java.util.Collections.rotate(order, -(round - 1));
                for (String client : order) {
                    double value = cell(scenario, client);
                    record(scenario, client, value);
                    System.err.printf(Locale.ROOT, "round %d  %-8s %-14s %,14.0f%n", round, scenario, client, value);
                }
            }
        }
        if (options.scenarios.contains("memory")) {
            for (String client : options.clients) {
                double[] perConnection = memory(client, port);
                record("memory-heap", client, perConnection[0]);
                record("memory-native", client, perConnection[1]);
                record("memory-rss", client, perConnection[2]);
                record("memory-threads", client, perConnection[3]);
                System.err.printf(
                        Locale.ROOT,
                        "memory   %-14s heap %,.0f B  native %,.0f B  rss %,.0f B  threads %.0f per 1,000%n",
                        client,
                        perConnection[0],
                        perConnection[1],
                        perConnection[2],
                        perConnection[3] * 1000);
            }
        }
    }

    private void record(String scenario, String client, double value) {
        results.computeIfAbsent(scenario, s -> new LinkedHashMap<>())
                .computeIfAbsent(client, c -> new ArrayList<>())
                .add(value);
    }

    private double cell(String scenario, String client) throws Exception {
        try (BenchClient c = BenchClient.create(client)) {
            return switch (scenario) {
                case "rtt" -> echoRate(c, 64, 1);
                case "pipe64" -> echoRate(c, 64, 64);
                case "pipe16k" -> echoRate(c, 16 * 1024, 64);
                case "connect" -> connectRate(c);
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        }
    }

    /** Echoed messages per second on one connection with {@code inFlight} messages outstanding. */
    private double echoRate(BenchClient client, int size, int inFlight) throws Exception {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        AtomicLong received = new AtomicLong();
        AtomicLong wrongSize = new AtomicLong();
        boolean[] running = {true};
        BenchClient.Session session = client.connect(echo, (s, bytes) -> {
                    if (bytes != size) {
                        wrongSize.incrementAndGet();
                    }
                    received.incrementAndGet();
                    if (running[0]) {
                        s.send(payload);
                    }
                })
                .get(30, TimeUnit.SECONDS);
        for (int i = 0; i < inFlight; i++) {
            session.send(payload);
        }
        double rate = measure(received);
        running[0] = false;
        session.close();
        if (wrongSize.get() != 0) {
            throw new IllegalStateException(wrongSize.get() + " echoed messages had the wrong size");
        }
        return rate;
    }

    /** Connections opened per second by a few threads each connecting and then closing in a loop. */
    private double connectRate(BenchClient client) throws Exception {
        AtomicLong opened = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        boolean[] running = {true};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.connectThreads; i++) {
            Thread t = new Thread(
                    () -> {
                        while (running[0]) {
                            try {
                                BenchClient.Session s =
                                        client.connect(echo, (x, n) -> {}).get(30, TimeUnit.SECONDS);
                                opened.incrementAndGet();
                                s.close();
                            } catch (Exception e) {
                                failed.incrementAndGet();
                            }
                        }
                    },
                    "connect-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        double rate = measure(opened);
        running[0] = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
        Thread.sleep(500); // let the last closes finish before the client goes
        if (failed.get() > 0) {
            System.err.println("  " + failed.get() + " connects failed");
        }
        return rate;
    }

    /** Warms up, then returns the counter's growth per second over the measuring time. */
    private double measure(AtomicLong counter) throws InterruptedException {
        Thread.sleep(options.warmupMillis);
        long start = System.nanoTime();
        long first = counter.get();
        Thread.sleep(options.measureMillis);
        long last = counter.get();
        long nanos = System.nanoTime() - start;
        return (last - first) * 1e9 / nanos;
    }

    /** Per connection: heap bytes, native bytes, RSS bytes, threads. */
    private double[] memory(String client, int port) throws Exception {
        Process probe = startJava(
                List.of("-XX:NativeMemoryTracking=summary", "-Xmx2g"),
                IdleMemoryProbe.class,
                List.of(client, String.valueOf(port), String.valueOf(options.connections)));
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    while ((l = out.readLine()) != null) {
                        if (l.startsWith("RESULT ")) {
                            return l;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            String result = line.get(300, TimeUnit.SECONDS);
            if (result == null) {
                throw new IllegalStateException("the memory probe for " + client + " printed no result");
            }
            Map<String, Long> values = new LinkedHashMap<>();
            for (String part : result.substring(7).split(" ")) {
                String[] kv = part.split("=");
                values.put(kv[0], Long.parseLong(kv[1]));
            }
            double n = values.get("connections");
            return new double[] {
                values.get("heap") / n, values.get("native") / n, values.get("rss") / n, values.get("threads") / n
            };
        } finally {
            probe.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ the table

    private void print(String startLoad, String endLoad) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                Locale.ROOT,
                "%nClient benchmark: one Netty 4.2 websocketx echo server (own JVM), loopback, binary messages.%n"
                        + "JDK %s, %d cores, load average %s at start, %s at end; %d round(s), %d ms warm-up + %d ms"
                        + " per throughput cell; best round shown, [min-max] over rounds.%n%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                startLoad,
                endLoad,
                options.rounds,
                options.warmupMillis,
                options.measureMillis));
        t.append(String.format(Locale.ROOT, "%-34s", "scenario"));
        for (String c : options.clients) {
            t.append(String.format(Locale.ROOT, "%26s", c));
        }
        t.append(String.format(Locale.ROOT, "%16s%16s%n", "duplex/best", "direct/best"));
        row(t, "rtt", "round trips/s, 64 B, 1 in flight", true);
        row(t, "pipe64", "msgs/s, 64 B, 64 in flight", true);
        row(t, "pipe16k", "msgs/s, 16 KiB, 64 in flight", true);
        row(t, "connect", "connections opened/s", true);
        String n = String.format(Locale.ROOT, "%,d", options.connections);
        row(t, "memory-heap", "heap B/conn at " + n, false);
        row(t, "memory-native", "native (NMT) B/conn at " + n, false);
        row(t, "memory-rss", "RSS B/conn at " + n, false);
        row(t, "memory-threads", "threads per 1,000 conns", false);
        System.out.print(t);
    }

    private void row(StringBuilder t, String scenario, String label, boolean higherIsBetter) {
        Map<String, List<Double>> byClient = results.get(scenario);
        if (byClient == null) {
            return;
        }
        boolean threads = scenario.equals("memory-threads");
        t.append(String.format(Locale.ROOT, "%-34s", label));
        for (String c : options.clients) {
            List<Double> v = byClient.get(c);
            if (v == null) {
                t.append(String.format(Locale.ROOT, "%26s", "-"));
                continue;
            }
            double best = best(v, higherIsBetter) * (threads ? 1000 : 1);
            double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(0) * (threads ? 1000 : 1);
            double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(0) * (threads ? 1000 : 1);
            String cell = v.size() == 1
                    ? String.format(Locale.ROOT, "%,.0f", best)
                    : String.format(Locale.ROOT, "%,.0f [%,.0f-%,.0f]", best, min, max);
            t.append(String.format(Locale.ROOT, "%26s", cell));
        }
        double bestOther = Double.NaN;
        for (String o : OTHERS) {
            List<Double> v = byClient.get(o);
            if (v != null) {
                double b = best(v, higherIsBetter);
                if (Double.isNaN(bestOther) || (higherIsBetter ? b > bestOther : b < bestOther)) {
                    bestOther = b;
                }
            }
        }
        t.append(ratio(byClient.get("duplex"), bestOther, higherIsBetter));
        t.append(ratio(byClient.get("duplex-direct"), bestOther, higherIsBetter));
        t.append(System.lineSeparator());
    }

    private static String ratio(List<Double> duplex, double bestOther, boolean higherIsBetter) {
        if (duplex == null || Double.isNaN(bestOther) || bestOther == 0) {
            return String.format(Locale.ROOT, "%16s", "-");
        }
        return String.format(Locale.ROOT, "%15.2fx", best(duplex, higherIsBetter) / bestOther);
    }

    private static double best(List<Double> values, boolean higherIsBetter) {
        return higherIsBetter
                ? values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)
                : values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    // ------------------------------------------------------------------ processes

    private static Process startJava(List<String> jvmOptions, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static int readPort(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(60, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("port ")) {
            throw new IllegalStateException("the Netty echo server printed " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The command line. */
    private record Options(
            List<String> clients,
            List<String> scenarios,
            int rounds,
            long warmupMillis,
            long measureMillis,
            int connections,
            int connectThreads) {

        /** The same cells, briefly: for the unmeasured warm-up pass. */
        Options warmupPass() {
            return new Options(clients, scenarios, 1, 300, 500, connections, connectThreads);
        }

        static Options parse(String[] args) {
            List<String> clients = BenchClient.NAMES;
            List<String> scenarios = List.of("rtt", "pipe64", "pipe16k", "connect", "memory");
            int rounds = 2;
            long warmup = 1_500;
            long measure = 3_000;
            int connections = 10_000;
            int connectThreads = 4;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--clients" -> clients = List.of(value.split(","));
                    case "--scenarios" -> scenarios = List.of(value.split(","));
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--warmup-ms" -> warmup = Long.parseLong(value);
                    case "--measure-ms" -> measure = Long.parseLong(value);
                    case "--connections" -> connections = Integer.parseInt(value);
                    case "--connect-threads" -> connectThreads = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (connections < 2 || connections > 15_000) {
                throw new IllegalArgumentException(
                        "'--connections' must be in [2, 15000] (the per-process limit is 20,000 files), was "
                                + connections);
            }
            for (String c : clients) {
                if (!BenchClient.NAMES.contains(c)) {
                    throw new IllegalArgumentException("'--clients' must name some of " + BenchClient.NAMES);
                }
            }
            return new Options(clients, scenarios, rounds, warmup, measure, connections, connectThreads);
        }
    }
}
