package dev.duplex.websocket.interop;

/** Duplex's client against a Python websockets server. */
class PythonServerInteropTest extends DuplexClientInterop {
    @Override
    PeerServer startPeer() throws Exception {
        return new PythonPeerServer();
    }
}
