package dev.siitdc.core.xlat;

/** IPv4 Identification for the packets the translator builds (RFC 7915 s5.1; RFC 6864): xorshift. */
final class Ipv4Identification {
    private int state;

    Ipv4Identification(int seed) { this.state = seed | 1; }

    int next() {
        int x = state;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        state = x;
        return x & 0xffff;
    }
}
