/** Loopback benchmarks of the Spring starter's endpoints against plain spring-websocket handlers on the same Tomcat. */
@NullMarked
package dev.duplex.websocket.load.spring;

import org.jspecify.annotations.NullMarked;
