package dev.duplex.websocket;

/**
 * Turns objects into JSON text and back, for {@link WebSocket#sendObject(Object)} and for
 * endpoints that work in objects. The core ships no JSON library: plug one in (the Spring
 * starter plugs in the application's JSON mapper). Implementations must be thread-safe.
 *
 * <p>Counterparts: the 4D {@code dataType "object"} and the IRIS client's {@code Send} of a
 * dynamic object.
 */
public interface JsonCodec {

    /** Encodes {@code value} as JSON text. */
    String encode(Object value);

    /** Decodes JSON {@code text} into an instance of {@code type}. */
    <T> T decode(String text, Class<T> type);

    /**
     * The codec used when none is configured: every call fails with an
     * {@link IllegalStateException} that says how to configure one.
     */
    static JsonCodec none() {
        return MissingJsonCodec.INSTANCE;
    }
}
