package dev.duplex.websocket.spring.autoconfigure.client;

import dev.duplex.websocket.JsonCodec;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link JsonCodec} over Jackson 3's {@link JsonMapper}, so that {@code sendObject} and object
 * endpoints write JSON as the rest of the application does (same modules, naming, dates).
 * Thread-safe, as the mapper is. Jackson's own exceptions (unchecked in Jackson 3) pass through.
 *
 * @since 0.1.0
 */
public final class JacksonJsonCodec implements JsonCodec {

    private final JsonMapper mapper;

    /** A codec that writes and reads with {@code mapper}. */
    public JacksonJsonCodec(JsonMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** The mapper this codec uses. */
    public JsonMapper mapper() {
        return mapper;
    }

    @Override
    public String encode(Object value) {
        return mapper.writeValueAsString(value);
    }

    @Override
    public <T> T decode(String text, Class<T> type) {
        return mapper.readValue(text, type);
    }
}
