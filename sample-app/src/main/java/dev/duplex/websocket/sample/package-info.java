/** The Duplex sample application: endpoints, the client bean, metrics and HTTP sessions behind one page. */
@NullMarked
package dev.duplex.websocket.sample;

import org.jspecify.annotations.NullMarked;
