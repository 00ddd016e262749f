package dev.duplex.websocket.sample;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.HandshakeRequest;
import dev.duplex.websocket.server.HandshakeResponse;
import dev.duplex.websocket.server.JsonEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /chat/{room}?name=alice}: a JSON chat. Each connection joins the registry group of its room;
 * everyone in the room gets the {@link ChatEvent.Presence presence} list when someone comes or goes,
 * a {@link ChatEvent.SystemNote note} saying so, and every {@link ChatEvent.Message message} said
 * there. A bad name or room, a name already taken in the room, an unknown command or an over-long
 * text closes the connection with 1008 and a reason the page shows (a hook throws a {@link
 * ProtocolException}, since applications may not send 1008 through {@code close}).
 *
 * <p>A singleton serving every connection: per-connection state lives in the connection's attributes.
 */
@WebSocketEndpoint(path = "/chat/{room}", maxTextMessageSize = "4KB")
public class ChatEndpoint extends JsonEndpoint<ChatCommand> {

    /** Longest text a member may say, in characters. */
    public static final int MAX_TEXT_LENGTH = 500;

    /** Letters, digits, space, dot, underscore and hyphen, 1 to 24 of them, after trimming. */
    static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._-]{1,24}");

    /** ASCII letters, digits, underscore and hyphen, 1 to 32 of them. */
    static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final String NAME_ATTRIBUTE = "sample.chat.name";
    private static final String ROOM_ATTRIBUTE = "sample.chat.room";
    private static final String JOINED_ATTRIBUTE = "sample.chat.joined";

    private final ConnectionRegistry registry;
    private final Clock clock;

    /** Makes the name check and the join one step, so that two alices cannot both get in. */
    private final Object membership = new Object();

    ChatEndpoint(ConnectionRegistry registry) {
        super(ChatCommand.class);
        this.registry = registry;
        this.clock = Clock.systemUTC();
    }

    /** The registry group of a room; prefixed so that other endpoints' groups cannot collide. */
    static String group(String room) {
        return "chat:" + room;
    }

    @Override
    public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
        // Accept and validate in onOpen: a refused handshake reaches a browser only as 1006,
        // while a close frame carries a reason the page can show.
        String name = request.queryParameter("name");
        String room = request.pathVariable("room");
        response.attributes().put(NAME_ATTRIBUTE, name == null ? "" : name.strip());
        response.attributes().put(ROOM_ATTRIBUTE, room == null ? "" : room);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        String name = attribute(webSocket, NAME_ATTRIBUTE);
        String room = attribute(webSocket, ROOM_ATTRIBUTE);
        if (!NAME.matcher(name).matches()) {
            throw refusal("Names are 1 to 24 letters, digits, spaces, dots, underscores or hyphens");
        }
        if (!ROOM.matcher(room).matches()) {
            throw refusal("Rooms are 1 to 32 ASCII letters, digits, underscores or hyphens");
        }
        synchronized (membership) {
            boolean taken = registry.group(group(room)).stream()
                    .anyMatch(other -> attribute(other, NAME_ATTRIBUTE).equalsIgnoreCase(name));
            if (taken) {
                throw refusal("The name " + name + " is taken in this room");
            }
            if (!registry.join(group(room), webSocket)) {
                return; // closed meanwhile
            }
            webSocket.attributes().put(JOINED_ATTRIBUTE, Boolean.TRUE);
        }
        publish(room, new ChatEvent.SystemNote(name + " joined"));
        publishPresence(room);
    }

    @Override
    public void onMessage(WebSocket webSocket, ChatCommand command) {
        if (!joined(webSocket)) {
            return;
        }
        if (!"say".equals(command.type())) {
            throw refusal("Unknown command type: " + abbreviate(String.valueOf(command.type()), 40));
        }
        String text = command.text() == null ? "" : command.text().strip();
        if (text.isEmpty()) {
            return; // nothing to say: ignored, as the page would
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw refusal("Messages are at most " + MAX_TEXT_LENGTH + " characters");
        }
        publish(
                attribute(webSocket, ROOM_ATTRIBUTE),
                new ChatEvent.Message(attribute(webSocket, NAME_ATTRIBUTE), text, clock.millis()));
    }

    @Override
    public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
        if (!joined(webSocket)) {
            return;
        }
        // The registry has already taken the connection out of the group.
        String room = attribute(webSocket, ROOM_ATTRIBUTE);
        publish(room, new ChatEvent.SystemNote(attribute(webSocket, NAME_ATTRIBUTE) + " left"));
        publishPresence(room);
    }

    private void publishPresence(String room) {
        List<String> users = registry.group(group(room)).stream()
                .map(ws -> attribute(ws, NAME_ATTRIBUTE))
                .sorted(String.CASE_INSENSITIVE_ORDER)
                .toList();
        publish(room, new ChatEvent.Presence(users));
    }

    private void publish(String room, ChatEvent event) {
        registry.broadcastTextToGroup(group(room), jsonCodec().encode(event));
    }

    /** Thrown from a hook, closes the connection with 1008 and this reason (applications may not send 1008 themselves). */
    private static ProtocolException refusal(String reason) {
        return new ProtocolException(ProtocolException.POLICY_VIOLATION, abbreviate(reason, 120));
    }

    private static boolean joined(WebSocket webSocket) {
        return Boolean.TRUE.equals(webSocket.attributes().get(JOINED_ATTRIBUTE));
    }

    private static String attribute(WebSocket webSocket, String key) {
        return webSocket.attributes().get(key) instanceof String s ? s : "";
    }

    /** Cuts {@code s} to at most {@code max} characters, so that close reasons stay within 123 bytes. */
    private static String abbreviate(String s, int max) {
        String oneLine = s.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
