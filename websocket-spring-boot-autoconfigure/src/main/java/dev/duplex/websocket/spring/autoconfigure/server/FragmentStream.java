package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.SendOverflowException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One message sent as it is written, through a {@link #writer()} or an {@link #outputStream()}: a
 * fragment each time {@code fragmentSize} payload bytes have accumulated, the final fragment on
 * {@code close()} (RFC 6455 section 5.4). Text fragments end at code point boundaries, because the
 * container takes each as a string. While the stream is open it holds the connection's data lane:
 * other messages wait behind it in the {@link OutboundQueue}.
 *
 * <p>Writing waits, as a stream does, while the buffered amount is at its maximum, bounded by four
 * close timeouts; a peer that reads nothing in that time fails the write. A message given up half
 * way cannot be finished on the wire, so it closes the connection with 1011.
 *
 * <p>Not thread-safe: one writer thread, as for any stream.
 */
final class FragmentStream {

    private final SpringWebSocket ws;
    private final OutboundQueue out;
    private final boolean text;
    private final int fragmentSize;
    /** Completes when the final fragment is written, or fails with the first failure. */
    private final CompletableFuture<Void> result = new CompletableFuture<>();

    private boolean closed;
    private boolean started;
    private long total;

    FragmentStream(SpringWebSocket ws, OutboundQueue out, boolean text, int fragmentSize) {
        this.ws = ws;
        this.out = out;
        this.text = text;
        this.fragmentSize = fragmentSize;
        out.openStream(this);
    }

    CompletableFuture<Void> result() {
        return result;
    }

    Writer writer() {
        return new TextWriter();
    }

    OutputStream outputStream() {
        return new BinaryOutput();
    }

    /** Offers one fragment, after waiting for room under the maximum buffered amount. */
    private void emit(Object payload, long bytes, boolean last) throws IOException {
        if (closed) {
            throw new IOException("The message stream is closed");
        }
        if (!ws.isOpenForSending()) {
            IOException e = new IOException("The connection is closing or closed");
            end();
            result.completeExceptionally(e);
            throw e;
        }
        awaitRoom(bytes);
        OutboundQueue.Kind kind = text ? OutboundQueue.Kind.TEXT_PART : OutboundQueue.Kind.BINARY_PART;
        OutboundQueue.Entry entry = out.offerData(kind, new OutboundQueue.Part(payload, last), bytes, false, this);
        if (entry == null) {
            IOException e = new IOException(
                    "A fragment of " + bytes + " bytes can never fit",
                    new SendOverflowException(out.bufferedAmount(), bytes, out.maxBufferedAmount()));
            abandon(e);
            throw e;
        }
        started = true;
        total += bytes;
        ws.fragmentOffered();
        if (last) {
            end();
            ws.streamedMessageSent(text, total);
            entry.result.whenComplete((ok, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(null);
                }
            });
        } else {
            entry.result.whenComplete((ok, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                }
            });
        }
    }

    private void awaitRoom(long bytes) throws IOException {
        long max = out.maxBufferedAmount();
        long deadline = System.nanoTime() + 4 * Math.max(ws.closeTimeoutNanos(), TimeUnit.SECONDS.toNanos(5));
        while (out.bufferedAmount() + bytes > max && bytes <= max) {
            if (!ws.isOpenForSending() || System.nanoTime() > deadline) {
                IOException e = new IOException(
                        "The peer is not reading: the buffered amount stayed at " + out.bufferedAmount() + " bytes");
                abandon(e);
                throw e;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                IOException e = new IOException("Interrupted while waiting for the peer to read", ie);
                abandon(e);
                throw e;
            }
        }
    }

    /** Gives the message up: a message cut short on the wire ends the connection with 1011. */
    void abandon(Throwable cause) {
        if (!closed) {
            end();
            if (started) {
                ws.streamFailed();
            }
        }
        result.completeExceptionally(cause);
    }

    private void end() {
        closed = true;
        out.closeStream(this);
    }

    /** Counts UTF-8 bytes as chars arrive, so each fragment stays within the size. */
    private final class TextWriter extends Writer {
        private final StringBuilder part = new StringBuilder();
        private int partBytes;
        /** A high surrogate waiting for its low half; 0 when none. */
        private char high;

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, chars.length);
            for (int i = off; i < off + len; i++) {
                char c = chars[i];
                if (high != 0) {
                    char h = high;
                    high = 0;
                    if (Character.isLowSurrogate(c)) {
                        append(h, c, 4);
                        continue;
                    }
                    append(h, (char) 0, 3);
                }
                if (Character.isHighSurrogate(c)) {
                    high = c;
                } else {
                    append(c, (char) 0, c < 0x80 ? 1 : c < 0x800 ? 2 : 3);
                }
            }
        }

        private void append(char c, char low, int bytes) throws IOException {
            if (partBytes + bytes > fragmentSize && partBytes > 0) {
                emit(part.toString(), partBytes, false);
                part.setLength(0);
                partBytes = 0;
            }
            part.append(c);
            if (low != 0) {
                part.append(low);
            }
            partBytes += bytes;
        }

        @Override
        public void flush() {
            // Fragments go out as they fill; a partial one waits for more text or close().
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            if (high != 0) {
                append(high, (char) 0, 3);
                high = 0;
            }
            emit(part.toString(), partBytes, true);
        }
    }

    private final class BinaryOutput extends OutputStream {
        private byte[] buffer = new byte[Math.min(fragmentSize, 8192)];
        private int count;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("The message stream is closed");
            }
            while (len > 0) {
                if (count == fragmentSize) {
                    emitBuffer(false);
                }
                if (count == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, Math.min(fragmentSize, buffer.length * 2));
                }
                int n = Math.min(len, buffer.length - count);
                System.arraycopy(b, off, buffer, count, n);
                count += n;
                off += n;
                len -= n;
            }
        }

        private void emitBuffer(boolean last) throws IOException {
            ByteBuffer fragment = ByteBuffer.wrap(java.util.Arrays.copyOf(buffer, count));
            count = 0;
            emit(fragment, fragment.remaining(), last);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                emitBuffer(true);
            }
        }
    }
}
