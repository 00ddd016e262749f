package dev.duplex.websocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** IP literals resolve on the spot; host names wait for the resolver threads. */
class AddressesTest {

    @Test
    void resolvesIpv4AndIpv6LiteralsWithoutALookup() {
        InetSocketAddress v4 = Addresses.resolveLiteral(InetSocketAddress.createUnresolved("127.0.0.1", 80));
        assertThat(v4).isNotNull();
        assertThat(v4.isUnresolved()).isFalse();
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(v4.getPort()).isEqualTo(80);
        InetSocketAddress v6 = Addresses.resolveLiteral(InetSocketAddress.createUnresolved("::1", 443));
        assertThat(v6).isNotNull();
        assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void leavesHostNamesAndMalformedLiteralsToTheResolver() {
        assertThat(Addresses.resolveLiteral(InetSocketAddress.createUnresolved("localhost", 80)))
                .isNull();
        assertThat(Addresses.resolveLiteral(InetSocketAddress.createUnresolved("ws.example.test", 80)))
                .isNull();
        assertThat(Addresses.resolveLiteral(InetSocketAddress.createUnresolved("256.1.1.1", 80)))
                .isNull();
        assertThat(Addresses.resolveLiteral(InetSocketAddress.createUnresolved("1.2.3", 80)))
                .isNull();
        assertThat(Addresses.resolveLiteral(InetSocketAddress.createUnresolved("::g", 80)))
                .isNull();
    }
}
