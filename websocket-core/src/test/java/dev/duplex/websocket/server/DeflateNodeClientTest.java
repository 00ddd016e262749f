package dev.duplex.websocket.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.codec.DeflateOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Permessage-deflate between the standalone server and node {@code ws} 8.23.0 as the client
 * ({@code test-peers/node/deflate-client.js}), with every parameter offered by node or set on the
 * server. The script sends a fixed series of messages (one of them compressed in three fragments),
 * checks every echo, and reports the response's extensions and its socket's byte counts, which
 * show whether both directions were compressed.
 */
class DeflateNodeClientTest {

    private static final Pattern RESULT = Pattern.compile(
            "\\{\"extensions\":\"([^\"]*)\",\"echoed\":(\\d+),\"failures\":\\[(.*)],\"read\":(\\d+),\"written\":(\\d+),\"close\":(-?\\d+)}");
    /** The payload bytes the script sends; compressed they are a small fraction of it. */
    private static final int RAW_BYTES = 1_370_000;

    private static final int MESSAGES = 10;

    @ParameterizedTest(name = "server [{0}], node offers {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                " | {} | permessage-deflate", // node offers client_max_window_bits by default
                " | {'serverNoContextTakeover':true} | permessage-deflate; server_no_context_takeover",
                " | {'clientNoContextTakeover':true} | permessage-deflate",
                " | {'serverMaxWindowBits':15} | permessage-deflate; server_max_window_bits=15",
                " | {'serverMaxWindowBits':10} | ", // declined: the JDK deflater cannot use a 10-bit window
                " | {'clientMaxWindowBits':10} | permessage-deflate",
                " | {'clientMaxWindowBits':false} | permessage-deflate",
                "snct | {} | permessage-deflate; server_no_context_takeover",
                "cnct | {} | permessage-deflate; client_no_context_takeover",
                "cmwb=9 | {} | permessage-deflate; client_max_window_bits=9",
                "cmwb=9 | {'clientMaxWindowBits':8} | permessage-deflate; client_max_window_bits=8",
                "cmwb=9 | {'clientMaxWindowBits':false} | permessage-deflate", // no client window offered: none asked
                "snct cnct cmwb=10 | {'serverNoContextTakeover':true,'clientNoContextTakeover':true,'serverMaxWindowBits':15}"
                        + " | permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " server_max_window_bits=15; client_max_window_bits=10",
                "off | {} | ",
            })
    void roundTripsWithNode(String serverSettings, String nodeOptions, String agreed) throws Exception {
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .compression(serverOptions(serverSettings))
                .endpoint("/echo", new FragmentingEcho())
                .build()
                .start();
        try {
            Matcher result = runNodeClient("ws://127.0.0.1:" + server.port() + "/echo", nodeOptions);

            String expected = agreed == null ? "" : agreed;
            assertThat(result.group(1)).as("extensions").isEqualTo(expected);
            assertThat(result.group(3)).as("failures").isEmpty();
            assertThat(result.group(2)).as("echoed").isEqualTo(String.valueOf(MESSAGES));
            assertThat(result.group(6)).as("close").isEqualTo("1000");
            long read = Long.parseLong(result.group(4));
            long written = Long.parseLong(result.group(5));
            if (expected.isEmpty()) {
                assertThat(written).as("bytes node wrote").isGreaterThan(RAW_BYTES);
                assertThat(read).as("bytes node read").isGreaterThan(RAW_BYTES);
            } else {
                assertThat(written).as("bytes node wrote").isLessThan(RAW_BYTES / 10);
                assertThat(read).as("bytes node read").isLessThan(RAW_BYTES / 10);
            }
        } finally {
            server.stop();
        }
    }

    /** Echoes messages, cutting large ones into frames of 4 KiB (compressed ones after compression). */
    static final class FragmentingEcho extends DuplexEndpoint {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text, 4096);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            ws.sendBinary(data, 4096);
        }
    }

    private static Matcher runNodeClient(String url, String options) throws Exception {
        Path dir = Path.of("..", "test-peers", "node").toAbsolutePath().normalize();
        assertThat(dir.resolve("node_modules/ws"))
                .as("run 'npm ci' in %s first", dir)
                .exists();
        Process p = new ProcessBuilder(
                        List.of("node", "deflate-client.js", url, options.trim().replace('\'', '"')))
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String printed = line.get(30, TimeUnit.SECONDS);
            assertThat(printed).as("the node client's result").isNotNull();
            Matcher m = RESULT.matcher(printed);
            assertThat(m.matches()).as(printed).isTrue();
            return m;
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static DeflateOptions serverOptions(String settings) {
        DeflateOptions.Builder b = DeflateOptions.builder();
        for (String part : settings == null ? new String[0] : settings.trim().split(" ")) {
            if (part.equals("snct")) {
                b.serverNoContextTakeover(true);
            } else if (part.equals("cnct")) {
                b.clientNoContextTakeover(true);
            } else if (part.startsWith("cmwb=")) {
                b.clientMaxWindowBits(Integer.parseInt(part.substring(5)));
            } else if (part.equals("off")) {
                b.enabled(false);
            }
        }
        return b.build();
    }
}
