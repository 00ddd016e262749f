/** Micrometer meters for WebSocket connections, fed by a {@link dev.duplex.websocket.WebSocketObserver}. */
@NullMarked
package dev.duplex.websocket.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
