package dev.duplex.websocket.load.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server benchmark, one command: each server ({@link EchoServerMain}) in a JVM of its own, the
 * same {@link LoadGenerator} in another JVM per cell, every cell bounded; then one table with the
 * ratios Duplex/Netty. Loopback only.
 *
 * <pre>
 * ServerBench [--servers duplex,netty,jetty,tomcat] [--warmup S] [--measure S] [--rate N]
 *             [--idle N] [--cells throughput,latency,handshakes,idle] [--rounds N] [--out FILE]
 * </pre>
 */
public final class ServerBench {

    private static final int[] CONNECTIONS = {1, 100, 1000};
    private static final int[] SIZES = {64, 4096, 65536};
    private static final List<String> SERVER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC");
    private static final List<String> LOAD_JVM = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC");

    private final List<String> servers;
    private final String warmup;
    private final String measure;
    private final int rate;
    private final int idle;
    private final Path out;
    /** The kinds of cell to run: throughput, latency, handshakes, idle. */
    private final List<String> kinds;
    /** The 1-minute load average when the run started ("?" where unknown). */
    private String loadBefore = "?";
    /** Results by server, then by cell name. */
    private final Map<String, Map<String, List<String>>> results = new LinkedHashMap<>();
    /** How many times each server's cells run, the servers taking turns. */
    private final int rounds;
    /** The throughput cells' connection counts and message sizes this run measures. */
    private int[] connections = CONNECTIONS;

    private int[] sizes = SIZES;

