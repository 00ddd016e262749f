package dev.duplex.websocket.transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/** Formats socket addresses for messages, without reverse lookups. */
final class Addresses {

    private Addresses() {}

    /** {@code host:port}, IPv6 literals in brackets ({@code [::1]:8080}); "?" for null. */
    static String format(@Nullable InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        String host = address.getHostString();
        boolean v6 = address.getAddress() instanceof Inet6Address || host.indexOf(':') >= 0;
        if (v6 && !host.startsWith("[")) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + address.getPort();
    }
}
