package dev.duplex.websocket.benchmarks;

import dev.duplex.websocket.codec.FrameEncoder;
import dev.duplex.websocket.codec.Opcode;
import dev.duplex.websocket.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.internal.Generator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Client-side encoding of one final binary frame, masked with a fresh key, by each implementation.
 *
 * <p>The payload is the same heap buffer for every implementation and is never modified; each
 * invocation draws a new masking key the way the implementation does in production, writes the
 * header and the masked payload, and hands the result to a {@link Blackhole}. Where the API
 * takes a destination buffer (Duplex, Jetty) it is one heap buffer of the exact frame size,
 * reused; Netty's encoder allocates its output from the channel's allocator, which is how it
 * works, and the benchmark releases it.
 *
 * <p>The key sources differ by design and are part of what is measured: Duplex takes keys from a
 * 1 KiB pool refilled by {@code SecureRandom}, Netty from {@code ThreadLocalRandom} (not an
 * unpredictable source, as RFC 6455 §5.3 asks), Jetty's client 4 bytes per frame from its own
 * {@code SecureRandom}.
 *
 * <p>Throughput is in frames per second; multiply by {@code size} for payload bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class FrameEncodeBenchmark {

    /** Payload size in bytes: 16 B, 1 KiB, 64 KiB, 1 MiB. */
    @Param({"16", "1024", "65536", "1048576"})
    public int size;

    // Every field below is set by setUp() before the first invocation.
    private byte[] payload;

    private final FrameEncoder duplex = new FrameEncoder(Role.CLIENT);
    private ByteBuffer duplexPayload;
    private ByteBuffer duplexOutput;

    private NettyCodec netty;
    private BinaryWebSocketFrame nettyFrame;
    private final List<Object> nettyOut = new ArrayList<>(1);

    private final Generator jetty = new Generator();
    private final SecureRandom jettyRandom = new SecureRandom();
    private Frame jettyFrame;
    private ByteBuffer jettyPayload;
    private ByteBuffer jettyOutput;

    /**
     * Builds the payload and the encoders, then encodes once with each implementation and checks
     * the frame, so that a benchmark can never measure an encoder that fails.
     *
     * @throws IllegalStateException if an implementation encodes something else than the payload
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        payload = Payloads.payload(size);

        duplexPayload = ByteBuffer.wrap(payload.clone());
        duplexOutput = ByteBuffer.allocate(Payloads.maskedFrameLength(size));

        netty = new NettyCodec(Integer.MAX_VALUE);
        nettyFrame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload.clone()));

        jettyPayload = ByteBuffer.wrap(payload.clone());
        jettyFrame = new Frame(OpCode.BINARY, true, jettyPayload);
        jettyOutput = ByteBuffer.allocate(Payloads.maskedFrameLength(size));

        checkDuplex();
        checkNetty();
        checkJetty();
    }

    /** Releases Netty's channel and frame. */
    @TearDown(Level.Trial)
    public void tearDown() {
        nettyFrame.release();
        netty.close();
    }

    /**
     * Duplex's {@code FrameEncoder}: a key from a pool refilled by {@code SecureRandom}, header and
     * payload into the destination buffer, masked while copying, a long at a time.
     */
    @Benchmark
    public void duplex(Blackhole blackhole) {
        blackhole.consume(encodeDuplex());
    }

    private ByteBuffer encodeDuplex() {
        duplexOutput.clear();
        duplex.encode(duplexOutput, true, 0, Opcode.BINARY, duplexPayload);
        return duplexOutput.flip();
    }

    /**
     * Netty's {@code WebSocket08FrameEncoder}: a key from {@code ThreadLocalRandom}, one pooled
     * buffer for header and payload, masked while copying, a long at a time.
     */
    @Benchmark
    public void netty(Blackhole blackhole) throws Exception {
        netty.encode(nettyFrame, nettyOut);
        ByteBuf frame = (ByteBuf) nettyOut.get(0);
        nettyOut.clear();
        blackhole.consume(frame);
        frame.release();
    }

    /**
     * Jetty's {@code Generator}, keyed as Jetty's client keys it: its {@code WebSocketConnection}
     * gets no {@code Random} from {@code CoreClientUpgradeRequest}, so it makes one
     * {@code new SecureRandom()} per connection and sets {@code nextBytes(new byte[4])} on every
     * frame. Then the whole frame goes into the destination buffer, masked while copying, an int
     * at a time.
     */
    @Benchmark
    public void jetty(Blackhole blackhole) {
        blackhole.consume(encodeJetty());
    }

    private ByteBuffer encodeJetty() {
        byte[] mask = new byte[4];
        jettyRandom.nextBytes(mask);
        jettyFrame.setMask(mask);
        // The generator consumes the payload buffer and expects the destination in flush mode.
        jettyPayload.position(0);
        jettyOutput.position(0).limit(0);
        jetty.generateWholeFrame(jettyFrame, jettyOutput);
        return jettyOutput;
    }

    private void checkDuplex() {
        requireSame("Duplex", Payloads.unmaskClientFrame(encodeDuplex()));
    }

    private void checkNetty() throws Exception {
        netty.encode(nettyFrame, nettyOut);
        ByteBuf frame = (ByteBuf) nettyOut.get(0);
        if (nettyOut.size() != 1) {
            throw new IllegalStateException("Netty encoded a masked frame into " + nettyOut.size() + " buffers");
        }
        nettyOut.clear();
        ByteBuffer bytes = ByteBuffer.allocate(frame.readableBytes());
        frame.getBytes(frame.readerIndex(), bytes);
        frame.release();
        requireSame("Netty", Payloads.unmaskClientFrame(bytes.flip()));
    }

    private void checkJetty() {
        requireSame("Jetty", Payloads.unmaskClientFrame(encodeJetty()));
    }

    private void requireSame(String implementation, byte[] encoded) {
        if (!Arrays.equals(encoded, payload)) {
            throw new IllegalStateException(implementation + " encoded a different payload of " + encoded.length
                    + " bytes for a " + size + "-byte frame");
        }
    }
}
