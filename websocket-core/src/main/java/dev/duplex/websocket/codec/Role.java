package dev.duplex.websocket.codec;

/**
 * The side an endpoint plays on a connection. It decides masking (RFC 6455 §5.1, §5.3): a client
 * masks every frame it sends and a server never does, so a server decodes masked frames only and
 * a client unmasked frames only.
 */
public enum Role {
    /** The side that opened the connection; its frames are masked. */
    CLIENT,
    /** The side that accepted the connection; its frames are never masked. */
    SERVER
}
