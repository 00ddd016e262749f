package dev.duplex.websocket.spring.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.duplex.websocket.JsonCodec;
import dev.duplex.websocket.OverflowPolicy;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketObserver;
import dev.duplex.websocket.client.ReconnectPolicy;
import dev.duplex.websocket.client.WebSocketClient;
import dev.duplex.websocket.codec.DeflateOptions;
import dev.duplex.websocket.spring.autoconfigure.metrics.WebSocketMetricsAutoConfiguration;
import dev.duplex.websocket.transport.ProtocolOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

class WebSocketClientAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebSocketClientAutoConfiguration.class));

    @Test
    void suppliesClientWithTheCoreDefaults() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(WebSocketClient.class).hasSingleBean(WebSocketClientProperties.class);
            WebSocketClient client = ctx.getBean(WebSocketClient.class);
            try (WebSocketClient core = WebSocketClient.create()) {
                assertThat(client.protocolOptions())
                        .usingRecursiveComparison()
                        .ignoringFields("jsonCodec")
                        .isEqualTo(core.protocolOptions());
                assertThat(client.connectTimeout()).isEqualTo(core.connectTimeout());
                assertThat(client.handshakeTimeout()).isEqualTo(core.handshakeTimeout());
                assertThat(client.defaultHeaders()).isEqualTo(core.defaultHeaders());
                assertThat(client.subprotocols()).isEqualTo(core.subprotocols());
                assertThat(client.proxy()).isNull();
                assertThat(client.reconnectPolicy()).isEqualTo(core.reconnectPolicy());
                assertThat(client.eventLoopGroup().size())
                        .isEqualTo(core.eventLoopGroup().size());
            }
            assertThat(client.protocolOptions().observer()).isSameAs(WebSocketObserver.NONE);
        });
    }

    @Test
    void bindsEveryProperty() {
        runner.withPropertyValues(
                        "duplex.websocket.client.connect-timeout=3s",
                        "duplex.websocket.client.handshake-timeout=4s",
                        "duplex.websocket.client.headers.X-Api-Key=k1",
                        "duplex.websocket.client.headers.X-Tenant=acme",
                        "duplex.websocket.client.origin=https://app.example.com",
                        "duplex.websocket.client.subprotocols=chat.v2,chat.v1",
                        "duplex.websocket.client.ping-interval=20s",
                        "duplex.websocket.client.ping-timeout=7s",
                        "duplex.websocket.client.idle-timeout=2m",
                        "duplex.websocket.client.close-timeout=1500ms",
                        "duplex.websocket.client.max-frame-size=64KB",
                        "duplex.websocket.client.max-text-message-size=1MB",
                        "duplex.websocket.client.max-binary-message-size=2MB",
                        "duplex.websocket.client.max-buffered-amount=512KB",
                        "duplex.websocket.client.overflow-policy=close",
                        "duplex.websocket.client.max-pending-receive=256KB",
                        "duplex.websocket.client.io-threads=1",
                        "duplex.websocket.client.virtual-threads=true",
                        "duplex.websocket.client.reconnect.initial-delay=200ms",
                        "duplex.websocket.client.reconnect.max-delay=10s",
                        "duplex.websocket.client.reconnect.multiplier=1.5",
                        "duplex.websocket.client.reconnect.jitter=0.1",
                        "duplex.websocket.client.reconnect.max-attempts=7",
                        "duplex.websocket.client.proxy.host=proxy.example.com",
                        "duplex.websocket.client.proxy.port=3128")
                .run(ctx -> {
                    WebSocketClient client = ctx.getBean(WebSocketClient.class);
                    assertThat(client.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(client.handshakeTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(client.defaultHeaders())
                            .containsExactly(
                                    Map.entry("X-Api-Key", List.of("k1")), Map.entry("X-Tenant", List.of("acme")));
                    assertThat(client.subprotocols()).containsExactly("chat.v2", "chat.v1");
                    ProtocolOptions options = client.protocolOptions();
                    assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(options.pingTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(options.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(options.closeTimeout()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(options.maxFrameSize()).isEqualTo(64 * 1024);
                    assertThat(options.maxTextMessageSize()).isEqualTo(1024 * 1024);
                    assertThat(options.maxBinaryMessageSize()).isEqualTo(2 * 1024 * 1024);
                    assertThat(options.maxBufferedAmount()).isEqualTo(512 * 1024);
                    assertThat(options.overflowPolicy()).isEqualTo(OverflowPolicy.CLOSE);
                    assertThat(options.maxPendingReceive()).isEqualTo(256 * 1024);
                    assertThat(options.virtualThreads()).isTrue();
                    assertThat(client.eventLoopGroup().size()).isEqualTo(1);
                    assertThat(client.reconnectPolicy())
                            .isEqualTo(
                                    new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(10), 1.5, 0.1, 7));
                    InetSocketAddress proxy = client.proxy();
                    assertThat(proxy).isNotNull();
                    assertThat(proxy.getHostString()).isEqualTo("proxy.example.com");
                    assertThat(proxy.getPort()).isEqualTo(3128);
                    assertThat(proxy.isUnresolved()).isTrue();
                });
    }

    @Test
    void refusesAValueTheCoreRefusesWithItsSentence() {
        runner.withPropertyValues("duplex.websocket.client.max-frame-size=100B")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("'maxFrameSize' must be in [125, "));
    }

    @Test
    void refusesProxyHostWithoutPort() {
        runner.withPropertyValues("duplex.websocket.client.proxy.host=proxy.example.com")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("'duplex.websocket.client.proxy.port' must be in [1, 65535] when 'proxy.host' is"
                                + " set, was null"));
    }

    @Test
    void refusesBadReconnectPolicyWithTheCoreSentence() {
        runner.withPropertyValues("duplex.websocket.client.reconnect.jitter=1.5")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("'jitter' must be in [0, 1], was 1.5"));
    }

    @Test
    void backsOffWhenTheUserDefinesAClient() {
        runner.withUserConfiguration(UserClientConfiguration.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(WebSocketClient.class);
            assertThat(ctx.getBean(WebSocketClient.class)).isSameAs(ctx.getBean("myClient"));
            assertThat(ctx.getBean(WebSocketClient.class).connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void backsOffWithoutTheCore() {
        runner.withClassLoader(new FilteredClassLoader(WebSocketClient.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(WebSocketClient.class));
    }

    @Test
    void worksWithoutMicrometer() {
        runner.withConfiguration(AutoConfigurations.of(WebSocketMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(WebSocketClient.class).doesNotHaveBean(WebSocketObserver.class);
                    assertThat(ctx.getBean(WebSocketClient.class)
                                    .protocolOptions()
                                    .observer())
                            .isSameAs(WebSocketObserver.NONE);
                });
    }

    @Test
    void bindsCompressionProperties() {
        runner.withPropertyValues(
                        "duplex.websocket.client.compression.threshold=1KB",
                        "duplex.websocket.client.compression.level=9",
                        "duplex.websocket.client.compression.server-no-context-takeover=true",
                        "duplex.websocket.client.compression.client-no-context-takeover=true",
                        "duplex.websocket.client.compression.server-max-window-bits=10")
                .run(ctx -> {
                    DeflateOptions deflate = ctx.getBean(WebSocketClient.class).compression();
                    assertThat(deflate.enabled()).isTrue();
                    assertThat(deflate.compressionThreshold()).isEqualTo(1024);
                    assertThat(deflate.compressionLevel()).isEqualTo(9);
                    assertThat(deflate.serverNoContextTakeover()).isTrue();
                    assertThat(deflate.clientNoContextTakeover()).isTrue();
                    assertThat(deflate.serverMaxWindowBits()).isEqualTo(10);
                });
        runner.withPropertyValues("duplex.websocket.client.compression.enabled=false")
                .run(ctx -> assertThat(
                                ctx.getBean(WebSocketClient.class).compression().enabled())
                        .isFalse());
        runner.withPropertyValues("duplex.websocket.client.compression.level=12")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("12"));
    }

    @Test
    void customizersRunInOrderAfterTheProperties() {
        runner.withPropertyValues("duplex.websocket.client.connect-timeout=3s", "duplex.websocket.client.io-threads=1")
                .withUserConfiguration(CustomizerConfiguration.class)
                .run(ctx -> {
                    WebSocketClient client = ctx.getBean(WebSocketClient.class);
                    assertThat(ctx.getBean(CustomizerConfiguration.class).calls).containsExactly("first", "second");
                    // "second" ran last, and both ran after the property was applied
                    assertThat(client.connectTimeout()).isEqualTo(Duration.ofSeconds(9));
                    assertThat(client.protocolOptions().maxFrameSize()).isEqualTo(4096);
                });
    }

    @Test
    void sendsObjectsThroughTheContextJsonMapper() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(JsonCodec.class);
                    JsonCodec codec =
                            ctx.getBean(WebSocketClient.class).protocolOptions().jsonCodec();
                    assertThat(codec).isSameAs(ctx.getBean(JsonCodec.class)).isInstanceOf(JacksonJsonCodec.class);
                    assertThat(((JacksonJsonCodec) codec).mapper()).isSameAs(ctx.getBean(JsonMapper.class));
                    assertThat(codec.encode(new Point(1, 2))).isEqualTo("{\"x\":1,\"y\":2}");
                    assertThat(codec.decode("{\"x\":3,\"y\":4}", Point.class)).isEqualTo(new Point(3, 4));
                });
    }

    @Test
    void usesAPlainMapperWhenJacksonIsPresentButNotConfigured() {
        runner.run(ctx -> {
            JsonCodec codec =
                    ctx.getBean(WebSocketClient.class).protocolOptions().jsonCodec();
            assertThat(codec).isInstanceOf(JacksonJsonCodec.class);
            assertThat(codec.encode(new Point(5, 6))).isEqualTo("{\"x\":5,\"y\":6}");
        });
    }

    @Test
    void withoutJacksonSendObjectSaysWhatIsMissing() {
        runner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run(ctx -> {
            assertThat(ctx).hasSingleBean(WebSocketClient.class).doesNotHaveBean(JsonCodec.class);
            JsonCodec codec =
                    ctx.getBean(WebSocketClient.class).protocolOptions().jsonCodec();
            assertThat(codec).isSameAs(JsonCodec.none());
            assertThatIllegalStateException()
                    .isThrownBy(() -> codec.encode(new Point(1, 2)))
                    .withMessageStartingWith("No JSON codec is configured");
        });
    }

    @Test
    void aUserJsonCodecWins() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withUserConfiguration(UserCodecConfiguration.class)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(JsonCodec.class).doesNotHaveBean(JacksonJsonCodec.class);
                    assertThat(ctx.getBean(WebSocketClient.class)
                                    .protocolOptions()
                                    .jsonCodec())
                            .isSameAs(ctx.getBean(JsonCodec.class));
                });
    }

    @Test
    void reportsToTheObserverBean() {
        runner.withUserConfiguration(OneObserverConfiguration.class)
                .run(ctx -> assertThat(ctx.getBean(WebSocketClient.class)
                                .protocolOptions()
                                .observer())
                        .isSameAs(ctx.getBean(WebSocketObserver.class)));
    }

    @Test
    void reportsToEveryObserverBeanInOrder() {
        runner.withUserConfiguration(TwoObserversConfiguration.class).run(ctx -> {
            WebSocketObserver observer =
                    ctx.getBean(WebSocketClient.class).protocolOptions().observer();
            WebSocket ws = Mockito.mock(WebSocket.class);
            observer.opened(ws, WebSocketObserver.Side.CLIENT, "client");
            observer.handshakeFailed(WebSocketObserver.Side.CLIENT, "client", "refused");
            assertThat(ctx.getBean(TwoObserversConfiguration.class).events)
                    .containsExactly("a:opened", "b:opened", "a:failed refused", "b:failed refused");
        });
    }

    @Test
    void refusesAnUnknownSslBundle() {
        runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withPropertyValues("duplex.websocket.client.ssl.bundle=nope")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(NoSuchSslBundleException.class)
                        .hasMessageContaining("nope"));
    }

    @Test
    void refusesAnSslBundleWithoutSslBundles() {
        runner.withPropertyValues("duplex.websocket.client.ssl.bundle=client")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith(
                                "'duplex.websocket.client.ssl.bundle' is 'client' but the context has no"
                                        + " SslBundles bean"));
    }

    @Test
    void closesTheClientWithTheContext() {
        List<WebSocketClient> seen = new ArrayList<>();
        runner.run(ctx -> {
            WebSocketClient client = ctx.getBean(WebSocketClient.class);
            assertThat(client.isClosed()).isFalse();
            seen.add(client);
        });
        assertThat(seen).singleElement().satisfies(client -> {
            assertThat(client.isClosed()).isTrue();
            assertThat(client.eventLoopGroup().isShutdown()).isTrue();
        });
    }

    record Point(int x, int y) {}

    @Configuration(proxyBeanMethods = false)
    static class UserClientConfiguration {
        @Bean(destroyMethod = "close")
        WebSocketClient myClient() {
            return WebSocketClient.builder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .ioThreads(1)
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {
        final List<String> calls = new ArrayList<>();

        @Bean
        @Order(2)
        WebSocketClientCustomizer second() {
            return builder -> {
                calls.add("second");
                builder.connectTimeout(Duration.ofSeconds(9));
            };
        }

        @Bean
        @Order(1)
        WebSocketClientCustomizer first() {
            return builder -> {
                calls.add("first");
                builder.connectTimeout(Duration.ofSeconds(5)).maxFrameSize(4096);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCodecConfiguration {
        @Bean
        JsonCodec myCodec() {
            return new JsonCodec() {
                @Override
                public String encode(Object value) {
                    return "{}";
                }

                @Override
                public <T> T decode(String text, Class<T> type) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OneObserverConfiguration {
        @Bean
        WebSocketObserver myObserver() {
            return new WebSocketObserver() {};
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoObserversConfiguration {
        final List<String> events = new ArrayList<>();

        @Bean
        @Order(2)
        WebSocketObserver b() {
            return recording("b");
        }

        @Bean
        @Order(1)
        WebSocketObserver a() {
            return recording("a");
        }

        private WebSocketObserver recording(String name) {
            return new WebSocketObserver() {
                @Override
                public void opened(WebSocket webSocket, Side side, String endpoint) {
                    events.add(name + ":opened");
                }

                @Override
                public void handshakeFailed(Side side, String endpoint, String reason) {
                    events.add(name + ":failed " + reason);
                    if (name.equals("a")) {
                        throw new IllegalStateException("one observer failing must not starve the next");
                    }
                }
            };
        }
    }
}
