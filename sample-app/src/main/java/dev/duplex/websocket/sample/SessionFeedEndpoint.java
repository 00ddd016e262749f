package dev.duplex.websocket.sample;

import dev.duplex.websocket.ProtocolException;
import dev.duplex.websocket.WebSocket;
import dev.duplex.websocket.server.ConnectionRegistry;
import dev.duplex.websocket.server.DuplexEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint;
import dev.duplex.websocket.spring.WebSocketEndpoint.Flag;
import dev.duplex.websocket.spring.autoconfigure.session.WebSocketHttpSession;
import java.security.Principal;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@code /session-feed}: a socket that lives inside a signed-in HTTP session. Spring Security
 * refuses the handshake with 401 without a sign-in ({@link SecurityConfiguration}); signing out
 * ends the session, which closes the socket with 1008 ({@code close-on-session-end}); and, with
 * {@code sessionEndOnClose}, closing the socket ends the session (signs the user out). It sends a
 * line when it opens and every few seconds after.
 */
@WebSocketEndpoint(path = SessionFeedEndpoint.PATH, sessionEndOnClose = Flag.ON)
public class SessionFeedEndpoint extends DuplexEndpoint {

    /** The endpoint's path, which is also its key in the registry. */
    public static final String PATH = "/session-feed";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ConnectionRegistry registry;
    private final AtomicLong lines = new AtomicLong();

    SessionFeedEndpoint(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        Principal user = WebSocketHttpSession.principal(webSocket);
        if (user == null || WebSocketHttpSession.of(webSocket).isEmpty()) {
            // Security already refuses these; this keeps the endpoint safe without it.
            throw new ProtocolException(ProtocolException.POLICY_VIOLATION, "Sign in first");
        }
        webSocket.sendText("Hello " + user.getName() + ": this socket lives as long as your HTTP session");
    }

    /** Every few seconds, a line for each signed-in socket. */
    @Scheduled(fixedRate = 3000, initialDelay = 3000)
    void sendLines() {
        String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(TIME);
        for (WebSocket ws : registry.connections(PATH)) {
            Principal user = WebSocketHttpSession.principal(ws);
            String name = user == null ? "?" : user.getName();
            ws.sendText(time + " · line " + lines.incrementAndGet() + " for " + name);
        }
    }
}
