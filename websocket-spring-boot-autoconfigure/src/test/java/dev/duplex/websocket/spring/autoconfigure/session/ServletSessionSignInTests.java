package dev.duplex.websocket.spring.autoconfigure.session;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** Sign-in and sign-out with Tomcat's own HTTP sessions. */
@SpringBootTest(
        classes = ServletSessionSignInTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "duplex.websocket.server.session-attributes=user")
class ServletSessionSignInTests extends SignInTestSupport {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Security.class, SessionEndpoints.Bound.class, SessionEndpoints.Sessions.class})
    static class App {}

    @Override
    String sessionCookie() {
        return "JSESSIONID";
    }
}
