/** The WebSocket client: {@link dev.duplex.websocket.client.WebSocketClient}, its options, and reconnection. */
@NullMarked
package dev.duplex.websocket.client;

import org.jspecify.annotations.NullMarked;
