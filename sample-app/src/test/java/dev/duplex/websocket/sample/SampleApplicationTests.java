package dev.duplex.websocket.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.HandshakeException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample application starts on a real web server, without a browser: its page, its JSON API,
 * the Duplex meters at {@code /actuator/metrics}, and its endpoints as a Duplex client sees them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    WebSocketClient client;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until its body matches, for at most {@link #TIMEOUT}; returns the last body. */
    private String awaitBody(String path, String regex) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String body = get(path).body();
        while (!Pattern.compile(regex).matcher(body).find() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            body = get(path).body();
        }
        return body;
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    @Test
    void servesItsPage() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Duplex sample</title>");
    }

    @Test
    void tellsAnAnonymousVisitorWhoTheyAreWithACsrfToken() throws Exception {
        HttpResponse<String> me = get("/api/me");

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"user\":null").containsPattern("\"csrf\":\"[^\"]{16,}\"");
    }

    @Test
    void listsTheDuplexMetersAtTheActuator() throws Exception {
        HttpResponse<String> metrics = get("/actuator/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("\"duplex.websocket.connections.active\"")
                .contains("\"duplex.websocket.messages\"");
        // The outbound client's connection to /echo, at least, once it is open.
        assertThat(awaitBody("/api/metrics", "\"openConnections\":[1-9]")).containsPattern("\"openConnections\":[1-9]");
    }

    @Test
    void refusesTheSessionFeedWithoutASignIn() {
        Throwable refused = catchThrowable(() ->
                client.connect(ws("/session-feed"), new WebSocketListener() {}).get(10, TimeUnit.SECONDS));

        assertThat(refused).isInstanceOf(ExecutionException.class).cause().isInstanceOf(HandshakeException.class);
        assertThat(((HandshakeException) refused.getCause()).status()).isEqualTo(401);
    }

    @Test
    void echoesTextToADuplexClient() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = client.connect(ws("/echo"), new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        received.add(text);
                    }
                })
                .get(10, TimeUnit.SECONDS);

        ws.sendText("ping from the test");

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("ping from the test");
        ws.close();
    }

    @Test
    void closesAChatWithABadNameWith1008AndAReason() throws Exception {
        WebSocket ws = client.connect(ws("/chat/lobby?name=%3Cscript%3E"), new WebSocketListener() {})
                .get(10, TimeUnit.SECONDS);

        CloseReason closed = ws.closeFuture().get(10, TimeUnit.SECONDS);

        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).startsWith("Names are 1 to 24 letters");
    }

    @Test
    void closesAChatOnAnUnknownCommandWith1008() throws Exception {
        WebSocket ws = client.connect(ws("/chat/lobby?name=tester"), new WebSocketListener() {})
                .get(10, TimeUnit.SECONDS);

        ws.sendText("{\"type\":\"shout\",\"text\":\"hi\"}");
        CloseReason closed = ws.closeFuture().get(10, TimeUnit.SECONDS);

        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("Unknown command type: shout");
    }

    @Test
    void reportsTheOutboundClientOpenOnItsOwnEcho() throws Exception {
        String status = awaitBody("/api/client", "\"state\":\"OPEN\"");

        assertThat(status)
                .contains("\"state\":\"OPEN\"")
                .contains("\"url\":\"ws://127.0.0.1:" + port + "/echo\"")
                .contains("\"attempts\":1");
    }
}
