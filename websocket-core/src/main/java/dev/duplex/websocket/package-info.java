/** The user API of Duplex: one connection, its listener, close reasons, ready states and exceptions. */
@NullMarked
package dev.duplex.websocket;

import org.jspecify.annotations.NullMarked;
