package dev.duplex.websocket.spring.autoconfigure.session;

import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

/**
 * Sign-in and sign-out with Spring Session, whose id changes reach no servlet listener (Spring
 * Security's event carries them). The check for expired sessions runs often, to show that it
 * leaves a renamed session alone while the store saves it under its new id.
 */
@SpringBootTest(
        classes = SpringSessionSignInTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "duplex.websocket.server.session-attributes=user",
            "duplex.websocket.server.session-check-interval=50ms"
        })
class SpringSessionSignInTests extends SignInTestSupport {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableSpringHttpSession
    @Import({Security.class, SessionEndpoints.Bound.class, SessionEndpoints.Sessions.class})
    static class App {
        @Bean
        MapSessionRepository sessionRepository() {
            return new MapSessionRepository(new ConcurrentHashMap<>());
        }
    }

    @Override
    String sessionCookie() {
        return "SESSION";
    }
}
