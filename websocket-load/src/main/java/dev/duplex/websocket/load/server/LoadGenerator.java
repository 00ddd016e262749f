package dev.duplex.websocket.load.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one load generator, the same for every server: raw NIO clients with pre-built masked frames,
 * so that it spends as little as possible of the CPU it shares with the server. One cell per run;
 * it prints one result line.
 *
 * <pre>
 * throughput PORT CONNECTIONS SIZE WARMUP_S MEASURE_S SERVER_PID
 *                                                         -> "throughput MSGS_PER_S SERVER_CPU_US_PER_MSG"
 * latency PORT CONNECTIONS SIZE RATE WARMUP_S MEASURE_S   -> "latency P50_US P99_US P999_US MAX_US COUNT"
 * handshakes PORT CONCURRENCY WARMUP_S MEASURE_S          -> "handshakes PER_S"
 * idle PORT COUNT SERVER_PID                              -> "idle HEAP_BYTES_PER_CONN RSS_BYTES_PER_CONN"
 * </pre>
 *
 * Throughput is closed-loop: each connection sends a binary message, waits for its echo, sends the
 * next. Latency is open-loop: one thread sends at a fixed total rate whatever the echoes do (paced
 * by parking), the selector threads time each echo from its send; each
 * round trip is timed from its send. Every wait is bounded.
 */
public final class LoadGenerator {

    private static final int WORKERS = 2;
    /** USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every Linux this runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    private static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        String result = switch (args[0]) {
            case "throughput" ->
                throughput(
                        port,
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        seconds(args[4]),
                        seconds(args[5]),
                        Long.parseLong(args[6]));
            case "latency" ->
                latency(
                        port,
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]),
                        seconds(args[5]),
                        seconds(args[6]));
            case "handshakes" -> handshakes(port, Integer.parseInt(args[2]), seconds(args[3]), seconds(args[4]));
            case "idle" -> idle(port, Integer.parseInt(args[2]), Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("unknown cell " + args[0]);
        };
        System.out.println(result);
        System.out.flush();
        System.exit(0);
    }

    private static long seconds(String s) {
        return TimeUnit.MILLISECONDS.toNanos((long) (Double.parseDouble(s) * 1000));
    }

    // ------------------------------------------------------------------ throughput and latency

    /** One client connection, owned by one worker thread. */
    private static final class Conn {
        final SocketChannel channel;
        final Frames.MessageCounter counter = new Frames.MessageCounter();
        final ByteBuffer head = ByteBuffer.allocate(1024);
        SelectionKey key;
        boolean open;
        ByteBuffer out = ByteBuffer.allocate(0);
        /** Frames due but not yet started because a write was pending (closed loop). */
        int owed;
        /** Open loop: send times of the messages whose echo has not arrived, oldest first; -1 outside the window. */
        final Queue<Long> sent = new ConcurrentLinkedQueue<>();

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** A selector thread driving a share of the connections. */
    private static final class Worker extends Thread {
        final List<Conn> conns = new ArrayList<>();
        final Selector selector;
        final int port;
        final byte[] frame;
        final CountDownLatch ready;
        final CountDownLatch go;
        /** Whether this worker only receives (open loop: a {@link Sender} sends). */
        final boolean receiveOnly;

        volatile boolean stop;
        volatile long received;
        long[] latencies = new long[0];
        int latencyCount;
        volatile Throwable failure;

        Worker(
                int index,
                int port,
                int connections,
                byte[] frame,
                CountDownLatch ready,
                CountDownLatch go,
                boolean receiveOnly)
                throws IOException {
            super("load-" + index);
            this.selector = Selector.open();
            this.port = port;
            this.frame = frame;
            this.ready = ready;
            this.go = go;
            this.receiveOnly = receiveOnly;
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                conns.add(new Conn(ch));
            }
        }

        @Override
        public void run() {
            try {
                connectAll();
                ready.countDown();
                go.await();
                if (!receiveOnly) {
                    for (Conn c : conns) {
                        send(c);
                    }
                }
                loop();
            } catch (Throwable t) {
                failure = t;
                ready.countDown();
            } finally {
                for (Conn c : conns) {
                    try {
                        c.channel.close();
                    } catch (IOException e) {
                        // Closing anyway.
                    }
                }
            }
        }

