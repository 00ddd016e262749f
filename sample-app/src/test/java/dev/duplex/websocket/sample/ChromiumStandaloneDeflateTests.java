package dev.duplex.websocket.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.WebSocketServer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Chromium against the standalone server (no Spring): the browser's permessage-deflate offer is
 * accepted, and compressed text and binary messages survive the round trip both ways.
 */
class ChromiumStandaloneDeflateTests {

    private static final String ROUND_TRIP = """
            const [url, done] = [arguments[0], arguments[arguments.length - 1]];
            const ws = new WebSocket(url);
            ws.binaryType = 'arraybuffer';
            const text = JSON.stringify(Array.from({length: 400}, (_, i) => ({id: i, user: 'alice', text: 'hello ' + i})));
            const bytes = new Uint8Array(20000).map((_, i) => i % 7);
            const got = [];
            ws.onopen = () => { ws.send(text); ws.send(bytes.buffer); };
            ws.onmessage = (e) => {
              got.push(e.data);
              if (got.length === 2) {
                const back = new Uint8Array(got[1]);
                done({extensions: ws.extensions, textOk: got[0] === text, textLength: text.length,
                      binaryOk: back.length === bytes.length && back.every((b, i) => b === bytes[i])});
                ws.close(1000);
              }
            };
            ws.onerror = () => done({error: 'error'});
            ws.onclose = (e) => { if (got.length < 2) done({error: 'closed ' + e.code}); };
            """;

    private final List<String> receivedExtensions = new CopyOnWriteArrayList<>();
    private WebSocketServer server;
    private Browser browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void chromiumNegotiatesPermessageDeflateWithTheStandaloneServer() throws Exception {
        Map<String, Object> result = roundTrip(true);

        assertThat(result).doesNotContainKey("error");
        assertThat((String) result.get("extensions")).startsWith("permessage-deflate");
        assertThat(result).containsEntry("textOk", true).containsEntry("binaryOk", true);
        assertThat(receivedExtensions).singleElement().asString().startsWith("permessage-deflate");
    }

    @Test
    void chromiumTalksUncompressedWhenTheServerTurnsDeflateOff() throws Exception {
        Map<String, Object> result = roundTrip(false);

        assertThat(result).doesNotContainKey("error");
        assertThat(result).containsEntry("extensions", "");
        assertThat(result).containsEntry("textOk", true).containsEntry("binaryOk", true);
        assertThat(receivedExtensions).singleElement().asString().isEmpty();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> roundTrip(boolean compression) throws Exception {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .compression(compression)
                .endpoint("/echo", new DuplexEndpoint() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        receivedExtensions.add(String.join(", ", webSocket.extensions()));
                    }

                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                        copy.put(data).flip();
                        webSocket.sendBinary(copy);
                    }
                })
                .build()
                .start();
        browser = Browser.start();
        // The page is the server's own plain-HTTP answer (426, "use a WebSocket"): it gives the
        // script the server's origin, which the server's same-origin default accepts.
        browser.open("http://127.0.0.1:" + server.port() + "/echo");
        browser.driver().manage().timeouts().scriptTimeout(Browser.WAIT);
        return (Map<String, Object>) ((JavascriptExecutor) browser.driver())
                .executeAsyncScript(ROUND_TRIP, "ws://127.0.0.1:" + server.port() + "/echo");
    }
}
