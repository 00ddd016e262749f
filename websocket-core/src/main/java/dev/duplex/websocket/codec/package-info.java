/** The RFC 6455 wire format without I/O: frames, masking, UTF-8 validation, message assembly and the extension SPI. */
@NullMarked
package dev.duplex.websocket.codec;

import org.jspecify.annotations.NullMarked;
