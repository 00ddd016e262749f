package dev.duplex.websocket.client;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ConnectionClosedException;
import dev.duplex.websocket.Message;
import dev.duplex.websocket.ReadyState;
import dev.duplex.websocket.WebSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The connection a listener sees when a connect fails before the handshake completes: {@link
 * ReadyState#CONNECTING} until the failure, then {@link ReadyState#CLOSED} with 1006. Every send
 * fails with {@link ConnectionClosedException}. Thread-safe.
 */
final class UnopenedWebSocket implements WebSocket {

    private final String id = UUID.randomUUID().toString();
    private final URI uri;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>(4);
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    private final Runnable abort;
    private volatile Map<String, List<String>> headers = Map.of();

    UnopenedWebSocket(URI uri, Runnable abort) {
        this.uri = uri;
        this.abort = abort;
    }

    /** Records the refusal's headers and marks the connection closed; the close future completes later. */
    void failed(Map<String, List<String>> responseHeaders) {
        headers = responseHeaders;
    }

    void closed() {
        closeFuture.complete(CloseReason.of(CloseReason.ABNORMAL_CLOSURE));
    }

    private static ConnectionClosedException neverOpened() {
        return new ConnectionClosedException("The connection is not open");
    }

    private static <T> CompletableFuture<T> failed() {
        return CompletableFuture.failedFuture(neverOpened());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public @Nullable String subprotocol() {
        return null;
    }

    @Override
    public List<String> extensions() {
        return List.of();
    }

    @Override
    public Map<String, List<String>> handshakeHeaders() {
        return headers;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public ReadyState readyState() {
        return closeFuture.isDone() ? ReadyState.CLOSED : ReadyState.CONNECTING;
    }

    @Override
    public long bufferedAmount() {
        return 0;
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text, int fragmentSize) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data, int fragmentSize) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> sendObject(Object value) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> sendText(Reader reader, int fragmentSize) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> sendBinary(InputStream in, int fragmentSize) {
        return failed();
    }

    @Override
    public Writer textWriter(int fragmentSize) {
        throw neverOpened();
    }

    @Override
    public OutputStream binaryStream(int fragmentSize) {
        throw neverOpened();
    }

    @Override
    public CompletableFuture<Duration> ping(ByteBuffer payload, Duration timeout) {
        return failed();
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        return failed();
    }

    @Override
    public CompletableFuture<CloseReason> close(int code, String reason) {
        CloseReason.requireSendable(code, reason);
        abort.run();
        return closeFuture;
    }

    @Override
    public void abort() {
        abort.run();
    }

    @Override
    public CompletableFuture<CloseReason> closeFuture() {
        return closeFuture;
    }

    @Override
    public Message receive(Duration timeout) {
        return new Message.Closed(CloseReason.of(CloseReason.ABNORMAL_CLOSURE));
    }

    @Override
    public String toString() {
        return "WebSocket[" + id + ", " + uri + ", " + readyState() + "]";
    }
}
