package dev.duplex.websocket.server;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.WebSocket;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint that works in objects: each text message is decoded from JSON into {@code T} and
 * handed to {@link #onMessage(WebSocket, Object)}; replies go out with {@link
 * WebSocket#sendObject(Object)}. The codec is the one given to the constructor, else the host's
 * (the standalone server's {@link dev.duplex.websocket.transport.ProtocolOptions#jsonCodec()}).
 * A message that does not decode closes the connection with 1007 (invalid payload data).
 *
 * <p>Counterparts: 4D's {@code dataType "object"}, IRIS's dynamic-object messages.
 *
 * @param <T> the message type
 */
public abstract class JsonEndpoint<T> extends DuplexEndpoint {

    private final Class<T> type;
    private volatile @Nullable JsonCodec codec;

    /** Decodes with the host's codec. */
    protected JsonEndpoint(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** Decodes with {@code codec}, whatever the host's. */
    protected JsonEndpoint(Class<T> type, JsonCodec codec) {
        this(type);
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The class messages are decoded into. */
    public final Class<T> messageType() {
        return type;
    }

    /**
     * Gives the host's codec, used when none was given to the constructor. Called by the host
     * before the first connection; later calls do not replace a codec already set.
     */
    public final void useJsonCodec(JsonCodec hostCodec) {
        Objects.requireNonNull(hostCodec, "hostCodec");
        synchronized (this) {
            if (codec == null) {
                codec = hostCodec;
            }
        }
    }

    /** The codec in use, {@link JsonCodec#none()} until one is known. */
    protected final JsonCodec jsonCodec() {
        JsonCodec c = codec;
        return c != null ? c : JsonCodec.none();
    }

    /** A message arrived, decoded. */
    public abstract void onMessage(WebSocket webSocket, T message);

    /**
     * Decodes the text and calls {@link #onMessage(WebSocket, Object)}.
     *
     * @throws ProtocolException 1007 when the text is not a {@code T} in JSON
     */
    @Override
    public final void onText(WebSocket webSocket, String text) {
        JsonCodec c = jsonCodec();
        if (c == JsonCodec.none()) {
            // No codec configured: fail with its message (a 1011) rather than blame the peer.
            c.decode(text, type);
        }
        T message;
        try {
            message = c.decode(text, type);
        } catch (RuntimeException e) {
            throw new ProtocolException(
                    ProtocolException.INVALID_PAYLOAD, "Message is not JSON for " + type.getSimpleName(), e);
        }
        onMessage(webSocket, message);
    }
}
