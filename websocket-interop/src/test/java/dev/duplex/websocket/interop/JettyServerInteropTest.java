package dev.duplex.websocket.interop;

/** Duplex's client against a Jetty 12.1 server. */
class JettyServerInteropTest extends DuplexClientInterop {
    @Override
    PeerServer startPeer() throws Exception {
        return new JettyPeerServer();
    }
}
