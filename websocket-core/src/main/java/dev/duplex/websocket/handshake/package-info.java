/** The HTTP/1.1 opening handshake of RFC 6455 §4, both sides, as bytes in and models and bytes out. */
@NullMarked
package dev.duplex.websocket.handshake;

import org.jspecify.annotations.NullMarked;
