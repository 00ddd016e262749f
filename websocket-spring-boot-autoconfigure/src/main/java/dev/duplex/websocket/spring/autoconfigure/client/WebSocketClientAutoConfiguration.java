package dev.duplex.websocket.spring.autoconfigure.client;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.client.ReconnectPolicy;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.transport.ProtocolOptions;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for a {@link WebSocketClient} bean built from
 * {@code duplex.websocket.client.*}. The client sends objects through the application's Jackson
 * {@link JsonMapper} when Jackson 3 is present (else {@code sendObject} fails, saying what is
 * missing), reports to the context's {@link WebSocketObserver} beans (Micrometer's, when present),
 * takes its TLS material from a Spring Boot SSL bundle when {@code ssl.bundle} names one, and then
 * lets {@link WebSocketClientCustomizer} beans adjust the builder. The context closes it (closing
 * its connections with 1001). Needs no web server.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
            "dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMetricsAutoConfiguration"
        })
@ConditionalOnClass(WebSocketClient.class)
@EnableConfigurationProperties(WebSocketClientProperties.class)
public final class WebSocketClientAutoConfiguration {

    private static final String PREFIX = "duplex.websocket.client.";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WebSocketClient webSocketClient(
            WebSocketClientProperties properties,
            ObjectProvider<WebSocketClientCustomizer> customizers,
            ObjectProvider<JsonCodec> jsonCodec,
            ObjectProvider<WebSocketObserver> observers,
            ObjectProvider<SslBundles> sslBundles) {
        ProtocolOptions.Builder protocol = ProtocolOptions.builder()
                .maxFrameSize(bytes("max-frame-size", properties.getMaxFrameSize()))
                .maxTextMessageSize(bytes("max-text-message-size", properties.getMaxTextMessageSize()))
                .maxBinaryMessageSize(bytes("max-binary-message-size", properties.getMaxBinaryMessageSize()))
                .maxBufferedAmount(properties.getMaxBufferedAmount().toBytes())
                .overflowPolicy(properties.getOverflowPolicy())
                .maxPendingReceive(bytes("max-pending-receive", properties.getMaxPendingReceive()))
                .pingInterval(properties.getPingInterval())
                .pingTimeout(properties.getPingTimeout())
                .idleTimeout(properties.getIdleTimeout())
                .closeTimeout(properties.getCloseTimeout())
                .virtualThreads(properties.isVirtualThreads())
                .observer(CompositeObserver.of(observers.orderedStream().toList()));
        JsonCodec codec = jsonCodec.getIfUnique();
        if (codec != null) {
            protocol.jsonCodec(codec);
        }
        WebSocketClient.Builder builder = WebSocketClient.builder()
                .protocolOptions(protocol.build())
                .connectTimeout(properties.getConnectTimeout())
                .handshakeTimeout(properties.getHandshakeTimeout())
                .reconnectPolicy(reconnectPolicy(properties.getReconnect()))
                .compression(properties.getCompression().toOptions());
        properties.getHeaders().forEach(builder::header);
        if (!properties.getSubprotocols().isEmpty()) {
            builder.subprotocols(properties.getSubprotocols().toArray(String[]::new));
        }
        String origin = properties.getOrigin();
        if (origin != null) {
            builder.origin(origin);
        }
        Integer ioThreads = properties.getIoThreads();
        if (ioThreads != null) {
            builder.ioThreads(ioThreads);
        }
        proxy(properties.getProxy(), builder);
        String bundle = properties.getSsl().getBundle();
        if (bundle != null) {
            ssl(bundle, sslBundles.getIfAvailable(), builder);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static ReconnectPolicy reconnectPolicy(WebSocketClientProperties.Reconnect r) {
        return new ReconnectPolicy(
                r.getInitialDelay(), r.getMaxDelay(), r.getMultiplier(), r.getJitter(), r.getMaxAttempts());
    }

    private static void proxy(WebSocketClientProperties.Proxy proxy, WebSocketClient.Builder builder) {
        String host = proxy.getHost();
        if (host == null) {
            return;
        }
        Integer port = proxy.getPort();
        if (port == null || port < 1 || port > 65_535) {
            throw new IllegalArgumentException(
                    "'" + PREFIX + "proxy.port' must be in [1, 65535] when 'proxy.host' is set, was " + port);
        }
        // Unresolved: the name is looked up at each connect, as for the target host.
        builder.proxy(InetSocketAddress.createUnresolved(host, port));
        String user = proxy.getUsername();
        if (user != null) {
            String password = proxy.getPassword();
            builder.proxyCredentials(user, password != null ? password : "");
        }
    }

    private static void ssl(String name, @Nullable SslBundles bundles, WebSocketClient.Builder builder) {
        if (bundles == null) {
            throw new IllegalStateException("'" + PREFIX + "ssl.bundle' is '" + name
                    + "' but the context has no SslBundles bean (Spring Boot's SslAutoConfiguration)");
        }
        SslBundle bundle = bundles.getBundle(name);
        builder.sslContext(bundle.createSslContext());
        SslOptions options = bundle.getOptions();
        String[] protocols = options.getEnabledProtocols();
        String[] ciphers = options.getCiphers();
        if (protocols != null || ciphers != null) {
            SSLParameters parameters = new SSLParameters();
            if (protocols != null) {
                parameters.setProtocols(protocols);
            }
            if (ciphers != null) {
                parameters.setCipherSuites(ciphers);
            }
            builder.sslParameters(parameters);
        }
    }

    /** A size the core takes as an {@code int}; the core checks its range, this only its width. */
    private static int bytes(String property, DataSize size) {
        long bytes = size.toBytes();
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "'" + PREFIX + property + "' must be in [0B, " + Integer.MAX_VALUE + "B], was " + size);
        }
        return (int) bytes;
    }

    /** The codec over the application's JSON mapper, when Jackson 3 is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonCodecConfiguration {

        @Bean
        @ConditionalOnMissingBean(JsonCodec.class)
        JacksonJsonCodec webSocketJsonCodec(ObjectProvider<JsonMapper> jsonMapper) {
            // Boot's JacksonAutoConfiguration supplies the mapper; without it, a plain one.
            return new JacksonJsonCodec(
                    jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
        }
    }
}
