/** The client benchmark: Duplex's client beside the JDK's, OkHttp's and Jetty's against one Netty echo server. */
@NullMarked
package dev.duplex.websocket.load.client;

import org.jspecify.annotations.NullMarked;
