/** Spring Boot auto-configuration that wires websocket-core into an application. */
@NullMarked
package dev.duplex.websocket.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
