package dev.duplex.websocket.interop;

/** Duplex's client against a Java-WebSocket 1.6.0 server. */
class JavaWebSocketServerInteropTest extends DuplexClientInterop {
    @Override
    PeerServer startPeer() throws Exception {
        return new JavaWebSocketPeerServer();
    }
}
