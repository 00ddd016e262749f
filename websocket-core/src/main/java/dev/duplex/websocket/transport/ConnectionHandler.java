package dev.duplex.websocket.transport;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Connection} reports to its owner (the WebSocket engine). Every method is called on
 * the connection's {@link EventLoop} thread, one at a time, and must not block: a handler that
 * needs to run slow code hands it to a {@link SerialExecutor}. A method that throws closes the
 * connection with that exception.
 */
public interface ConnectionHandler {

    /**
     * Bytes arrived (decrypted, for TLS). The handler consumes what it can by advancing {@code
     * data}'s position; the bytes it leaves are kept and handed over again, first, with the next
     * bytes. {@code data} is valid only during the call and belongs to a buffer shared by the
     * loop's connections: copy what must be kept.
     */
    void onRead(ByteBuffer data);

    /**
     * The outbound queue, which had backed up because the socket was full, has been written out
     * completely. A streaming sender may resume.
     */
    default void onWritable() {}

    /**
     * A write was refused by the buffered-amount ceiling and {@link
     * ConnectionOptions#closeOnOverflow()} is set: the owner should close the connection with 1008
     * (policy violation). Called at most once per connection.
     *
     * @param bufferedAmount the buffered amount when the write was refused
     * @param refusedBytes the payload bytes of the refused write
     */
    default void onOverflow(long bufferedAmount, long refusedBytes) {}

    /**
     * The connection is closed: called exactly once, last. Queued writes have failed by then.
     *
     * @param cause null when closed by {@link Connection#close()} or {@link Connection#abort()};
     *     a {@link java.io.EOFException} when the peer closed the connection; else the I/O or TLS
     *     failure, or the exception a handler method threw
     */
    void onClosed(@Nullable Throwable cause);
}
