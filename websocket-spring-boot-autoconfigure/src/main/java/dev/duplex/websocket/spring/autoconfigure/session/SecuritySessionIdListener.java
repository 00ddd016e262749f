package dev.duplex.websocket.spring.autoconfigure.session;

import org.springframework.context.event.EventListener;
import org.springframework.security.core.session.SessionIdChangedEvent;
import org.springframework.security.web.authentication.session.SessionFixationProtectionEvent;

/**
 * Hears Spring Security announce a changed session id and moves the session's sockets to the new
 * id. It matters under Spring Session, whose id changes reach no servlet listener: Spring
 * Security's session-fixation protection publishes a {@link SessionFixationProtectionEvent} at
 * sign-in, and its {@code HttpSessionEventPublisher}, when registered, a {@link
 * SessionIdChangedEvent}.
 */
public final class SecuritySessionIdListener {

    private final HttpSessionBinding binding;

    public SecuritySessionIdListener(HttpSessionBinding binding) {
        this.binding = binding;
    }

    /** Spring Security changed the session id at sign-in. */
    @EventListener
    public void onSessionFixationProtection(SessionFixationProtectionEvent event) {
        binding.sessionIdChanged(event.getOldSessionId(), event.getNewSessionId());
    }

    /** A session id changed, as Spring Security's session event publisher reports it. */
    @EventListener
    public void onSessionIdChanged(SessionIdChangedEvent event) {
        binding.sessionIdChanged(event.getOldSessionId(), event.getNewSessionId());
    }
}
