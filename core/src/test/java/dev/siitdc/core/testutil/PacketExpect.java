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

    public PacketView view() { return v; }

    public PacketExpect version(int expected) {
        assertThat(v.version).as("version").isEqualTo(expected);
        return this;
    }

    public PacketExpect src(String expected) {
        assertThat(v.src).as("source address").isEqualTo(expected);
        return this;
    }

    public PacketExpect dst(String expected) {
        assertThat(v.dst).as("destination address").isEqualTo(expected);
        return this;
    }

    /** Source, then destination address. */
    public PacketExpect route(String src, String dst) { return src(src).dst(dst); }

    /** The IPv4 TTL field. */
    public PacketExpect ttl(int expected) {
        assertThat(v.ttl).as("TTL").isEqualTo(expected);
        return this;
    }

    /** The IPv6 Hop Limit field. */
    public PacketExpect hopLimit(int expected) {
        assertThat(v.hopLimit).as("Hop Limit").isEqualTo(expected);
        return this;
    }

    public PacketExpect trafficClass(int expected) {
        assertThat(v.trafficClass).as("Traffic Class").isEqualTo(expected);
        return this;
    }

    public PacketExpect protocol(int expected) {
        assertThat(v.protocol).as("upper-layer protocol").isEqualTo(expected);
        return this;
    }

    /** The whole packet's length in bytes. */
    public PacketExpect length(int expected) {
        assertThat(v.length).as("packet length").isEqualTo(expected);
        return this;
    }

    public PacketExpect sport(int expected) {
        assertThat(v.sport).as("source port").isEqualTo(expected);
        return this;
    }

    public PacketExpect dport(int expected) {
        assertThat(v.dport).as("destination port").isEqualTo(expected);
        return this;
    }

    /** Source port, then destination port. */
    public PacketExpect ports(int sport, int dport) { return sport(sport).dport(dport); }

    public PacketExpect icmpType(int expected) {
        assertThat(v.icmpType).as("ICMP type").isEqualTo(expected);
        return this;
    }

    public PacketExpect icmpCode(int expected) {
        assertThat(v.icmpCode).as("ICMP code").isEqualTo(expected);
        return this;
    }

    /** ICMP type, then code. */
    public PacketExpect icmp(int type, int code) { return icmpType(type).icmpCode(code); }

    /** The bytes after the ICMP header are exactly {@code quoted}. */
    public PacketExpect quotes(byte[] quoted) {
        assertThat(v.icmpBody()).as("ICMP body (the quoted packet)").isEqualTo(quoted);
        return this;
    }

    public PacketExpect mtu(long expected) {
        assertThat(v.mtu()).as("ICMP MTU").isEqualTo(expected);
        return this;
    }

    public PacketExpect pointer(long expected) {
        assertThat(v.pointer()).as("ICMP pointer").isEqualTo(expected);
        return this;
    }

    /** The upper-layer checksum verifies (RFC 1071). */
    public PacketExpect l4Valid() {
        assertThat(RefChecksum.l4Valid(v.bytes)).as("upper-layer checksum valid").isTrue();
        return this;
    }
}
