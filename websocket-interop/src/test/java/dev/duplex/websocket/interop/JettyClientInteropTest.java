package dev.duplex.websocket.interop;

/** Duplex's server against Jetty 12's client. */
class JettyClientInteropTest extends DuplexServerInterop {
    @Override
    PeerClient startPeer() throws Exception {
        return new JettyPeerClient();
    }
}
