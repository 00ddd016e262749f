package dev.duplex.websocket.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * A server's permessage-deflate negotiation (RFC 7692 §7.1): accepts the first of the client's
 * permessage-deflate offers it can honour and answers it; other extensions are left alone.
 *
 * <p>An offer is declined, and the next one tried, when it breaks §7.1 (an unknown or repeated
 * parameter, a bad value) or when it asks for {@code server_max_window_bits} below 15: the JDK's
 * deflater always compresses with a 32 KiB window, and §7.1.2.1 lets a server accept that
 * parameter only by compressing with at most the window asked for. Accepting it and then never
 * compressing would honour the letter of the offer but lose the point; declining lets the client's
 * next offer, or an uncompressed connection, take over.
 *
 * <p>The answer to an accepted offer holds {@code server_no_context_takeover} when the offer asked
 * for it or this server is configured to reset its context; {@code client_no_context_takeover}
 * when configured; {@code server_max_window_bits=15} when the offer named 15; and {@code
 * client_max_window_bits} only when the offer allowed it (§7.1.2.2) and this server asks for a
 * window below 15. Immutable and thread-safe.
 */
public final class PerMessageDeflateNegotiator implements ExtensionNegotiator {

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int clientMaxWindowBits;

    /**
     * @param serverNoContextTakeover whether this server resets its compression context after
     *     every message, and says so
     * @param clientNoContextTakeover whether this server asks clients to do the same
     * @param clientMaxWindowBits the window this server asks clients to limit themselves to, in [8,
     *     15]; 15 asks for nothing
     * @throws IllegalArgumentException if {@code clientMaxWindowBits} is out of range
     */
    public PerMessageDeflateNegotiator(
            boolean serverNoContextTakeover, boolean clientNoContextTakeover, int clientMaxWindowBits) {
        if (clientMaxWindowBits < 8 || clientMaxWindowBits > PerMessageDeflateParameters.MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("'clientMaxWindowBits' must be in [8, 15], was " + clientMaxWindowBits);
        }
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.clientMaxWindowBits = clientMaxWindowBits;
    }

    /** The negotiator with the RFC's defaults: context kept both ways, no window limit asked. */
    public static PerMessageDeflateNegotiator defaults() {
        return new PerMessageDeflateNegotiator(false, false, PerMessageDeflateParameters.MAX_WINDOW_BITS);
    }

    @Override
    public List<ExtensionOffer> negotiate(List<ExtensionOffer> offers) {
        for (ExtensionOffer offer : offers) {
            if (!PerMessageDeflateParameters.isPerMessageDeflate(offer)) {
                continue;
            }
            ExtensionOffer answer = answer(offer);
            if (answer != null) {
                return List.of(answer);
            }
        }
        return List.of();
    }

    /** The response to one offer, or null to decline it. */
    private @org.jspecify.annotations.Nullable ExtensionOffer answer(ExtensionOffer offer) {
        DeflateElement e;
        try {
            e = DeflateElement.parse(offer, true);
        } catch (IllegalArgumentException invalid) {
            return null; // §7.1: decline an offer with an unknown, repeated or invalid parameter
        }
        if (e.serverMaxWindowBits() != 0 && e.serverMaxWindowBits() < PerMessageDeflateParameters.MAX_WINDOW_BITS) {
            return null; // §7.1.2.1: cannot compress with a window below 15 bits
        }
        List<ExtensionParameter> params = new ArrayList<>(4);
        if (e.serverNoContextTakeover() || serverNoContextTakeover) {
            params.add(ExtensionParameter.flag(DeflateElement.SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (clientNoContextTakeover) {
            params.add(ExtensionParameter.flag(DeflateElement.CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (e.serverMaxWindowBits() != 0) {
            // §7.1.2.1: accepting the parameter means repeating it with the same or a smaller value.
            params.add(new ExtensionParameter(
                    DeflateElement.SERVER_MAX_WINDOW_BITS,
                    String.valueOf(PerMessageDeflateParameters.MAX_WINDOW_BITS)));
        }
        if (e.clientMaxWindowBits() != 0 && clientMaxWindowBits < PerMessageDeflateParameters.MAX_WINDOW_BITS) {
            int hint = e.clientMaxWindowBits() == DeflateElement.NO_VALUE
                    ? PerMessageDeflateParameters.MAX_WINDOW_BITS
                    : e.clientMaxWindowBits();
            int asked = Math.min(hint, clientMaxWindowBits);
            params.add(new ExtensionParameter(DeflateElement.CLIENT_MAX_WINDOW_BITS, String.valueOf(asked)));
        }
        return new ExtensionOffer(PerMessageDeflateParameters.NAME, params);
    }
}
