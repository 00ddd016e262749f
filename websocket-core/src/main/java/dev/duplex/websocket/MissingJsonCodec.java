package dev.duplex.websocket;

/** The placeholder behind {@link JsonCodec#none()}. */
enum MissingJsonCodec implements JsonCodec {
    INSTANCE;

    private static final String MESSAGE = "No JSON codec is configured: pass a JsonCodec to the client or"
            + " server builder (jsonCodec(...)), or use the Spring Boot starter, which plugs in the"
            + " application's JSON mapper";

    @Override
    public String encode(Object value) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public <T> T decode(String text, Class<T> type) {
        throw new IllegalStateException(MESSAGE);
    }
}
