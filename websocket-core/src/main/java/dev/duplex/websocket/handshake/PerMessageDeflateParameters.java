package dev.duplex.websocket.handshake;

import java.util.Locale;

/**
 * The permessage-deflate configuration a handshake agreed on (RFC 7692 §7.1), read from the
 * server's response element; absent window sizes are the default 15 bits.
 *
 * @param serverNoContextTakeover whether the server compresses each message without context
 * @param clientNoContextTakeover whether the client compresses each message without context
 * @param serverMaxWindowBits the largest window the server compresses with, in [8, 15]
 * @param clientMaxWindowBits the largest window the client compresses with, in [8, 15]
 */
public record PerMessageDeflateParameters(
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        int clientMaxWindowBits) {

    /** The extension's registered name (RFC 7692 §7). */
    public static final String NAME = "permessage-deflate";

    /** The largest window, and the one a missing window parameter means: 15 bits (RFC 7692 §7.1.2). */
    public static final int MAX_WINDOW_BITS = 15;

    /**
     * @throws IllegalArgumentException if a window size is not in [8, 15]
     */
    public PerMessageDeflateParameters {
        if (serverMaxWindowBits < 8 || serverMaxWindowBits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("'serverMaxWindowBits' must be in [8, 15], was " + serverMaxWindowBits);
        }
        if (clientMaxWindowBits < 8 || clientMaxWindowBits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("'clientMaxWindowBits' must be in [8, 15], was " + clientMaxWindowBits);
        }
    }

    /** Whether {@code element} names permessage-deflate (compared ignoring case). */
    public static boolean isPerMessageDeflate(ExtensionOffer element) {
        return element.name().toLowerCase(Locale.ROOT).equals(NAME);
    }

    /**
     * The configuration a server's response element stands for.
     *
     * @throws IllegalArgumentException if the element is not a valid permessage-deflate response
     *     (RFC 7692 §7.1: an unknown or repeated parameter, a bad value); the message says which
     */
    public static PerMessageDeflateParameters fromResponse(ExtensionOffer response) {
        if (!isPerMessageDeflate(response)) {
            throw new IllegalArgumentException("not " + NAME + ": " + response.name());
        }
        DeflateElement e = DeflateElement.parse(response, false);
        return new PerMessageDeflateParameters(
                e.serverNoContextTakeover(),
                e.clientNoContextTakeover(),
                e.serverMaxWindowBits() == 0 ? MAX_WINDOW_BITS : e.serverMaxWindowBits(),
                e.clientMaxWindowBits() == 0 ? MAX_WINDOW_BITS : e.clientMaxWindowBits());
    }
}
