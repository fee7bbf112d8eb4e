package dev.siitdc.core.testutil;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fluent field assertions on one {@link PacketView}, so that a test states the expected header in
 * one line instead of one {@code assertThat} per field. Each method asserts exactly one field (or
 * the named pair) and returns {@code this}; the failure message names the field.
 *
 * <pre>
 * expect(r.only()).version(4).route(OWN4, CLIENT4).ttl(64).icmp(3, 13).quotes(in);
 * </pre>
 */
public final class PacketExpect {
    private final PacketView v;

    private PacketExpect(PacketView v) { this.v = v; }

    public static PacketExpect expect(PacketView v) { return new PacketExpect(v); }

    // ------------------------------------------------------------------ IP header

    public PacketExpect version(int expected) { return field("version", v.version, expected); }
    /** The whole packet's length in bytes. */
    public PacketExpect length(int expected) { return field("packet length", v.length, expected); }
    public PacketExpect src(String expected) { return field("source address", v.src, expected); }
    public PacketExpect dst(String expected) { return field("destination address", v.dst, expected); }
    /** Source, then destination address. */
    public PacketExpect route(String src, String dst) { return src(src).dst(dst); }

    /** Asserts one field: both sides boxed alike (an int field against an int, a long against a long). */
    private PacketExpect field(String what, Object actual, Object expected) {
        assertThat(actual).as(what).isEqualTo(expected);
        return this;
    }

    /** The IPv4 TTL field ({@link #hopLimit} reads the IPv6 name of the same byte). */
    public PacketExpect ttl(int expected) { return field("TTL", v.ttl, expected); }
    public PacketExpect hopLimit(int expected) { return field("Hop Limit", v.hopLimit, expected); }
    public PacketExpect trafficClass(int expected) { return field("Traffic Class", v.trafficClass, expected); }
    /** IPv4 Protocol, or the last IPv6 Next Header. */
    public PacketExpect protocol(int expected) { return field("upper-layer protocol", v.protocol, expected); }

    // ------------------------------------------------------------------ transport

    /** The upper-layer checksum verifies (RFC 1071). */
    public PacketExpect l4Valid() {
        assertThat(RefChecksum.l4Valid(v.bytes)).as("upper-layer checksum valid").isTrue();
        return this;
    }

    public PacketExpect sport(int expected) { return field("source port", v.sport, expected); }
    public PacketExpect dport(int expected) { return field("destination port", v.dport, expected); }
    /** Source port, then destination port. */
    public PacketExpect ports(int sport, int dport) { return sport(sport).dport(dport); }

    // ------------------------------------------------------------------ ICMP

    /** The bytes after the ICMP header are exactly {@code quoted}. */
    public PacketExpect quotes(byte[] quoted) {
        assertThat(v.icmpBody()).as("ICMP body (the quoted packet)").isEqualTo(quoted);
        return this;
    }

    public PacketExpect icmpType(int expected) { return field("ICMP type", v.icmpType, expected); }
    public PacketExpect icmpCode(int expected) { return field("ICMP code", v.icmpCode, expected); }
    /** ICMP type, then code. */
    public PacketExpect icmp(int type, int code) { return icmpType(type).icmpCode(code); }
    public PacketExpect mtu(long expected) { return field("ICMP MTU", v.mtu(), expected); }
    public PacketExpect pointer(long expected) { return field("ICMP pointer", v.pointer(), expected); }
}
