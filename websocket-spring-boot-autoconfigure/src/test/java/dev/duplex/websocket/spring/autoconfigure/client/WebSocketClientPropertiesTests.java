package dev.duplex.websocket.spring.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.client.ReconnectPolicy;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.transport.ConnectionOptions;
import dev.duplex.websocket.transport.ProtocolOptions;
import org.junit.jupiter.api.Test;

class WebSocketClientPropertiesTests {

    private final WebSocketClientProperties properties = new WebSocketClientProperties();

    @Test
    void defaultValuesAreConsistent() {
        assertThat(properties.getConnectTimeout()).isEqualTo(ConnectionOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(properties.getHandshakeTimeout()).isEqualTo(WebSocketClient.DEFAULT_HANDSHAKE_TIMEOUT);
        assertThat(properties.getPingInterval()).isEqualTo(ProtocolOptions.DEFAULT_PING_INTERVAL);
        assertThat(properties.getPingTimeout()).isEqualTo(ProtocolOptions.DEFAULT_PING_TIMEOUT);
        assertThat(properties.getIdleTimeout()).isEqualTo(ProtocolOptions.DEFAULT_IDLE_TIMEOUT);
        assertThat(properties.getCloseTimeout()).isEqualTo(ProtocolOptions.DEFAULT_CLOSE_TIMEOUT);
        assertThat(properties.getMaxFrameSize().toBytes()).isEqualTo(ProtocolOptions.DEFAULT_MAX_FRAME_SIZE);
        assertThat(properties.getMaxTextMessageSize().toBytes())
                .isEqualTo(ProtocolOptions.DEFAULT_MAX_TEXT_MESSAGE_SIZE);
        assertThat(properties.getMaxBinaryMessageSize().toBytes())
                .isEqualTo(ProtocolOptions.DEFAULT_MAX_BINARY_MESSAGE_SIZE);
        assertThat(properties.getMaxBufferedAmount().toBytes()).isEqualTo(ProtocolOptions.DEFAULT_MAX_BUFFERED_AMOUNT);
        assertThat(properties.getOverflowPolicy()).isEqualTo(ProtocolOptions.DEFAULT_OVERFLOW_POLICY);
        assertThat(properties.getMaxPendingReceive().toBytes()).isEqualTo(ProtocolOptions.DEFAULT_MAX_PENDING_RECEIVE);
        assertThat(properties.isVirtualThreads())
                .isEqualTo(ProtocolOptions.defaults().virtualThreads());
        assertThat(properties.getIoThreads()).isNull();
        assertThat(properties.getHeaders()).isEmpty();
        assertThat(properties.getSubprotocols()).isEmpty();
        assertThat(properties.getOrigin()).isNull();
        assertThat(properties.getProxy().getHost()).isNull();
        assertThat(properties.getSsl().getBundle()).isNull();

        DeflateOptions deflate = DeflateOptions.defaults();
        WebSocketClientProperties.Compression c = properties.getCompression();
        assertThat(c.isEnabled()).isEqualTo(deflate.enabled());
        assertThat(c.getThreshold().toBytes()).isEqualTo(deflate.compressionThreshold());
        assertThat(c.getLevel()).isEqualTo(deflate.compressionLevel());
        assertThat(c.isServerNoContextTakeover()).isEqualTo(deflate.serverNoContextTakeover());
        assertThat(c.isClientNoContextTakeover()).isEqualTo(deflate.clientNoContextTakeover());
        assertThat(c.toOptions()).usingRecursiveComparison().isEqualTo(deflate);

        ReconnectPolicy reconnect = ReconnectPolicy.defaults();
        WebSocketClientProperties.Reconnect r = properties.getReconnect();
        assertThat(r.getInitialDelay()).isEqualTo(reconnect.initialDelay());
        assertThat(r.getMaxDelay()).isEqualTo(reconnect.maxDelay());
        assertThat(r.getMultiplier()).isEqualTo(reconnect.multiplier());
        assertThat(r.getJitter()).isEqualTo(reconnect.jitter());
        assertThat(r.getMaxAttempts()).isEqualTo(reconnect.maxAttempts());
    }
}
