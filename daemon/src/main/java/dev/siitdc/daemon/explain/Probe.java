package dev.siitdc.daemon.explain;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The packet {@code explain} sends: an IPv4 or IPv6 packet (by the family of the addresses) carrying a
 * UDP datagram, a TCP SYN or an ICMP / ICMPv6 Echo Request, with valid checksums, so that the real
 * translator accepts it as it would accept one read from the TUN.
 */
public final class Probe {
    private Probe() {}

    static final int SOURCE_PORT = 49152;   // the first dynamic port (RFC 6335)
    static final int ECHO_ID = 0x5349;      // "SI"
    static final int TTL = 64;
    private static final byte[] TEXT = "siitdc explain probe ".getBytes(StandardCharsets.US_ASCII);

    public enum Proto {
        UDP(17, 17, 8, 53), TCP(6, 6, 20, 80), ICMP(1, 58, 8, -1);

        public final int v4Number, v6Number, headerLength, defaultPort;

        Proto(int v4Number, int v6Number, int headerLength, int defaultPort) {
            this.v4Number = v4Number;
            this.v6Number = v6Number;
            this.headerLength = headerLength;
            this.defaultPort = defaultPort;
        }

        /** "tcp", "udp", "icmp" (also "icmp6", "icmpv6", "ipv6-icmp"), any case; null if none. */
        public static Proto parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "udp" -> UDP;
                case "tcp" -> TCP;
                case "icmp", "icmp6", "icmpv6", "ipv6-icmp", "ping" -> ICMP;
                default -> null;
            };
        }

        public String text(int version) {
            return this == ICMP ? (version == 4 ? "ICMP" : "ICMPv6") : name();
        }
    }

    /** The smallest packet of this family and protocol (IP header, transport header, no data). */
    public static int minimumSize(int version, Proto p) {
        return (version == 4 ? 20 : 40) + p.headerLength;
    }

    /** The largest: an IPv4 Total Length, or 40 + an IPv6 Payload Length. */
    public static int maximumSize(int version) {
        return version == 4 ? 65535 : 40 + 65535;
    }

    /** The default size: the headers and 20 bytes of data. */
    public static int defaultSize(int version, Proto p) {
        return minimumSize(version, p) + 20;
    }

    /**
     * The packet, {@code size} bytes long in total. IPv4: Identification 0x5349, TTL 64, DF as asked.
     * IPv6: hop limit 64, no extension headers.
     */
    public static byte[] build(byte[] src, byte[] dst, Proto proto, int port, int size, boolean df) {
        int version = src.length == 4 ? 4 : 6;
        int ip = version == 4 ? 20 : 40;
        byte[] b = new byte[size];
        int l4 = ip, l4len = size - ip;
        int number = version == 4 ? proto.v4Number : proto.v6Number;
        if (version == 4) {
            b[0] = 0x45;
            Bytes.put16(b, 2, size);
            Bytes.put16(b, 4, ECHO_ID);
            Bytes.put16(b, 6, df ? 0x4000 : 0);
            b[8] = TTL;
            b[9] = (byte) number;
            System.arraycopy(src, 0, b, 12, 4);
            System.arraycopy(dst, 0, b, 16, 4);
            Bytes.put16(b, 10, Checksum.ipv4Header(b, 0, 20));
        } else {
            b[0] = 0x60;
            Bytes.put16(b, 4, l4len);
            b[6] = (byte) number;
            b[7] = TTL;
            System.arraycopy(src, 0, b, 8, 16);
            System.arraycopy(dst, 0, b, 24, 16);
        }
        for (int i = l4 + proto.headerLength, k = 0; i < size; i++, k++) b[i] = TEXT[k % TEXT.length];
        switch (proto) {
            case UDP -> {
                Bytes.put16(b, l4, SOURCE_PORT);
                Bytes.put16(b, l4 + 2, port);
                Bytes.put16(b, l4 + 4, l4len);
            }
            case TCP -> {
                Bytes.put16(b, l4, SOURCE_PORT);
                Bytes.put16(b, l4 + 2, port);
                Bytes.put32(b, l4 + 4, 0x73696974);   // sequence number
                b[l4 + 12] = 0x50;                    // data offset 5 (20 bytes)
                b[l4 + 13] = 0x02;                    // SYN
                Bytes.put16(b, l4 + 14, 64240);       // window
            }
            case ICMP -> {
                b[l4] = (byte) (version == 4 ? 8 : 128);   // Echo Request
                Bytes.put16(b, l4 + 4, ECHO_ID);
                Bytes.put16(b, l4 + 6, 1);
            }
        }
        int at = l4 + (proto == Proto.TCP ? 16 : proto == Proto.UDP ? 6 : 2);
        int sum = Checksum.add(0, b, l4, l4len);
        if (version == 6 || proto != Proto.ICMP) sum += pseudoHeader(b, version, l4len, number);
        int csum = Checksum.finish(sum);
        Bytes.put16(b, at, proto == Proto.UDP && csum == 0 ? 0xffff : csum);
        return b;
    }

    private static int pseudoHeader(byte[] b, int version, int l4len, int number) {
        int sum = version == 4 ? Checksum.add(0, b, 12, 8) : Checksum.add(0, b, 8, 32);
        return sum + (l4len >>> 16) + (l4len & 0xffff) + number;
    }
}
