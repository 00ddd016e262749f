package dev.duplex.websocket.spring.autoconfigure.session;

import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The endpoints and the controller the HTTP-session tests share. */
final class SessionEndpoints {

    private SessionEndpoints() {}

    /** Answers any text with what it knows of its HTTP session: {@code id=… spring=… user=… principal=…}. */
    @WebSocketEndpoint("/bound")
    static class Bound extends DuplexEndpoint {
        @Override
        public void onText(WebSocket webSocket, String text) {
            Principal principal = WebSocketHttpSession.principal(webSocket);
            webSocket.sendText(WebSocketHttpSession.of(webSocket)
                    .map(s -> "id=" + s.id() + " spring=" + s.springSessionId() + " user="
                            + s.attributes().get("user") + " principal="
                            + (principal == null ? null : principal.getName()))
                    .orElse("none"));
        }
    }

    /** Ends its HTTP session when the socket closes. */
    @WebSocketEndpoint(path = "/ending", sessionEndOnClose = WebSocketEndpoint.Flag.ON)
    static class Ending extends DuplexEndpoint {}

    @RestController
    static class Sessions {
        /** Starts a session holding attribute {@code user}; returns its id. */
        @GetMapping("/start")
        String start(HttpServletRequest request) {
            request.getSession(true).setAttribute("user", "ann");
            return request.getSession().getId();
        }

        /** The id of the request's session, a new one if it had none. */
        @GetMapping("/session")
        String session(HttpServletRequest request) {
            return request.getSession(true).getId();
        }

        /** Lets the session expire after one second without requests. */
        @GetMapping("/short")
        String shortLived(HttpServletRequest request) {
            request.getSession(true).setMaxInactiveInterval(1);
            return request.getSession().getId();
        }

        @PostMapping("/invalidate")
        String invalidate(HttpServletRequest request) {
            request.getSession(true).invalidate();
            return "bye";
        }
    }
}
