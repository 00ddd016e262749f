package dev.duplex.websocket.benchmarks;

import dev.duplex.websocket.codec.FrameDecoder;
import dev.duplex.websocket.codec.FrameSink;
import dev.duplex.websocket.codec.Opcode;
import dev.duplex.websocket.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.jspecify.annotations.Nullable;
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
 * Server-side decoding of one masked binary frame, with unmasking, by each implementation.
 *
 * <p>Every invocation decodes one whole frame that sits in a heap buffer (the same bytes for all
 * implementations, built once in {@link #setUp()}) and hands the decoded frame to a
 * {@link Blackhole}. Decoders that unmask in place (Duplex, Jetty) leave the payload unmasked,
 * so the next invocation unmasks it back: the work per invocation is the same, only the header
 * is read again, and it is never modified. No implementation validates UTF-8 (binary frames),
 * each enforces its own frame-size limit, set high enough for the largest payload.
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
public class FrameDecodeBenchmark {

    /** Payload size in bytes: 16 B, 1 KiB, 64 KiB, 1 MiB. */
    @Param({"16", "1024", "65536", "1048576"})
    public int size;

    private static final int MAX_FRAME_SIZE = 2 * 1024 * 1024;

    // Every field below is set by setUp() before the first invocation.
    private byte[] payload;

    private FrameDecoder duplex;
    private ByteBuffer duplexInput;
    private final LastPayload duplexSink = new LastPayload();

    private NettyCodec netty;
    private ByteBuf nettyInput;
    private final List<Object> nettyOut = new ArrayList<>(1);

    private Parser jetty;
    private ByteBuffer jettyInput;

    /**
     * Builds the frame bytes and the decoders, then decodes once with each implementation and
     * checks the payload, so that a benchmark can never measure a decoder that fails.
     *
     * @throws IllegalStateException if an implementation decodes something else than the payload
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        payload = Payloads.payload(size);
        byte[] frame = Payloads.maskedClientFrame(payload);

        duplex = new FrameDecoder(Role.SERVER, MAX_FRAME_SIZE);
        duplexInput = ByteBuffer.wrap(frame.clone());

        netty = new NettyCodec(MAX_FRAME_SIZE);
        nettyInput = Unpooled.wrappedBuffer(frame.clone());

        Configuration.ConfigurationCustomizer jettyConfig = new Configuration.ConfigurationCustomizer();
        jettyConfig.setMaxFrameSize(MAX_FRAME_SIZE);
        jettyConfig.setAutoFragment(false);
        jetty = new Parser(ByteBufferPool.NON_POOLING, jettyConfig);
        jettyInput = ByteBuffer.wrap(frame.clone());

        checkDuplex();
        checkNetty();
        checkJetty();
    }

    /** Releases Netty's channel. */
    @TearDown(Level.Trial)
    public void tearDown() {
        netty.close();
    }

    /**
     * Duplex's {@code FrameDecoder}: unmasks the payload in place and hands the sink a view of the
     * input, no copy and no allocation.
     */
    @Benchmark
    public void duplex(Blackhole blackhole) {
        duplexInput.position(0);
        duplex.decode(duplexInput, duplexSink);
        blackhole.consume(duplexSink.payload);
    }

    /** Netty's {@code WebSocket08FrameDecoder}: copies the payload into a pooled buffer, unmasks it there. */
    @Benchmark
    public void netty(Blackhole blackhole) throws Exception {
        nettyInput.readerIndex(0);
        netty.decode(nettyInput, nettyOut);
        WebSocketFrame frame = (WebSocketFrame) nettyOut.get(0);
        nettyOut.clear();
        blackhole.consume(frame);
        frame.release();
    }

    /** Jetty's {@code Parser}: slices the payload out of the input and unmasks it in place. */
    @Benchmark
    public void jetty(Blackhole blackhole) {
        jettyInput.position(0);
        Frame.Parsed frame = jetty.parse(jettyInput);
        blackhole.consume(frame);
        // A payload that was not aggregated has no releaser; close() is what Jetty's own caller does.
        frame.close();
    }

    private void checkDuplex() {
        duplexInput.position(0);
        duplexSink.payload = null;
        duplex.decode(duplexInput, duplexSink);
        ByteBuffer decoded = duplexSink.payload;
        if (decoded == null || duplexSink.opcode != Opcode.BINARY || !duplexSink.fin) {
            throw new IllegalStateException("Duplex decoded no final binary frame from a whole frame");
        }
        byte[] bytes = new byte[decoded.remaining()];
        decoded.duplicate().get(bytes);
        requireSame("Duplex", bytes);
        // Unmasked in place: decode once more so that measuring starts from masked bytes.
        duplexInput.position(0);
        duplex.decode(duplexInput, duplexSink);
    }

    private void checkNetty() throws Exception {
        nettyInput.readerIndex(0);
        netty.decode(nettyInput, nettyOut);
        WebSocketFrame frame = (WebSocketFrame) nettyOut.get(0);
        nettyOut.clear();
        byte[] decoded = new byte[frame.content().readableBytes()];
        frame.content().getBytes(frame.content().readerIndex(), decoded);
        frame.release();
        requireSame("Netty", decoded);
    }

    private void checkJetty() {
        jettyInput.position(0);
        Frame.Parsed frame = jetty.parse(jettyInput);
        if (frame == null) {
            throw new IllegalStateException("Jetty decoded no frame from a whole frame");
        }
        ByteBuffer decoded = frame.getPayload();
        byte[] bytes = new byte[decoded.remaining()];
        decoded.duplicate().get(bytes);
        frame.close();
        requireSame("Jetty", bytes);
        // Unmasked in place: decode once more so that measuring starts from masked bytes.
        jettyInput.position(0);
        jetty.parse(jettyInput).close();
    }

    private void requireSame(String implementation, byte[] decoded) {
        if (!Arrays.equals(decoded, payload)) {
            throw new IllegalStateException(implementation + " decoded a different payload of " + decoded.length
                    + " bytes for a " + size + "-byte frame");
        }
    }

    /** Keeps the last frame a Duplex decoder delivered; a view that the next decode replaces. */
    private static final class LastPayload implements FrameSink {
        @Nullable
        ByteBuffer payload;

        boolean fin;
        Opcode opcode = Opcode.CONTINUATION;

        @Override
        public void onFrame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
            this.fin = fin;
            this.opcode = opcode;
            this.payload = payload;
        }
    }
}
