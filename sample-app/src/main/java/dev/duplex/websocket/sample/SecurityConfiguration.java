package dev.duplex.websocket.sample;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * Spring Security for the sample: form login at {@code /login} (Spring's default page) for two
 * in-memory users, {@code alice} and {@code bob}, password {@code password}; {@code POST /logout}
 * with the CSRF token, which ends the HTTP session and so closes its sockets with 1008. Everything
 * the page uses is open except {@code /session-feed}, whose handshake gets 401 without a sign-in.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain sampleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/",
                                "/index.html",
                                "/app.css",
                                "/app.js",
                                "/favicon.ico",
                                "/error",
                                "/echo",
                                "/chat/**",
                                "/ticks",
                                "/api/me",
                                "/api/client",
                                "/api/metrics",
                                "/actuator/**")
                        .permitAll()
                        .requestMatchers(SessionFeedEndpoint.PATH)
                        .authenticated()
                        .anyRequest()
                        .authenticated())
                // A WebSocket handshake cannot follow a redirect to the login page: answer 401.
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), pathPattern(SessionFeedEndpoint.PATH)))
                // Back to the page after signing in, whatever was asked for before.
                .formLogin(login -> login.defaultSuccessUrl("/", true).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/").permitAll());
        return http.build();
    }

    /** The sample's users; {@code {noop}} tells the delegating password encoder the password is plain. */
    @Bean
    InMemoryUserDetailsManager sampleUsers() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice")
                        .password("{noop}password")
                        .roles("USER")
                        .build(),
                User.withUsername("bob")
                        .password("{noop}password")
                        .roles("USER")
                        .build());
    }
}
