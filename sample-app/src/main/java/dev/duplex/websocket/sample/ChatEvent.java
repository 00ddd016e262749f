package dev.duplex.websocket.sample;

import java.util.List;

/**
 * What the chat sends to the members of a room, one JSON object per message, told apart by {@code
 * type}. The type is a record component (rather than a method) so that any JSON codec writes it.
 */
public sealed interface ChatEvent {

    /** {@code presence}, {@code message} or {@code system}. */
    String type();

    /**
     * Who is in the room now, sorted: {@code {"type":"presence","users":["alice","bob"]}}.
     *
     * @param type {@code presence}
     * @param users the names of the room's members
     */
    record Presence(String type, List<String> users) implements ChatEvent {
        public Presence(List<String> users) {
            this("presence", List.copyOf(users));
        }
    }

    /**
     * A member said something: {@code {"type":"message","user":"alice","text":"hi","time":…}}.
     *
     * @param type {@code message}
     * @param user who said it
     * @param text what was said
     * @param time when the server received it, in milliseconds since the epoch
     */
    record Message(String type, String user, String text, long time) implements ChatEvent {
        public Message(String user, String text, long time) {
            this("message", user, text, time);
        }
    }

    /**
     * A note from the server, such as {@code alice joined}: {@code {"type":"system","text":…}}.
     *
     * @param type {@code system}
     * @param text the note
     */
    record SystemNote(String type, String text) implements ChatEvent {
        public SystemNote(String text) {
            this("system", text);
        }
    }
}
