package dev.duplex.websocket.spring.autoconfigure.server;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.server.HandshakeRequest;
import dev.duplex.websocket.server.HandshakeResponse;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Scope;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints the server tests run, registered explicitly (no component scanning). */
final class TestEndpoints {

    private TestEndpoints() {}

    /** Echoes text and binary messages; records its hooks in order. */
    @WebSocketEndpoint(path = "/echo", maxTextMessageSize = "1MB", maxBinaryMessageSize = "1MB")
    static class Echo extends DuplexEndpoint {
        final List<String> hooks = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            hooks.add("open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            hooks.add("text");
            webSocket.sendText("whoami".equals(text) ? webSocket.id() : text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            hooks.add("binary");
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            webSocket.sendBinary(copy);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            hooks.add("error:" + error.getMessage());
        }

        @Override
        public void onClose(WebSocket webSocket, CloseReason reason, boolean wasClean) {
            hooks.add("close:" + reason.code());
        }

        @Override
        public void onAfterClose(WebSocket webSocket) {
            hooks.add("afterClose");
        }
    }

    /** Greets with its path variables and the chosen subprotocol; rejects room "locked" with 401. */
    @WebSocketEndpoint(
            path = "/rooms/{room}/users/{user}",
            subprotocols = {"v2.chat", "v1.chat"})
    @Scope("prototype")
    static class Rooms extends DuplexEndpoint {
        static final List<Rooms> INSTANCES = new CopyOnWriteArrayList<>();

        Rooms() {
            INSTANCES.add(this);
        }

        @Override
        public void onHandshake(HandshakeRequest request, HandshakeResponse response) {
            if ("locked".equals(request.pathVariable("room"))) {
                response.reject(401, "The room is locked");
                return;
            }
            if ("old".equals(request.queryParameter("client"))) {
                response.subprotocol(request.offeredSubprotocols().contains("v1.chat") ? "v1.chat" : null);
            }
            response.attributes().put("greeting", "hello");
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            var vars = DuplexEndpoint.pathVariables(webSocket);
            webSocket.sendText(webSocket.attributes().get("greeting") + " " + vars.get("user") + " in "
                    + vars.get("room") + " via " + webSocket.subprotocol() + " #" + System.identityHashCode(this));
        }
    }

    /** Sends through the registry bean, as an application's controller does. */
    @RestController
    static class Notifications {
        private final ConnectionRegistry registry;

        Notifications(ConnectionRegistry registry) {
            this.registry = registry;
        }

        @PostMapping("/notify/{id}")
        String notifyOne(@PathVariable String id, @RequestBody String text) {
            registry.sendText(id, text).join();
            return "sent";
        }

        @PostMapping("/broadcast")
        String broadcast(@RequestBody String text) {
            registry.broadcastText("/echo", text).join();
            return String.valueOf(registry.size("/echo"));
        }
    }
}
