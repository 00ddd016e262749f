package dev.duplex.websocket.spring.autoconfigure.server;

/**
 * {@link EndpointFeaturesTests} on Jetty: run in the surefire execution without Tomcat, where the
 * same application starts on Jetty.
 */
class JettyEndpointFeaturesTests extends EndpointFeaturesTests {

    @Override
    String expectedServer() {
        return "Jetty";
    }
}
