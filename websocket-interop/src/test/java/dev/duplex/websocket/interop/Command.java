package dev.duplex.websocket.interop;

import org.jspecify.annotations.Nullable;

/**
 * The little script language every server under test understands, sent as a text message that
 * starts with {@code #}; any other message is echoed with its type. The same commands drive a peer
 * server from Duplex's client and Duplex's server from a peer client.
 *
 * <ul>
 *   <li>{@code #close CODE REASON}: close with that code and reason.
 *   <li>{@code #fragments N TEXT}: send TEXT back as one message in fragments of N bytes (or N
 *       characters for peers whose fragment API takes strings).
 *   <li>{@code #ping PAYLOAD}: ping with PAYLOAD; on the matching pong, send {@code pong PAYLOAD}.
 *   <li>{@code #bad}: break the protocol in the peer's own way (see each server).
 * </ul>
 */
record Command(String verb, int number, String text) {

    /** The command in a text message, or null when the message is data to echo. */
    static @Nullable Command parse(String message) {
        if (!message.startsWith("#")) {
            return null;
        }
        String[] parts = message.substring(1).split(" ", 2);
        String verb = parts[0];
        String rest = parts.length > 1 ? parts[1] : "";
        if (verb.equals("close") || verb.equals("fragments")) {
            String[] numbered = rest.split(" ", 2);
            return new Command(verb, Integer.parseInt(numbered[0]), numbered.length > 1 ? numbered[1] : "");
        }
        return new Command(verb, 0, rest);
    }

    static String close(int code, String reason) {
        return "#close " + code + " " + reason;
    }

    static String fragments(int size, String text) {
        return "#fragments " + size + " " + text;
    }

    static String ping(String payload) {
        return "#ping " + payload;
    }

    static final String BAD = "#bad";
}
