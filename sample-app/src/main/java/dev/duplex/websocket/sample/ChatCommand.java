package dev.duplex.websocket.sample;

import org.jspecify.annotations.Nullable;

/**
 * What a chat client sends: {@code {"type":"say","text":"hello"}}. Fields missing from the JSON are
 * null; {@link ChatEndpoint} validates them.
 *
 * @param type the command, {@code say}
 * @param text what to say
 */
public record ChatCommand(@Nullable String type, @Nullable String text) {}
