/** The {@code websocket-cli} commands: connect to a URL from a terminal, and an echo client. */
@NullMarked
package dev.duplex.websocket.cli;

import org.jspecify.annotations.NullMarked;
