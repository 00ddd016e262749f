/** JMH benchmarks that compare Duplex's frame codec with Netty's and Jetty's on the same bytes. */
@NullMarked
package dev.duplex.websocket.benchmarks;

import org.jspecify.annotations.NullMarked;
