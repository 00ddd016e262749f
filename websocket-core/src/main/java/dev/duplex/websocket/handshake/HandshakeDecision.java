package dev.duplex.websocket.handshake;

/**
 * What a server answers a handshake request with: a {@link HandshakeAcceptance} (101) or a {@link
 * HandshakeRejection} (an error status). Immutable; the transport writes {@link #toBytes()}.
 */
public sealed interface HandshakeDecision permits HandshakeAcceptance, HandshakeRejection {

    /** The HTTP status of the response. */
    int status();

    /** The whole response, head and (for a rejection) body, ready to write to the socket. */
    byte[] toBytes();
}
