/** Network benchmarks over loopback: Duplex beside Netty, Jetty, Tomcat, OkHttp and the JDK. */
package dev.duplex.websocket.load;
