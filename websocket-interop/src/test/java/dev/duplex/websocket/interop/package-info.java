/** Interoperability tests: Duplex's client and server against independent WebSocket peers on loopback. */
@NullMarked
package dev.duplex.websocket.interop;

import org.jspecify.annotations.NullMarked;
