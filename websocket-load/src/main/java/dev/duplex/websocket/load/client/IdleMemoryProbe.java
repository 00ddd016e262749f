package dev.duplex.websocket.load.client;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A child JVM (started with {@code -XX:NativeMemoryTracking=summary}) that opens {@code count}
 * idle connections with one library and prints what they cost: heap in use after a full GC, the
 * JVM's native memory other than the heap (NMT: thread stacks, direct buffers, metaspace growth,
 * malloc), resident set size, and threads, each as a total difference from the state after one
 * warm-up connection. One library per process, so nothing of another's stays in the figures.
 */
public final class IdleMemoryProbe {

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private IdleMemoryProbe() {}

    /** {@code client port count}; prints {@code RESULT heap=B native=B rss=B threads=N connections=N}. */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        URI uri = URI.create("ws://127.0.0.1:" + Integer.parseInt(args[1]) + "/idle");
        int count = Integer.parseInt(args[2]);
        List<BenchClient.Session> open = new ArrayList<>();
        BenchClient.Receiver ignore = (s, n) -> {};
        try (BenchClient client = BenchClient.create(name)) {
            open.add(client.connect(uri, ignore).get(30, TimeUnit.SECONDS));
            Thread.sleep(500);
            Snapshot before = Snapshot.take();
            for (int done = 1; done < count; ) {
                int batch = Math.min(250, count - done);
                List<CompletableFuture<BenchClient.Session>> futures = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    futures.add(client.connect(uri, ignore));
                }
                for (CompletableFuture<BenchClient.Session> f : futures) {
                    open.add(f.get(60, TimeUnit.SECONDS));
                }
                done += batch;
            }
            Thread.sleep(2_000); // let connect-time garbage and pools settle
            Snapshot after = Snapshot.take();
            System.out.printf(
                    "RESULT heap=%d native=%d rss=%d threads=%d connections=%d%n",
                    after.heap - before.heap,
                    after.nativeNonHeap - before.nativeNonHeap,
                    after.rss - before.rss,
                    after.threads - before.threads,
                    open.size() - 1);
            System.out.flush();
            // The process exits without closing: the sockets go with it.
            Runtime.getRuntime().halt(0);
        }
    }

    private record Snapshot(long heap, long nativeNonHeap, long rss, int threads) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            String nmt = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmNativeMemory",
                            new Object[] {new String[] {"summary"}},
                            new String[] {String[].class.getName()});
            Matcher total = NMT_TOTAL.matcher(nmt);
            Matcher javaHeap = NMT_HEAP.matcher(nmt);
            if (!total.find() || !javaHeap.find()) {
                throw new IllegalStateException("run with -XX:NativeMemoryTracking=summary; NMT said: " + nmt);
            }
            long nonHeap = (Long.parseLong(total.group(2)) - Long.parseLong(javaHeap.group(2))) * 1024;
            return new Snapshot(
                    heap,
                    nonHeap,
                    readRss(),
                    ManagementFactory.getThreadMXBean().getThreadCount());
        }

        private static long readRss() throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return 0;
        }
    }
}
