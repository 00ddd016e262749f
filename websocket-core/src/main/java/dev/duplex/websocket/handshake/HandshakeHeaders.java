package dev.duplex.websocket.handshake;

/** The header names of the opening handshake (RFC 6455 §11.3) and the values it fixes. */
public final class HandshakeHeaders {

    /** RFC 6455 §11.3.1. */
    public static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";
    /** RFC 6455 §11.3.2. */
    public static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    /** RFC 6455 §11.3.3. */
    public static final String SEC_WEBSOCKET_ACCEPT = "Sec-WebSocket-Accept";
    /** RFC 6455 §11.3.4. */
    public static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    /** RFC 6455 §11.3.5. */
    public static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";
    /** The only protocol version this library speaks (RFC 6455 §4.4). */
    public static final String VERSION_13 = "13";

    private HandshakeHeaders() {}

    /**
     * Whether an application may not set {@code name} itself, because the handshake writes it:
     * {@code Host}, {@code Upgrade}, {@code Connection}, {@code Content-Length}, {@code
     * Transfer-Encoding} and the {@code Sec-WebSocket-*} headers.
     */
    public static boolean isReserved(String name) {
        return name.equalsIgnoreCase("Host")
                || name.equalsIgnoreCase("Upgrade")
                || name.equalsIgnoreCase("Connection")
                || name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding")
                || name.regionMatches(true, 0, "Sec-WebSocket-", 0, 14);
    }
}
