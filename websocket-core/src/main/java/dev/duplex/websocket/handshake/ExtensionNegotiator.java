package dev.duplex.websocket.handshake;

import java.util.List;

/**
 * The server's hook for extension negotiation (RFC 6455 §9.1): given the client's offers in the
 * client's order, it answers with the extensions it accepts and the parameters of each answer
 * (for permessage-deflate, RFC 7692 §7.1). An offer it cannot honour is left out, never failed: the
 * connection then opens without it.
 *
 * <p>It must answer only with names that were offered, each at most once; {@link ServerHandshake}
 * throws {@link IllegalStateException} otherwise. Implementations are called from any thread and
 * must be thread-safe.
 */
@FunctionalInterface
public interface ExtensionNegotiator {

    /** Accepts no extension. */
    ExtensionNegotiator NONE = offers -> List.of();

    /**
     * @param offers what the client offers, in its order of preference, possibly several offers of
     *     one extension with different parameters
     * @return the accepted extensions, in the order they apply to outgoing data
     */
    List<ExtensionOffer> negotiate(List<ExtensionOffer> offers);
}
