package dev.duplex.websocket.spring.autoconfigure.session;

import org.springframework.context.ApplicationListener;
import org.springframework.session.events.SessionDestroyedEvent;

/** Hears Spring Session end sessions (deletion, expiry) and closes their sockets. */
public final class SpringSessionEndListener implements ApplicationListener<SessionDestroyedEvent> {

    private final HttpSessionBinding binding;

    public SpringSessionEndListener(HttpSessionBinding binding) {
        this.binding = binding;
    }

    @Override
    public void onApplicationEvent(SessionDestroyedEvent event) {
        binding.sessionEnded(event.getSessionId());
    }
}
