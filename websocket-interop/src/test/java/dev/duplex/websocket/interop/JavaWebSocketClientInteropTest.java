package dev.duplex.websocket.interop;

/** Duplex's server against Java-WebSocket 1.6.0's client. */
class JavaWebSocketClientInteropTest extends DuplexServerInterop {
    @Override
    PeerClient startPeer() {
        return new JavaWebSocketPeerClient();
    }
}
