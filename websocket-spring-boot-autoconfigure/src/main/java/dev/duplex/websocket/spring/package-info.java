/** The annotation that turns a {@code DuplexEndpoint} bean into a WebSocket endpoint of a Spring application. */
@NullMarked
package dev.duplex.websocket.spring;

import org.jspecify.annotations.NullMarked;
