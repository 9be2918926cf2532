package com.o7tracker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-wide rule for who sent a request, on the default trusted ranges. */
class ClientAddressTest {

    private static final ClientAddressFactory DEFAULTS = new ClientAddressFactory();

    private static ClientAddress behind(int proxies) {
        return new ClientAddress(proxies, List.of(
                ClientAddress.Range.parse("127.0.0.0/8"), ClientAddress.Range.parse("10.0.0.0/8"),
                ClientAddress.Range.parse("172.16.0.0/12"), ClientAddress.Range.parse("::1"),
                ClientAddress.Range.parse("fc00::/7")));
    }

    private static String of(ClientAddress rule, String remote, String... forwardedFor) {
        return rule.of(remote, List.of(forwardedFor)).getHostAddress();
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsNeverRead() {
        assertThat(of(behind(0), "10.0.0.1", "198.51.100.1")).isEqualTo("10.0.0.1");
        assertThat(of(behind(0), "203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void fromATrustedRangeTheEntryOfTheOutermostAppendingProxyIsTheClient() {
        assertThat(of(behind(1), "10.0.0.1", "198.51.100.1")).isEqualTo("198.51.100.1");
        // A client may send its own X-Forwarded-For; each trusted proxy appends the address it saw.
        assertThat(of(behind(1), "10.0.0.1", "6.6.6.6, 198.51.100.1")).isEqualTo("198.51.100.1");
        // App Engine Flexible: "<client IP(s)>, <global forwarding rule IP>", from the instance's proxy.
        assertThat(of(behind(2), "172.17.0.1", "6.6.6.6,198.51.100.1, 35.201.0.7")).isEqualTo("198.51.100.1");
        assertThat(of(behind(2), "172.17.0.1", "6.6.6.6", "198.51.100.1, 35.201.0.7")).as("headers joined in order")
                .isEqualTo("198.51.100.1");
        assertThat(of(behind(1), "::1", "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(of(behind(1), "[::1]", "[2001:db8::7]:443")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(of(behind(1), "10.0.0.1", "198.51.100.1:5123")).isEqualTo("198.51.100.1");
        assertThat(of(behind(1), "10.0.0.1", "::ffff:198.51.100.1")).as("IPv4-mapped reads as IPv4").isEqualTo("198.51.100.1");
    }

    @Test
    void aDirectConnectionFromOutsideTheRangesIsCountedByItsOwnAddressWhateverItSends() {
        assertThat(of(behind(1), "203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
        assertThat(of(behind(2), "2001:db8:1::9", "198.51.100.1, 10.0.0.1")).isEqualTo("2001:db8:1:0:0:0:0:9");
        assertThat(of(behind(1), "172.32.0.1", "198.51.100.1")).as("just past 172.16/12").isEqualTo("172.32.0.1");
    }

    @Test
    void tooFewOrUnreadableEntriesLeaveTheConnectionsAddress() {
        assertThat(of(behind(2), "10.0.0.1", "198.51.100.1")).isEqualTo("10.0.0.1");
        assertThat(of(behind(1), "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(of(behind(1), "10.0.0.1", " , ")).isEqualTo("10.0.0.1");
        assertThat(of(behind(1), "10.0.0.1", "unknown")).isEqualTo("10.0.0.1");
        assertThat(of(behind(1), "10.0.0.1", "example.com")).as("never looked up").isEqualTo("10.0.0.1");
        assertThat(of(behind(1), "10.0.0.1", "1.2.3.256")).isEqualTo("10.0.0.1");
        assertThat(of(behind(1), "10.0.0.1", "1.2.3")).isEqualTo("10.0.0.1");
    }

    @Test
    void theDefaultRangesAreLoopbackThePrivateRangesAndGooglesLoadBalancers() {
        ClientAddress rule = DEFAULTS.build();
        for (String trusted : List.of("127.0.0.1", "::1", "10.1.2.3", "172.17.0.1", "192.168.1.1", "fd12::1",
                "35.191.4.5", "130.211.1.2")) {
            assertThat(rule.isTrustedProxy(ClientAddress.parse(trusted).orElseThrow())).as(trusted).isTrue();
        }
        for (String outside : List.of("8.8.8.8", "172.32.0.1", "2001:db8::1", "130.211.4.1", "fe80::1")) {
            assertThat(rule.isTrustedProxy(ClientAddress.parse(outside).orElseThrow())).as(outside).isFalse();
        }
        assertThat(of(rule, "127.0.0.1", "198.51.100.1")).as("0 proxies by default: the header is not read")
                .isEqualTo("127.0.0.1");
    }

    @Test
    void rangesThatAreNotCidrAreRefusedNamingTheValue() {
        for (String bad : List.of("10.0.0/8", "10.0.0.0/33", "::1/129", "10.0.0.0/-1", "10.0.0.0/x", "example.com/8", "")) {
            assertThatThrownBy(() -> ClientAddress.Range.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        ClientAddress.Range range = ClientAddress.Range.parse("10.1.2.3/8");
        assertThat(range.contains(ClientAddress.parse("10.200.0.1").orElseThrow())).isTrue();
        assertThat(range.contains(ClientAddress.parse("::ffff:10.200.0.1").orElseThrow())).isTrue();
        assertThat(range.contains(ClientAddress.parse("11.0.0.1").orElseThrow())).isFalse();
    }

    @Test
    void addressesAreReadAsLiteralsOnly() throws Exception {
        assertThat(ClientAddress.parse("localhost")).isEmpty();
        assertThat(ClientAddress.parse("cafe")).isEmpty();
        assertThat(ClientAddress.parse("2001:db8::1%eth0")).isEmpty();
        assertThat(ClientAddress.parse("[2001:db8::1")).isEmpty();
        assertThat(ClientAddress.parse(" 198.51.100.1 ")).hasValue(InetAddress.getByName("198.51.100.1"));
    }
}
