/** The server benchmark: one load generator against Duplex, Netty, Jetty and Tomcat echo servers, each in its own JVM. */
@NullMarked
package dev.duplex.websocket.load.server;

import org.jspecify.annotations.NullMarked;
