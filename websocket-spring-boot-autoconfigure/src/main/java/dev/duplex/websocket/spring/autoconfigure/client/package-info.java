/** The auto-configured {@link dev.duplex.websocket.client.WebSocketClient} bean, its properties and customizers. */
@NullMarked
package dev.duplex.websocket.spring.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
