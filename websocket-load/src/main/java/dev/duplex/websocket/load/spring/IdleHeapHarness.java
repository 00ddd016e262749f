package dev.duplex.websocket.load.spring;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Heap per idle connection on Tomcat: Duplex's endpoint with a 1 MiB message limit (received in
 * parts, Tomcat's buffers left at their 8 KiB default), the plain handler at the container's
 * default, and the plain handler with the container's buffers raised to 1 MiB (the usual way to
 * accept 1 MiB messages). Each variant runs in a fresh application context; heap is measured after
 * garbage collection before and after opening the connections, and divided by their number.
 *
 * <p>Arguments (optional): {@code connections=500}.
 */
public final class IdleHeapHarness {

    private IdleHeapHarness() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(SpringEchoBenchmark.arg(args, "connections", "500"));
        System.out.printf(
                Locale.ROOT,
                "%d idle connections per variant, max heap %d MiB%n",
                n,
                Runtime.getRuntime().maxMemory() >> 20);
        measure("duplex, 1 MiB limit (partial messages)", "/duplex", n, Map.of());
        measure("plain, container default (8 KiB)", "/plain", n, Map.of());
        measure("plain, container buffers 1 MiB", "/plain", n, Map.of("load.container-buffer", "1048576"));
    }

    private static void measure(String label, String path, int n, Map<String, Object> extra) throws Exception {
        SpringApplication app = new SpringApplication(EchoApp.class, ContainerBuffers.class);
        Map<String, Object> props = new java.util.HashMap<>(Map.of(
                "server.port",
                "0",
                "server.address",
                "127.0.0.1",
                "spring.main.banner-mode",
                "off",
                "logging.level.root",
                "warn"));
        props.putAll(extra);
        app.setDefaultProperties(props);
        try (ConfigurableApplicationContext ctx = app.run();
                WebSocketClient client = WebSocketClient.builder().build()) {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            URI uri = URI.create("ws://127.0.0.1:" + port + path);
            // one connection first, so that lazily created shared structures are not counted
            client.connect(uri, new WebSocketListener() {}).get(10, TimeUnit.SECONDS);
            long before = usedAfterGc();
            List<WebSocket> sockets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sockets.add(client.connect(uri, new WebSocketListener() {}).get(10, TimeUnit.SECONDS));
            }
            Thread.sleep(500);
            long after = usedAfterGc();
            System.out.printf(Locale.ROOT, "%-42s %10.1f KiB per connection%n", label, (after - before) / 1024.0 / n);
            for (WebSocket ws : sockets) {
                ws.abort();
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Raises Tomcat's WebSocket buffers when {@code load.container-buffer} is set. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    public static class ContainerBuffers {
        @org.springframework.context.annotation.Bean
        @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("load.container-buffer")
        org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean containerBuffers(
                org.springframework.core.env.Environment env) {
            int size = Integer.parseInt(env.getRequiredProperty("load.container-buffer"));
            var bean = new org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean();
            bean.setMaxTextMessageBufferSize(size);
            bean.setMaxBinaryMessageBufferSize(size);
            return bean;
        }
    }
}
