package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Defaults and validation of the option types. */
class OptionsTest {

    @Test
    void transportDefaults() {
        TransportOptions o = TransportOptions.defaults();
        assertThat(o.ioThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThat(o.readBufferSize()).isEqualTo(128 * 1024);
        assertThat(o.toBuilder().ioThreads(3).build().ioThreads()).isEqualTo(3);
    }

    @Test
    void connectionDefaults() {
        ConnectionOptions o = ConnectionOptions.defaults();
        assertThat(o.tcpNoDelay()).isTrue();
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.maxBufferedAmount()).isEqualTo(16L * 1024 * 1024);
        assertThat(o.closeOnOverflow()).isFalse();
        assertThat(o.sendBufferSize()).isZero();
        assertThat(o.toBuilder().closeOnOverflow(true).build().closeOnOverflow())
                .isTrue();
    }

    @Test
    void rejectsBadTransportOptions() {
        assertThatThrownBy(() -> TransportOptions.builder().ioThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'ioThreads' must be at least 1, was 0");
        assertThatThrownBy(() -> TransportOptions.builder().readBufferSize(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'readBufferSize' must be in [1024, 16777216], was 100");
    }

    @Test
    void rejectsBadConnectionOptions() {
        assertThatThrownBy(() -> ConnectionOptions.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'connectTimeout' must be positive, was PT0S");
        assertThatThrownBy(() -> ConnectionOptions.builder().maxBufferedAmount(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxBufferedAmount' must be at least 1, was 0");
        assertThatThrownBy(() -> ConnectionOptions.builder().sendBufferSize(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'sendBufferSize' must be 0 (system default) or positive, was -1");
        assertThatThrownBy(() -> ConnectionOptions.builder().receiveBufferSize(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'receiveBufferSize' must be 0 (system default) or positive, was -2");
    }

    @Test
    void rejectsBadAcceptorOptions() {
        assertThatThrownBy(() -> AcceptorOptions.builder().backlog(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'backlog' must be at least 1, was 0");
        assertThatThrownBy(() -> AcceptorOptions.builder().maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxConnections' must be at least 1, was 0");
    }

    @Test
    void rejectsANegativePayloadCount() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(
                        TransportOptions.builder().ioThreads(1).build());
                java.net.ServerSocket peer =
                        new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Connection c = group.connect(
                            new java.net.InetSocketAddress("127.0.0.1", peer.getLocalPort()),
                            ConnectionOptions.defaults(),
                            null,
                            conn -> new RecordingHandler(conn, false))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThatThrownBy(() -> c.write(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'payloadBytes' must not be negative, was -1");
            c.abort();
        }
    }
}
