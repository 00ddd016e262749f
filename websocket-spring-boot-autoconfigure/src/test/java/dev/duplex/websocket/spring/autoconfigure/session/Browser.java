package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.WebSocketListener;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What a browser does to a server's HTTP session, on 127.0.0.1: keeps the cookies the server sets,
 * sends them with every request and WebSocket handshake, and does not follow redirects. One
 * instance per test; {@link #close()} closes its sockets.
 */
final class Browser implements AutoCloseable {

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    /** One client per socket, since a client's cookies are fixed when it is built. */
    private final List<WebSocketClient> clients = new ArrayList<>();

    Browser(int port) {
        this.port = port;
    }

    /** GETs {@code path} and returns the body. */
    String get(String path) throws Exception {
        return send(request(path).GET()).body();
    }

    /** POSTs a form ({@code a=1&b=2}) to {@code path} and returns the status. */
    int post(String path, String form) throws Exception {
        return send(request(path)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)))
                .statusCode();
    }

    /** The value of cookie {@code name}, or null. */
    String cookie(String name) {
        return cookies.get(name);
    }

    /**
     * Opens a socket to {@code path} with the current cookies; its text messages and its close
     * ({@code close:CODE REASON}) go to {@code events}.
     */
    WebSocket connect(String path, BlockingQueue<String> events) throws Exception {
        WebSocketClient.Builder builder = WebSocketClient.builder().ioThreads(1);
        cookies.forEach(builder::cookie);
        WebSocketClient client = builder.build();
        clients.add(client);
        return client.connect(URI.create("ws://127.0.0.1:" + port + path), new WebSocketListener() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        events.add(text);
                    }

                    @Override
                    public void onClose(WebSocket ws, int code, String reason, boolean wasClean) {
                        events.add("close:" + code + " " + reason);
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code text} on {@code ws} and returns the next event. */
    static String ask(WebSocket ws, LinkedBlockingQueue<String> events, String text) throws Exception {
        ws.sendText(text);
        return events.poll(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        clients.forEach(WebSocketClient::close);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ")
                    .append(name)
                    .append('=')
                    .append(value));
            b.header("Cookie", header.toString());
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            boolean expired = setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
            if (expired || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return response;
    }
}