    private ServerBench(
            List<String> servers,
            String warmup,
            String measure,
            int rate,
            int idle,
            Path out,
            List<String> kinds,
            int rounds) {
        this.servers = servers;
        this.warmup = warmup;
        this.measure = measure;
        this.rate = rate;
        this.idle = idle;
        this.out = out;
        this.kinds = kinds;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        List<String> servers = List.of("duplex", "netty", "jetty", "tomcat");
        String warmup = "2";
        String measure = "3";
        int rate = 10_000;
        int idle = 10_000;
        Path out = Path.of("target", "server-bench.md");
        List<String> kinds = List.of("throughput", "latency", "handshakes", "idle");
        int rounds = 1;
        int[] connections = CONNECTIONS;
        int[] sizes = SIZES;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--servers" -> servers = List.of(args[++i].split(","));
                case "--warmup" -> warmup = args[++i];
                case "--measure" -> measure = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--cells" -> kinds = List.of(args[++i].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = ints(args[++i]);
                case "--sizes" -> sizes = ints(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ServerBench bench = new ServerBench(servers, warmup, measure, rate, idle, out, kinds, rounds);
        bench.connections = connections;
        bench.sizes = sizes;
        bench.run();
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private void run() throws Exception {
        Instant start = Instant.now();
        loadBefore = loadAverage();
        for (int round = 1; round <= rounds; round++) {
            for (String server : servers) {
                log("== " + server + ", round " + round + " of " + rounds);
                runServer(server)
                        .forEach((cell, result) -> results.computeIfAbsent(server, k -> new LinkedHashMap<>())
                                .computeIfAbsent(cell, k -> new ArrayList<>())
                                .add(result));
            }
        }
        String table = table(Duration.between(start, Instant.now()));
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
        System.out.println("written to " + out.toAbsolutePath());
    }

    private Map<String, String> runServer(String server) throws Exception {
        Map<String, String> cells = new LinkedHashMap<>();
        if (kinds.contains("throughput") || kinds.contains("latency") || kinds.contains("handshakes")) {
            try (Server s = Server.start(server, false)) {
                if (kinds.contains("throughput")) {
                    for (int c : connections) {
                        for (int size : sizes) {
                            String name = "throughput " + c + " " + size;
                            cells.put(name, cell(server, name, "throughput", s.port, c, size, warmup, measure, s.pid));
                        }
                    }
                }
                if (kinds.contains("latency")) {
                    cells.put("latency", cell(server, "latency", "latency", s.port, 100, 64, rate, warmup, "5"));
                }
                if (kinds.contains("handshakes")) {
                    cells.put("handshakes", cell(server, "handshakes", "handshakes", s.port, 16, "1", measure));
                }
            }
        }
        if (kinds.contains("idle")) {
            // Memory on a fresh process, each server with its default message limits (Tomcat
            // allocates its message buffers per connection up front).
            try (Server s = Server.start(server, true)) {
                cells.put("idle", cell(server, "idle", "idle", s.port, idle, s.pid));
            }
        }
        return cells;
    }

    /** A server process: its port and pid; closing its stdin stops it. */
    private record Server(Process process, String port, String pid) implements AutoCloseable {
        static Server start(String kind, boolean defaults) throws Exception {
            List<String> jvm = new ArrayList<>(SERVER_JVM);
            if (defaults) {
                jvm.add("-D" + EchoServerMain.DEFAULT_LIMITS + "=true");
            }
            Process p = java(jvm, EchoServerMain.class, kind, "0");
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // Skip what a server logs to stdout before it is ready (Jetty logs its start).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String ready = readLine(lines, 90);
            while (ready != null && !ready.startsWith("ready ") && System.nanoTime() - deadline < 0) {
                ready = readLine(lines, 90);
            }
            if (ready == null || !ready.startsWith("ready ")) {
                p.destroyForcibly();
                throw new IOException(kind + " did not start: " + ready);
            }
            drain(lines);
            String[] parts = ready.split(" ");
            return new Server(p, parts[1], parts[2]);
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs one cell in a fresh load-generator JVM; its result line, or "failed: ...". */
    private String cell(String server, String name, Object... args) throws Exception {
        List<String> strings = new ArrayList<>();
        for (Object a : args) {
            strings.add(String.valueOf(a));
        }
        Process p = java(LOAD_JVM, LoadGenerator.class, strings.toArray(String[]::new));
        p.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        String result;
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            result = "failed: timed out";
        } else {
            String text = output.get(10, TimeUnit.SECONDS).strip();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
            result = p.exitValue() == 0 ? last : "failed: " + text.replace('\n', ' ');
        }
        log(String.format("%-8s %-24s %s", server, name, result));
        return result;
    }

    private static Process java(List<String> jvm, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String readLine(BufferedReader in, int seconds) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(seconds, TimeUnit.SECONDS);
    }

    /** Keeps reading a server's output (its logs) so that it never blocks on a full pipe. */
    private static void drain(BufferedReader in) {
        Thread t = new Thread(() -> {
            try {
                while (in.readLine() != null) {
                    // Discarded.
                }
            } catch (IOException e) {
                // The server ended.
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }

    // ------------------------------------------------------------------ the table

    private String table(Duration took) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "Server benchmark, %s, %d cores, Java %s; warm-up %s s, measure %s s per cell; whole run %d s;"
                        + " load average (1 min) %s at the start, %s at the end.%n%n",
                Instant.now().toString().substring(0, 16),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                warmup,
                measure,
                took.toSeconds(),
                loadBefore,
                loadAverage()));
        b.append("| cell |");
        for (String s : servers) {
            b.append(' ').append(s).append(" |");
        }
        boolean ratio = servers.contains("duplex") && servers.contains("netty");
        if (ratio) {
            b.append(" Duplex/Netty |");
        }
        b.append('\n').append("|---|");
        b.append("---|".repeat(servers.size() + (ratio ? 1 : 0))).append('\n');
        for (int c : connections) {
            for (int size : sizes) {
                String cell = "throughput " + c + " " + size;
                row(b, "echoes/s, " + c + " conn × " + size(size), cell, 1, ratio);
            }
        }
        for (int c : connections) {
            for (int size : sizes) {
                String cell = "throughput " + c + " " + size;
                row(b, "server CPU µs per echo, " + c + " conn × " + size(size), cell, 2, ratio);
            }
        }
        row(b, "latency p50 µs, 100 conn × 64 B at " + rate + "/s", "latency", 1, ratio);
        row(b, "latency p99 µs, same", "latency", 2, ratio);
        row(b, "latency p99.9 µs, same", "latency", 3, ratio);
        row(b, "handshakes/s (16 at a time, with close)", "handshakes", 1, ratio);
        row(b, "heap B per idle conn (" + idle + " conns, after full GC)", "idle", 1, ratio);
        row(b, "native B per idle conn (RSS delta, heap pre-touched)", "idle", 2, ratio);
        b.append("\nThroughput: closed loop, one binary message in flight per connection; the server's CPU"
                + " per echo is its process's user and system time (/proc/PID/stat) over the measured"
                + " seconds divided by the echoes, lower is better. Latency: open loop"
                + " at a fixed total rate, timed from each send. Handshakes: upgrade, then the closing"
                + " handshake. Idle memory: a fresh server process with its default message limits, heap in"
                + " use after two full GCs and RSS, before and after opening the connections. Servers run"
                + " with -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC; the load"
                + " generator is raw NIO in its own JVM, a fresh one per cell. With several rounds (the"
                + " servers taking turns) each cell shows the median and (min–max); ratios are of"
                + " medians. Ratios above 1 favour Duplex for rates, below 1 for CPU, latency and memory.\n");
        return b.toString();
    }

    private void row(StringBuilder b, String label, String cell, int field, boolean ratio) {
        boolean ran = false;
        for (String s : servers) {
            ran |= results.getOrDefault(s, Map.of()).containsKey(cell);
        }
        if (!ran) {
            return;
        }
        b.append("| ").append(label).append(" |");
        Double duplex = null;
        Double netty = null;
        for (String s : servers) {
            List<Double> values = new ArrayList<>();
            for (String r : results.getOrDefault(s, Map.of()).getOrDefault(cell, List.of())) {
                String[] parts = r.split(" ");
                if (!r.startsWith("failed") && parts.length > field) {
                    values.add(Double.parseDouble(parts[field]));
                }
            }
            String value;
            if (values.isEmpty()) {
                value = "failed";
            } else {
                values.sort(null);
                double median = values.size() % 2 == 1
                        ? values.get(values.size() / 2)
                        : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
                value = number(median);
                if (values.size() > 1) {
                    value += " (" + number(values.get(0)) + "–" + number(values.get(values.size() - 1)) + ")";
                }
                if (s.equals("duplex")) {
                    duplex = median;
                } else if (s.equals("netty")) {
                    netty = median;
                }
            }
            b.append(' ').append(value).append(" |");
        }
        if (ratio) {
            b.append(' ')
                    .append(
                            duplex != null && netty != null && netty != 0
                                    ? String.format(Locale.ROOT, "%.2f", duplex / netty)
                                    : "–")
                    .append(" |");
        }
        b.append('\n');
    }

    private static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The 1-minute load average from /proc/loadavg (Linux), else "?". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }
}
