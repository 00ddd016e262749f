package dev.duplex.websocket.spring.autoconfigure.session;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Hears the servlet container end HTTP sessions (invalidation, expiry) and closes their sockets.
 * Spring Boot registers it with the embedded container because it is a bean.
 */
public final class ServletSessionEndListener implements HttpSessionListener {

    private final HttpSessionBinding binding;

    public ServletSessionEndListener(HttpSessionBinding binding) {
        this.binding = binding;
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        binding.sessionEnded(event.getSession().getId());
    }
}
