package dev.duplex.websocket.interop;

/** Duplex's client against a Netty 4.2 websocketx server. */
class NettyServerInteropTest extends DuplexClientInterop {
    @Override
    PeerServer startPeer() throws Exception {
        return new NettyPeerServer();
    }
}
