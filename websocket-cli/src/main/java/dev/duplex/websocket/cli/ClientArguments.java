package dev.duplex.websocket.cli;

import dev.duplex.websocket.client.ConnectRequest;
import dev.duplex.websocket.client.WebSocketClient;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The options the client commands share ({@code --header}, {@code --subprotocol}, {@code
 * --insecure}) and the URL, parsed from a command line.
 */
record ClientArguments(ConnectRequest request, boolean insecure) {

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException if an option is unknown or malformed, or the URL is missing
     *     or not a ws/wss URL
     */
    static ClientArguments parse(List<String> args) {
        List<String[]> headers = new ArrayList<>();
        List<String> subprotocols = new ArrayList<>();
        boolean insecure = false;
        String url = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--header" -> {
                    String value = value(args, ++i, a);
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--header must be NAME:VALUE, was " + value);
                    }
                    headers.add(new String[] {
                        value.substring(0, colon).trim(),
                        value.substring(colon + 1).trim()
                    });
                }
                case "--subprotocol" -> subprotocols.add(value(args, ++i, a));
                case "--insecure" -> insecure = true;
                default -> {
                    if (a.startsWith("--") || url != null) {
                        throw new IllegalArgumentException("unexpected argument " + a);
                    }
                    url = a;
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("a ws:// or wss:// URL is required");
        }
        ConnectRequest request = ConnectRequest.to(url);
        for (String[] h : headers) {
            request = request.withHeader(h[0], h[1]);
        }
        if (!subprotocols.isEmpty()) {
            request = request.withSubprotocols(subprotocols.toArray(String[]::new));
        }
        return new ClientArguments(request, insecure);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    /** A client for these arguments; with {@code --insecure}, one that trusts any certificate. */
    WebSocketClient client() throws GeneralSecurityException {
        WebSocketClient.Builder b = WebSocketClient.builder().ioThreads(1);
        if (insecure) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingManager()}, null);
            b.sslContext(context).hostnameVerification(false);
        }
        return b.build();
    }

    /** Accepts every certificate: what {@code --insecure} asks for, for self-signed test servers. */
    private static final class TrustingManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
