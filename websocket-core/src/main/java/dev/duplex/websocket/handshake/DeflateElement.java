package dev.duplex.websocket.handshake;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parameters of one {@code permessage-deflate} offer or response element, checked against
 * RFC 7692 §7.1: only the four defined names, each at most once, flags without a value, window
 * sizes a decimal in [8, 15] without leading zeros (§7.1.2.1, §7.1.2.2).
 *
 * @param serverMaxWindowBits 0 when absent
 * @param clientMaxWindowBits 0 when absent, {@link #NO_VALUE} when present without a value (an
 *     offer's way of saying the client supports the parameter)
 */
record DeflateElement(
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        int clientMaxWindowBits) {

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
    static final int NO_VALUE = -1;

    /**
     * Reads an element.
     *
     * @param offer whether it is a client's offer, where {@code client_max_window_bits} may come
     *     without a value; in a response it needs one
     * @throws IllegalArgumentException saying which rule the element breaks
     */
    static DeflateElement parse(ExtensionOffer element, boolean offer) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = 0;
        int clientBits = 0;
        Set<String> seen = new HashSet<>();
        for (ExtensionParameter p : element.parameters()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw new IllegalArgumentException("parameter " + p.name() + " appears twice");
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContext = flag(p);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContext = flag(p);
                case SERVER_MAX_WINDOW_BITS -> serverBits = windowBits(p, false);
                case CLIENT_MAX_WINDOW_BITS -> clientBits = windowBits(p, offer);
                default -> throw new IllegalArgumentException("unknown parameter " + p.name());
            }
        }
        return new DeflateElement(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    private static boolean flag(ExtensionParameter p) {
        if (p.value() != null) {
            throw new IllegalArgumentException(p.name() + " must have no value, was " + p.value());
        }
        return true;
    }

    private static int windowBits(ExtensionParameter p, boolean mayBeBare) {
        String value = p.value();
        if (value == null) {
            if (mayBeBare) {
                return NO_VALUE;
            }
            throw new IllegalArgumentException(p.name() + " must have a value");
        }
        // §7.1.2.1: 1*DIGIT without leading zeros, in [8, 15]
        boolean valid = value.equals("8")
                || value.equals("9")
                || value.length() == 2 && value.charAt(0) == '1' && value.charAt(1) >= '0' && value.charAt(1) <= '5';
        if (!valid) {
            throw new IllegalArgumentException(p.name() + " must be in [8, 15], was " + value);
        }
        return Integer.parseInt(value);
    }
}
