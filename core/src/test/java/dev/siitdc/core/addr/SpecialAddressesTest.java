package dev.siitdc.core.addr;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SpecialAddressesTest {

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 6052 s3.1 / IANA IPv4 Special-Purpose Registry (RFC 6890): not globally reachable")
    @ValueSource(strings = {
            "0.0.0.0", "0.255.255.255",                     // RFC 791 this network
            "10.0.0.0", "10.255.255.255",                   // RFC 1918
            "100.64.0.0", "100.127.255.255",                // RFC 6598
            "127.0.0.1", "127.255.255.255",                 // loopback
            "169.254.0.1", "169.254.255.255",               // RFC 3927
            "172.16.0.0", "172.31.255.255",                 // RFC 1918
            "192.0.0.0", "192.0.0.8", "192.0.0.11", "192.0.0.170", "192.0.0.171", "192.0.0.255", // RFC 6890 s2.1
            "192.0.2.0", "192.0.2.255",                     // TEST-NET-1
            "192.88.99.1", "192.88.99.255",                 // RFC 7526 deprecated 6to4 relay anycast
            "192.168.0.0", "192.168.255.255",               // RFC 1918
            "198.18.0.0", "198.19.255.255",                 // RFC 2544
            "198.51.100.7",                                 // TEST-NET-2
            "203.0.113.9",                                  // TEST-NET-3
            "224.0.0.1", "239.255.255.255",                 // multicast
            "240.0.0.0", "254.255.255.255", "255.255.255.255" // reserved, limited broadcast
    })
    void notGlobal(String a) {
        assertThat(SpecialAddresses.isGlobal(Ipv4Prefix.parseAddress(a))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 6052 s3.1 / IANA IPv4 Special-Purpose Registry (RFC 6890): globally reachable")
    @ValueSource(strings = {
            "8.8.8.8", "1.0.0.1", "1.1.1.1", "9.255.255.255", "11.0.0.0",
            "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
            "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
            "192.0.0.9", "192.0.0.10",                      // PCP / TURN anycast: globally reachable
            "192.0.1.255", "192.0.3.0",
            "192.31.196.1", "192.52.193.1", "192.175.48.6", // AS112-v4, AMT, AS112 delegation: global per IANA
            "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0",
            "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0",
            "203.0.112.255", "203.0.114.0", "223.255.255.255"
    })
    void global(String a) {
        assertThat(SpecialAddresses.isGlobal(Ipv4Prefix.parseAddress(a))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 1812 s5.3.7: illegal source addresses")
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255"})
    void illegalSource(String a) {
        assertThat(SpecialAddresses.isIllegalSource(Ipv4Prefix.parseAddress(a))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 1812 s5.3.7: legal source addresses (including private ones)")
    @ValueSource(strings = {"1.0.0.0", "10.0.0.1", "126.255.255.255", "128.0.0.0", "192.0.2.1", "223.255.255.255"})
    void legalSource(String a) {
        assertThat(SpecialAddresses.isIllegalSource(Ipv4Prefix.parseAddress(a))).isFalse();
    }
}
