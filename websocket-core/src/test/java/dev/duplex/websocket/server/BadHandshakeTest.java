package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every wrong upgrade request gets the right status, nothing else, and a closed connection.
 */
class BadHandshakeTest {

    private static WebSocketServer server;

    @BeforeAll
    static void start() throws IOException {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .maxHandshakeSize(1024)
                .endpoint("/echo", new Endpoints.Echo())
                .endpoint("/guarded", new DuplexEndpoint() {
                    @Override
                    public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
                        if (!"ok".equals(request.queryParameter("token"))) {
                            response.header("WWW-Authenticate", "Bearer");
                            response.reject(401, "A valid token is required");
                        }
                    }
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static String exchange(int port, String request) throws IOException {
        try (RawClient c = RawClient.connect(port)) {
            c.write(request);
            return c.readToEnd(); // returns only once the server has closed the connection
        }
    }

    private static String exchange(String request) throws IOException {
        return exchange(server.port(), request);
    }

    @Test
    void refusesPostWith405() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/echo").replaceFirst("GET", "POST"));

        assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("\r\nAllow: GET\r\n");
    }

    @Test
    void refusesHttp10With400() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/echo").replaceFirst("HTTP/1.1", "HTTP/1.0"));

        assertThat(response)
                .startsWith("HTTP/1.1 400 Bad Request\r\n")
                .endsWith("HTTP/1.0 is not supported; a WebSocket handshake requires HTTP/1.1");
    }

    @Test
    void answersPlainHttpWith426AndUpgrade() throws IOException {
        String response = exchange("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(response)
                .startsWith("HTTP/1.1 426 Upgrade Required\r\n")
                .contains("\r\nUpgrade: websocket\r\n")
                .endsWith("Missing Upgrade: websocket");
    }

    @Test
    void answersWrongVersionWith426AndVersion13() throws IOException {
        String response = exchange(
                RawClient.upgradeRequest("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));

        assertThat(response)
                .startsWith("HTTP/1.1 426 Upgrade Required\r\n")
                .contains("\r\nSec-WebSocket-Version: 13\r\n");
    }

    @Test
    void refusesMalformedKeyWith400() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/echo").replace(RawClient.KEY, "c2hvcnQ="));

        assertThat(response)
                .startsWith("HTTP/1.1 400 Bad Request\r\n")
                .endsWith("Sec-WebSocket-Key is not base64 of 16 bytes");
    }

    @Test
    void refusesMissingKeyWith400() throws IOException {
        String response =
                exchange(RawClient.upgradeRequest("/echo").replace("Sec-WebSocket-Key: " + RawClient.KEY + "\r\n", ""));

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("Missing Sec-WebSocket-Key header");
    }

    @Test
    void refusesForeignOriginWith403ByDefault() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/echo", "Origin: http://evil.example"));

        assertThat(response)
                .startsWith("HTTP/1.1 403 Forbidden\r\n")
                .endsWith("Origin http://evil.example is not allowed");
    }

    @Test
    void acceptsSameOriginByDefault() throws IOException {
        try (RawClient c = RawClient.connect(server.port())) {
            c.open("/echo", "Origin: http://127.0.0.1");
        }
    }

    @Test
    void acceptsOriginsMatchingAGlob() throws IOException {
        try (WebSocketServer glob = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .allowedOrigins("https://*.example.com")
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start()) {
            try (RawClient c = RawClient.connect(glob.port())) {
                c.open("/echo", "Origin: https://app.example.com");
            }
            assertThat(exchange(glob.port(), RawClient.upgradeRequest("/echo", "Origin: https://example.org")))
                    .startsWith("HTTP/1.1 403 Forbidden\r\n");
        }
    }

    @Test
    void refusesUnknownPathWith404() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/nowhere"));

        assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("No WebSocket endpoint at this path");
    }

    @Test
    void refusesOversizeHeadWith431() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/echo", "X-Padding: " + "a".repeat(2000)));

        assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
    }

    @Test
    void refusesMalformedHeadWith400() throws IOException {
        String response = exchange("GET /echo HTTP/1.1\nHost: x\n\n");

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void endpointRejectsWithItsStatusAndHeaders() throws IOException {
        String response = exchange(RawClient.upgradeRequest("/guarded?token=bad"));

        assertThat(response)
                .startsWith("HTTP/1.1 401 Unauthorized\r\n")
                .contains("\r\nWWW-Authenticate: Bearer\r\n")
                .endsWith("A valid token is required");
        try (RawClient c = RawClient.connect(server.port())) {
            c.open("/guarded?token=ok");
        }
    }

    @Test
    void cutsOffASlowLorisHandshake() throws IOException {
        try (WebSocketServer slow = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .handshakeTimeout(Duration.ofMillis(300))
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start()) {
            try (RawClient c = RawClient.connect(slow.port())) {
                c.write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the rest
                assertThat(c.readToEnd())
                        .startsWith("HTTP/1.1 408 Request Timeout\r\n")
                        .endsWith("The handshake did not complete within 300 ms");
            }
        }
    }

    @Test
    void answers503PastTheConnectionLimit() throws IOException {
        try (WebSocketServer small = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .maxConnections(1)
                .endpoint("/echo", new Endpoints.Echo())
                .build()
                .start()) {
            try (RawClient first = RawClient.connect(small.port()).open("/echo")) {
                assertThat(exchange(small.port(), RawClient.upgradeRequest("/echo")))
                        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                        .endsWith("Too many connections");
                first.send("8185 00000000 68656c6c6f"); // masked text "hello": the first still works
                assertThat(first.readFrame()).isEqualTo("810568656c6c6f");
            }
        }
    }
}
