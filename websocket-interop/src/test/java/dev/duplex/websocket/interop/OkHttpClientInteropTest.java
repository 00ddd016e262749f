package dev.duplex.websocket.interop;

/** Duplex's server against OkHttp's client. */
class OkHttpClientInteropTest extends DuplexServerInterop {
    @Override
    PeerClient startPeer() {
        return new OkHttpPeerClient();
    }
}
