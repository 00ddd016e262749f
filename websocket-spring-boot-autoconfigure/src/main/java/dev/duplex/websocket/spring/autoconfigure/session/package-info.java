/** Ties WebSocket connections to the HTTP session (servlet or Spring Session) they were opened under. */
@NullMarked
package dev.duplex.websocket.spring.autoconfigure.session;

import org.jspecify.annotations.NullMarked;
