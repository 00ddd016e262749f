/** Serves {@code @WebSocketEndpoint} beans from the application's own web server through spring-websocket. */
@NullMarked
package dev.duplex.websocket.spring.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
