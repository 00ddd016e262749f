package dev.duplex.websocket.spring.autoconfigure.session;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;

/**
 * Hears the servlet container change a session's id ({@code HttpServletRequest.changeSessionId()},
 * which Spring Security's session-fixation protection calls at sign-in) and moves the session's
 * sockets to the new id. Spring Boot registers it with the embedded container because it is a bean.
 */
public final class ServletSessionIdListener implements HttpSessionIdListener {

    private final HttpSessionBinding binding;

    public ServletSessionIdListener(HttpSessionBinding binding) {
        this.binding = binding;
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        binding.sessionIdChanged(oldSessionId, event.getSession().getId());
    }
}
