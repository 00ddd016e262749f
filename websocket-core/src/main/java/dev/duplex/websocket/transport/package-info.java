/** Non-blocking sockets, plain and TLS: event loops, timers, the outbound queue and ordered event dispatch. */
@NullMarked
package dev.duplex.websocket.transport;

import org.jspecify.annotations.NullMarked;
