/** The server side: the endpoint base class, the standalone {@code WebSocketServer} and the registry of open connections. */
@NullMarked
package dev.duplex.websocket.server;

import org.jspecify.annotations.NullMarked;
