package dev.duplex.websocket;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection, on either side: the client's connection to a server, or a server's
 * connection to one client.
 *
 * <h2>Sending</h2>
 * No send blocks the caller. Each returns a future that completes when the message's last byte
 * has been written to the socket, and fails with {@link ConnectionClosedException} if the
 * connection ends first, or with {@link SendOverflowException} when the send would pass the
 * maximum {@linkplain #bufferedAmount() buffered amount} (see {@link OverflowPolicy}). Sends from
 * any number of threads are safe; the messages of one thread go out in the order it sent them,
 * each whole (frames of different messages never interleave).
 *
 * <h2>Receiving</h2>
 * Messages reach the {@link WebSocketListener} given when the connection was made, or, for code
 * that prefers a loop, {@link #receive(Duration)}.
 *
 * <p>Counterparts in the seeds: IRIS {@code %Net.WebSocket.Client} ({@code Send},
 * {@code Ping}, {@code Pong}, {@code Next}), IRIS {@code %CSP.WebSocket} ({@code Read},
 * {@code Write}, {@code WebSocketID}), afWebSockets' {@code WebSocket} ({@code id},
 * {@code url}, {@code readyState}, {@code bufferedAmount}, {@code sendText},
 * {@code sendBinary}, {@code close}, {@code read}), 4D's {@code 4D.WebSocket} ({@code id},
 * {@code url}, {@code status}, {@code send}, {@code terminate}) and Qore's
 * {@code WebSocketClient} ({@code isOpen}, {@code disconnect}).
 */
public interface WebSocket {

    /** A unique, stable identifier of this connection, usable to find it in a registry. */
    String id();

    /** The URI: the one connected to on a client, the request URI on a server. */
    URI uri();

    /** The subprotocol agreed in the handshake, or {@code null} when none was. */
    @Nullable
    String subprotocol();

    /** The extensions agreed in the handshake, as sent in {@code Sec-WebSocket-Extensions}. */
    List<String> extensions();

    /**
     * The handshake's headers: the response's on a client (Qore's {@code connect()} result), the
     * request's on a server. Names are case-insensitive; the map is read-only.
     */
    Map<String, List<String>> handshakeHeaders();

    /** Application attributes of this connection: mutable and thread-safe. */
    Map<String, Object> attributes();

    /** The current state. */
    ReadyState readyState();

    /** Whether the connection is {@link ReadyState#OPEN}. */
    default boolean isOpen() {
        return readyState() == ReadyState.OPEN;
    }

    /**
     * The number of payload bytes accepted by the {@code send…} methods and not yet written to
     * the socket (the W3C definition: framing overhead is not counted). It falls as the peer reads.
     */
    long bufferedAmount();

    /** Sends a text message in one frame. */
    CompletableFuture<Void> sendText(CharSequence text);

    /**
     * Sends a text message split into frames of at most {@code fragmentSize} payload bytes (0
     * means one frame). The message is cut only at code point boundaries.
     */
    CompletableFuture<Void> sendText(CharSequence text, int fragmentSize);

    /** Sends a binary message in one frame. The buffer must not change until the future completes. */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /** Sends a binary message split into frames of at most {@code fragmentSize} bytes (0: one frame). */
    CompletableFuture<Void> sendBinary(ByteBuffer data, int fragmentSize);

    /** Sends a binary message in one frame. The array must not change until the future completes. */
    default CompletableFuture<Void> sendBinary(byte[] data) {
        return sendBinary(ByteBuffer.wrap(data));
    }

    /** Sends {@code value} as a JSON text message through the connection's {@link JsonCodec}. */
    CompletableFuture<Void> sendObject(Object value);

    /**
     * Sends everything {@code reader} yields as one text message, in frames of at most
     * {@code fragmentSize} bytes. The reader is read on the calling thread.
     */
    CompletableFuture<Void> sendText(Reader reader, int fragmentSize);

    /**
     * Sends everything {@code in} yields as one binary message, in frames of at most
     * {@code fragmentSize} bytes. The stream is read on the calling thread.
     */
    CompletableFuture<Void> sendBinary(InputStream in, int fragmentSize);

    /**
     * A writer whose text goes out as one message, a frame each time {@code fragmentSize} bytes
     * have accumulated, the final frame on {@code close()}. No other message is sent on this
     * connection until it is closed.
     */
    Writer textWriter(int fragmentSize);

    /** The binary counterpart of {@link #textWriter(int)}. */
    OutputStream binaryStream(int fragmentSize);

    /**
     * Sends a ping and completes with the round-trip time when the matching pong arrives. Fails
     * with a {@link TimeoutException} when none arrives within {@code timeout}, and with a
     * {@link ProtocolException} when a pong arrives whose payload differs (IRIS
     * {@code PongInvalid}).
     *
     * @param payload at most 125 bytes
     */
    CompletableFuture<Duration> ping(ByteBuffer payload, Duration timeout);

    /** Sends an unsolicited pong (a unidirectional heartbeat, RFC 6455 §5.5.3). */
    CompletableFuture<Void> pong(ByteBuffer payload);

    /**
     * Starts the closing handshake with {@code code} and {@code reason} and completes when the
     * connection is closed: after the peer's close frame and the TCP close, or after the close
     * timeout. Calling it again, or on a closing connection, returns the same future.
     *
     * @param code 1000, or an application code in [3000, 5000)
     * @param reason at most 123 bytes of UTF-8
     * @throws IllegalArgumentException when the code or reason may not be sent
     */
    CompletableFuture<CloseReason> close(int code, String reason);

    /** Closes normally: {@code close(1000, "")}. */
    default CompletableFuture<CloseReason> close() {
        return close(CloseReason.NORMAL_CLOSURE, "");
    }

    /** Drops the TCP connection at once, without a closing handshake (the peer sees 1006). */
    void abort();

    /** Completes with how the connection ended, once it is {@link ReadyState#CLOSED}. */
    CompletableFuture<CloseReason> closeFuture();

    /**
     * Pull-style reading: the next message or part of one, waiting at most {@code timeout}.
     * A message larger than the receive buffer arrives in parts; {@link Message#last()} marks the
     * final one. After the last message a {@link Message.Closed} is returned, then the same again.
     * Messages received while nobody reads are buffered up to the configured limits.
     *
     * @throws TimeoutException when nothing arrives in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    Message receive(Duration timeout) throws TimeoutException, InterruptedException;
}
