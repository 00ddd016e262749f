package dev.duplex.websocket.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Keeps every byte read and counts the callbacks; optionally echoes what it reads. */
class RecordingHandler implements ConnectionHandler {

    final Connection connection;
    private final boolean echo;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final AtomicInteger closedCalls = new AtomicInteger();
    final AtomicInteger writableCalls = new AtomicInteger();
    final AtomicInteger overflowCalls = new AtomicInteger();
    final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();
    volatile @Nullable String readThread;

    RecordingHandler(Connection connection, boolean echo) {
        this.connection = connection;
        this.echo = echo;
    }

    @Override
    public void onRead(ByteBuffer data) {
        readThread = Thread.currentThread().getName();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (received) {
            received.write(bytes, 0, bytes.length);
        }
        if (echo) {
            connection.write(ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void onWritable() {
        writableCalls.incrementAndGet();
    }

    @Override
    public void onOverflow(long bufferedAmount, long refusedBytes) {
        overflowCalls.incrementAndGet();
    }

    @Override
    public void onClosed(@Nullable Throwable cause) {
        closedCalls.incrementAndGet();
        closed.complete(cause);
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }
}