        private void connectAll() throws IOException {
            byte[] request = Frames.upgradeRequest(port);
            for (Conn c : conns) {
                c.channel.connect(new InetSocketAddress("127.0.0.1", port));
                c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
            int opened = 0;
            long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
            while (opened < conns.size()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("only " + opened + " of " + conns.size() + " connections opened");
                }
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    if (key.isConnectable()) {
                        c.channel.finishConnect();
                        writeFully(c.channel, ByteBuffer.wrap(request));
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        if (c.channel.read(c.head) < 0) {
                            throw new IOException("closed during the handshake");
                        }
                        String head = new String(c.head.array(), 0, c.head.position(), StandardCharsets.ISO_8859_1);
                        int end = head.indexOf("\r\n\r\n");
                        if (end >= 0) {
                            if (!head.startsWith("HTTP/1.1 101")) {
                                throw new IOException("handshake refused: "
                                        + head.lines().findFirst().orElse(""));
                            }
                            c.open = true;
                            opened++;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private void send(Conn c) throws IOException {
            if (c.out.hasRemaining()) {
                c.owed++;
                return;
            }
            c.out = ByteBuffer.wrap(frame);
            c.channel.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        /** Reads echoes; closed loop: each one sends the next message; open loop: each one is timed. */
        private void loop() throws IOException {
            ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
            long count = 0;
            while (!stop) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    if (key.isWritable()) {
                        flush(c);
                    }
                    if (key.isReadable()) {
                        in.clear();
                        if (c.channel.read(in) < 0) {
                            throw new IOException("the server closed a connection");
                        }
                        in.flip();
                        int n = c.counter.feed(in);
                        long arrived = receiveOnly ? System.nanoTime() : 0;
                        for (int i = 0; i < n; i++) {
                            count++;
                            if (receiveOnly) {
                                Long t = c.sent.poll();
                                if (t != null && t >= 0) {
                                    record(arrived - t);
                                }
                            } else {
                                send(c);
                            }
                        }
                    }
                }
                selector.selectedKeys().clear();
                received = count;
            }
        }

        private void flush(Conn c) throws IOException {
            c.channel.write(c.out);
            if (!c.out.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ);
                if (c.owed > 0) {
                    c.owed--;
                    c.out = ByteBuffer.wrap(frame);
                    flush(c);
                }
            }
        }

        private void record(long nanos) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, Math.max(1024, latencies.length * 2));
            }
            latencies[latencyCount++] = nanos;
        }
    }

    /**
     * Open loop: sends to the connections in turn at a fixed total rate, paced by parking (not by a
     * spinning selector, which would take a core from the server), whatever the echoes do.
     */
    private static final class Sender extends Thread {
        final List<Conn> conns;
        final byte[] frame;
        final long interval;
        volatile boolean stop;
        volatile boolean recording;
        volatile @Nullable Throwable failure;

        Sender(List<Conn> conns, byte[] frame, long interval) {
            super("load-sender");
            this.conns = conns;
            this.frame = frame;
            this.interval = interval;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            int turn = 0;
            try {
                while (!stop) {
                    long now = System.nanoTime();
                    if (now - next < 0) {
                        LockSupport.parkNanos(next - now);
                        continue;
                    }
                    Conn c = conns.get(turn);
                    turn = (turn + 1) % conns.size();
                    c.sent.add(recording ? now : -1L);
                    writeFully(c.channel, ByteBuffer.wrap(frame));
                    next += interval;
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
        while (b.hasRemaining()) {
            ch.write(b);
            if (b.hasRemaining() && System.nanoTime() - deadline > 0) {
                throw new IOException("could not write the request");
            }
        }
    }

    private static byte[] frame(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) i;
        }
        return Frames.clientFrame(Frames.BINARY, payload);
    }

    private static List<Worker> startWorkers(
            int port, int connections, byte[] frame, boolean receiveOnly, CountDownLatch go) throws Exception {
        int workers = Math.min(WORKERS, connections);
        CountDownLatch ready = new CountDownLatch(workers);
        List<Worker> list = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int share = connections / workers + (w < connections % workers ? 1 : 0);
            list.add(new Worker(w, port, share, frame, ready, go, receiveOnly));
        }
        list.forEach(Thread::start);
        if (!ready.await(90, TimeUnit.SECONDS)) {
            throw new IOException("connections not ready within 90 s");
        }
        checkFailures(list);
        return list;
    }

    private static void checkFailures(List<Worker> workers) throws IOException {
        for (Worker w : workers) {
            if (w.failure != null) {
                throw new IOException("worker failed: " + w.failure, w.failure);
            }
        }
    }

    private static long received(List<Worker> workers) {
        long sum = 0;
        for (Worker w : workers) {
            sum += w.received;
        }
        return sum;
    }

    private static void stop(List<Worker> workers) throws InterruptedException {
        for (Worker w : workers) {
            w.stop = true;
            w.selector.wakeup();
        }
        for (Worker w : workers) {
            w.join(10_000);
        }
    }

    static String throughput(int port, int connections, int size, long warmup, long measure, long serverPid)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Worker> workers = startWorkers(port, connections, frame(size), false, go);
        go.countDown();
        TimeUnit.NANOSECONDS.sleep(warmup);
        long before = received(workers);
        long cpu0 = cpuTicks(serverPid);
        long t0 = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(measure);
        long after = received(workers);
        long t1 = System.nanoTime();
        long cpu1 = cpuTicks(serverPid);
        checkFailures(workers);
        stop(workers);
        // The server's CPU per echo is steadier than the rate when both share two cores: it does not
        // depend on how the scheduler places the server and the load generator.
        double cpuMicrosPerEcho = (cpu1 - cpu0) * (1e6 / CLOCK_TICKS_PER_SECOND) / Math.max(1, after - before);
        return String.format(Locale.ROOT, "throughput %.0f %.2f", (after - before) * 1e9 / (t1 - t0), cpuMicrosPerEcho);
    }

    /** The user and system CPU time a process has used, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static String latency(int port, int connections, int size, int rate, long warmup, long measure) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        byte[] frame = frame(size);
        List<Worker> workers = startWorkers(port, connections, frame, true, go);
        List<Conn> conns = new ArrayList<>();
        workers.forEach(w -> conns.addAll(w.conns));
        Sender sender = new Sender(conns, frame, 1_000_000_000L / rate);
        go.countDown();
        sender.start();
        TimeUnit.NANOSECONDS.sleep(warmup);
        sender.recording = true;
        TimeUnit.NANOSECONDS.sleep(measure);
        sender.recording = false;
        TimeUnit.MILLISECONDS.sleep(500); // the last echoes of the window
        sender.stop = true;
        sender.join(10_000);
        if (sender.failure != null) {
            throw new IOException("sending failed: " + sender.failure, sender.failure);
        }
        checkFailures(workers);
        stop(workers);
        int total = 0;
        for (Worker w : workers) {
            total += w.latencyCount;
        }
        long[] all = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.latencyCount);
            at += w.latencyCount;
        }
        Arrays.sort(all);
        return String.format(
                "latency %.1f %.1f %.1f %.1f %d",
                percentile(all, 0.50),
                percentile(all, 0.99),
                percentile(all, 0.999),
                all.length == 0 ? 0.0 : all[all.length - 1] / 1e3,
                total);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e3;
    }

    // ------------------------------------------------------------------ handshakes

    static String handshakes(int port, int concurrency, long warmup, long measure) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        byte[] request = Frames.upgradeRequest(port);
        byte[] close = Frames.close();
        long end = System.nanoTime() + warmup + measure + TimeUnit.MILLISECONDS.toNanos(200);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                while (System.nanoTime() - end < 0) {
                    try (Socket s = new Socket()) {
                        s.setTcpNoDelay(true);
                        s.setSoTimeout(5000);
                        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        out.write(request);
                        String head = readHead(in, buf);
                        if (!head.startsWith("HTTP/1.1 101")) {
                            failed.incrementAndGet();
                            continue;
                        }
                        done.incrementAndGet();
                        // The closing handshake, so that each server does its whole job.
                        out.write(close);
                        while (in.read(buf) >= 0) {
                            // Until the server's close frame and the end of the stream.
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        TimeUnit.NANOSECONDS.sleep(warmup);
        long before = done.get();
        long t0 = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(measure);
        long after = done.get();
        long t1 = System.nanoTime();
        for (Thread t : threads) {
            t.join(15_000);
        }
        return String.format("handshakes %.0f %d", (after - before) * 1e9 / (t1 - t0), failed.get());
    }

    /** Reads a response head in chunks (a byte at a time would make the generator the bottleneck). */
    private static String readHead(InputStream in, byte[] buf) throws IOException {
        int have = 0;
        while (have < buf.length) {
            int n = in.read(buf, have, buf.length - have);
            if (n < 0) {
                break;
            }
            have += n;
            String head = new String(buf, 0, have, StandardCharsets.ISO_8859_1);
            if (head.contains("\r\n\r\n")) {
                return head; // an echo server sends nothing after its 101 unasked
            }
        }
        return new String(buf, 0, have, StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ idle memory

    static String idle(int port, int count, long pid) throws Exception {
        long[] before = memory(pid);
        CountDownLatch go = new CountDownLatch(1);
        List<Worker> workers = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Worker w = new Worker(0, port, count, new byte[0], ready, go, false);
        workers.add(w);
        w.start();
        if (!ready.await(120, TimeUnit.SECONDS)) {
            throw new IOException("idle connections not open within 120 s");
        }
        checkFailures(workers);
        TimeUnit.SECONDS.sleep(2);
        long[] after = memory(pid);
        // The worker waits on go; the connections close when it ends.
        w.stop = true;
        go.countDown();
        w.selector.wakeup();
        w.join(30_000);
        return String.format(
                "idle %.0f %.0f %d %d %d %d",
                (after[0] - before[0]) / (double) count,
                (after[1] - before[1]) / (double) count,
                before[0],
                after[0],
                before[1],
                after[1]);
    }

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    /** The server's heap in use after a full GC, and its resident set, in bytes. */
    private static long[] memory(long pid) throws Exception {
        jcmd(pid, "GC.run");
        TimeUnit.MILLISECONDS.sleep(500);
        jcmd(pid, "GC.run");
        TimeUnit.MILLISECONDS.sleep(500);
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
        if (!heap.find() || !rss.find()) {
            throw new IOException("cannot read the memory of process " + pid);
        }
        return new long[] {Long.parseLong(heap.group(1)) * 1024, Long.parseLong(rss.group(1)) * 1024};
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(pid),
                        command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return out;
    }
}
