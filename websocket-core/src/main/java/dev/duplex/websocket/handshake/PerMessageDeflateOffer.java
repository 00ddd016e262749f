package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's permessage-deflate offer (RFC 7692 §7.1) and the check of the server's answer to
 * it.
 *
 * <p>The offer never holds {@code client_max_window_bits}: the JDK's deflater always compresses
 * with a 15-bit window, so this client could not honour a smaller one, and without the parameter
 * in the offer a server must not ask for one (§7.1.2.2). Any window the server picks for itself is
 * fine, since the JDK's inflater reads every window up to 15 bits.
 *
 * <p>{@link #accept} fails, as §7.1 tells a client to fail the connection, on a response with an
 * unknown or repeated parameter, an invalid value, a {@code client_max_window_bits} (never
 * offered), or a {@code server_max_window_bits} above the one offered. Immutable and thread-safe.
 */
public final class PerMessageDeflateOffer {

    private final boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final ExtensionOffer offer;

    /**
     * @param serverNoContextTakeover whether to ask the server to compress each message without
     *     context
     * @param clientNoContextTakeover whether to promise that this client compresses each message
     *     without context (it then does so whatever the answer)
     * @param serverMaxWindowBits the largest window to ask the server to use, in [8, 15]; 15 asks
     *     for nothing
     * @throws IllegalArgumentException if {@code serverMaxWindowBits} is out of range
     */
    public PerMessageDeflateOffer(
            boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits) {
        if (serverMaxWindowBits < 8 || serverMaxWindowBits > PerMessageDeflateParameters.MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("'serverMaxWindowBits' must be in [8, 15], was " + serverMaxWindowBits);
        }
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.serverMaxWindowBits = serverMaxWindowBits;
        List<ExtensionParameter> params = new ArrayList<>(3);
        if (serverNoContextTakeover) {
            params.add(ExtensionParameter.flag(DeflateElement.SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (clientNoContextTakeover) {
            params.add(ExtensionParameter.flag(DeflateElement.CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (serverMaxWindowBits < PerMessageDeflateParameters.MAX_WINDOW_BITS) {
            params.add(
                    new ExtensionParameter(DeflateElement.SERVER_MAX_WINDOW_BITS, String.valueOf(serverMaxWindowBits)));
        }
        this.offer = new ExtensionOffer(PerMessageDeflateParameters.NAME, params);
    }

    /** The plain offer, {@code permessage-deflate} without parameters. */
    public static PerMessageDeflateOffer defaults() {
        return new PerMessageDeflateOffer(false, false, PerMessageDeflateParameters.MAX_WINDOW_BITS);
    }

    /** The element to send in {@code Sec-WebSocket-Extensions}. */
    public ExtensionOffer offer() {
        return offer;
    }

    /**
     * Checks the server's answer and returns what it agreed on. A server may leave out what was
     * asked for ({@code server_no_context_takeover}, {@code server_max_window_bits}): this client
     * can read either way. The client's own promise of no context takeover holds even if the answer
     * omits it.
     *
     * @throws IllegalArgumentException if the answer breaks RFC 7692 §7.1 or asks for what this
     *     client cannot do; the message says which, and the connection must fail
     */
    public PerMessageDeflateParameters accept(ExtensionOffer response) {
        DeflateElement e;
        try {
            e = DeflateElement.parse(response, false);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("Invalid permessage-deflate response: " + invalid.getMessage());
        }
        if (e.clientMaxWindowBits() != 0) {
            throw new IllegalArgumentException(
                    "Invalid permessage-deflate response: client_max_window_bits was not offered");
        }
        if (e.serverMaxWindowBits() > serverMaxWindowBits) {
            throw new IllegalArgumentException("Invalid permessage-deflate response: server_max_window_bits="
                    + e.serverMaxWindowBits() + " exceeds the " + serverMaxWindowBits + " offered");
        }
        return new PerMessageDeflateParameters(
                e.serverNoContextTakeover(),
                e.clientNoContextTakeover() || clientNoContextTakeover,
                e.serverMaxWindowBits() == 0 ? PerMessageDeflateParameters.MAX_WINDOW_BITS : e.serverMaxWindowBits(),
                PerMessageDeflateParameters.MAX_WINDOW_BITS);
    }

    @Override
    public String toString() {
        return offer.toString();
    }
}
