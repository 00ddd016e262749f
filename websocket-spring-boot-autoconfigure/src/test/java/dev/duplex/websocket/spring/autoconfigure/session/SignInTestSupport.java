package dev.duplex.websocket.spring.autoconfigure.session;

import static dev.duplex.websocket.spring.autoconfigure.session.Browser.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.websocket.CloseReason;
import dev.duplex.websocket.WebSocket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Sockets, Spring Security's form login and its session-fixation protection (the default, which
 * changes the session id at sign-in), on a real Tomcat; subclasses choose the kind of HTTP session
 * and name its cookie.
 */
abstract class SignInTestSupport {

    static final String ENDED = "close:" + CloseReason.POLICY_VIOLATION + " The HTTP session ended";

    /** Form login and logout for user {@code ann}, everything else open. */
    @Configuration(proxyBeanMethods = false)
    @EnableWebSecurity
    static class Security {
        @Bean
        SecurityFilterChain testSecurity(HttpSecurity http) {
            return http.authorizeHttpRequests(r -> r.anyRequest().permitAll())
                    .formLogin(Customizer.withDefaults())
                    .logout(Customizer.withDefaults())
                    // The test posts forms as a script would, without a CSRF token.
                    .csrf(csrf -> csrf.disable())
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager testUsers() {
            return new InMemoryUserDetailsManager(User.withUsername("ann")
                    .password("{noop}secret")
                    .roles("USER")
                    .build());
        }
    }

    @LocalServerPort
    int port;

    private Browser browser;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    /** The name of the session cookie. */
    abstract String sessionCookie();

    @BeforeEach
    void open() {
        browser = new Browser(port);
    }

    @AfterEach
    void close() {
        browser.close();
    }

    private int signIn() throws Exception {
        return browser.post("/login", "username=ann&password=secret");
    }

    @Test
    void followsTheSessionIdThatSignInChangesSoThatSignOutClosesTheSocket() throws Exception {
        String before = browser.get("/session");
        WebSocket ws = browser.connect("/bound", events);
        assertThat(ask(ws, events, "?")).startsWith("id=" + before + " ");
        String cookieBefore = browser.cookie(sessionCookie());

        assertThat(signIn()).isEqualTo(302);

        assertThat(browser.cookie(sessionCookie())).isNotEqualTo(cookieBefore);
        String after = browser.get("/session");
        assertThat(after).isNotEqualTo(before);
        // The socket now belongs to the renamed session; its principal stays the handshake's.
        assertThat(ask(ws, events, "?")).startsWith("id=" + after + " ").endsWith(" principal=null");

        assertThat(browser.post("/logout", "")).isEqualTo(302);

        assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(ENDED);
    }

    @Test
    void readsThePrincipalOfASignedInHandshake() throws Exception {
        browser.get("/start");
        assertThat(signIn()).isEqualTo(302);
        String id = browser.get("/session");
        WebSocket ws = browser.connect("/bound", events);
        // Attributes survive the id change at sign-in: the session is the same.
        assertThat(ask(ws, events, "?")).startsWith("id=" + id + " ").endsWith(" user=ann principal=ann");

        assertThat(browser.post("/logout", "")).isEqualTo(302);

        // Tomcat closes the sockets of an authenticated HTTP session itself (Jakarta WebSocket
        // 2.2, section 7.2), with a reason of its own, and may do so first: either way 1008.
        assertThat(events.poll(10, TimeUnit.SECONDS))
                .satisfiesAnyOf(
                        e -> assertThat(e).isEqualTo(ENDED),
                        e -> assertThat(e).startsWith("close:" + CloseReason.POLICY_VIOLATION + " This connection"));
    }

    @Test
    void hasNoPrincipalForAnAnonymousHandshake() throws Exception {
        browser.get("/start");
        WebSocket ws = browser.connect("/bound", events);
        assertThat(ask(ws, events, "?")).endsWith(" user=ann principal=null");
    }
}
