package dev.duplex.websocket.spring.autoconfigure.server;

import org.springframework.util.ClassUtils;

/** Which optional container APIs are on the class path; checked once. */
final class Containers {

    static final boolean JAKARTA_PRESENT =
            ClassUtils.isPresent("jakarta.websocket.Session", Containers.class.getClassLoader());

    private Containers() {}
}
