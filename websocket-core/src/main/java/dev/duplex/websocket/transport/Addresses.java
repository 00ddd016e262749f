package dev.duplex.websocket.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Formats socket addresses for messages, without reverse lookups; resolves IP literals. */
final class Addresses {

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private Addresses() {}

    /**
     * {@code address} resolved at once when its host is an IP literal (IPv4 dotted quad, or IPv6,
     * which alone contains colons): {@link InetAddress#getByName} then only checks the form and
     * never asks a name service, so no resolver thread is needed. Null for a host name, or a
     * malformed literal (left to the resolver, which reports it).
     */
    static @Nullable InetSocketAddress resolveLiteral(InetSocketAddress address) {
        String host = address.getHostString();
        if (host.indexOf(':') < 0 && !IPV4.matcher(host).matches()) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), address.getPort());
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

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
