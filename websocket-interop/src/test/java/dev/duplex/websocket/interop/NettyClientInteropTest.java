package dev.duplex.websocket.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.interop.Recorder.Close;
import dev.duplex.websocket.server.WebSocketServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Duplex's server against a Netty 4.2 websocketx client; and, since Netty writes any raw frame,
 * a second way of breaking the protocol than the script's: a client frame without a mask.
 */
class NettyClientInteropTest extends DuplexServerInterop {
    @Override
    PeerClient startPeer() {
        return new NettyPeerClient();
    }

    @Test
    void failsWithProtocolErrorOnAnUnmaskedFrame() throws Exception {
        CommandEndpoint endpoint = new CommandEndpoint();
        NettyPeerClient netty = new NettyPeerClient();
        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .endpoint("/echo", endpoint)
                .build()
                .start()) {
            NettyPeerClient.Connection c =
                    netty.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), List.of(), false);
            c.sendUnmasked("hi");
            Throwable error = endpoint.errors.poll(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(ProtocolException.class);
            assertThat(((ProtocolException) error).closeCode()).isEqualTo(1002);
            Close seen = endpoint.closes.poll(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(seen).isNotNull();
            assertThat(seen.code()).isEqualTo(1002);
            Close received = c.events.next(Close.class);
            assertThat(received.code()).isEqualTo(1002);
            assertThat(received.reason()).isEqualTo(seen.reason());
        } finally {
            netty.stop();
        }
    }
}
