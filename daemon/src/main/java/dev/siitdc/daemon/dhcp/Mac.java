package dev.siitdc.daemon.dhcp;

/**
 * An Ethernet MAC address held in the low 48 bits of a {@code long} (first octet most significant), so
 * that looking one up allocates nothing.
 */
public final class Mac {
    private Mac() {
    }

    /** The 6 bytes at {@code b[off]}; the caller has checked the bounds. */
    public static long read(byte[] b, int off) {
        long m = 0;
        for (int i = 0; i < 6; i++) {
            m = (m << 8) | (b[off + i] & 0xff);
        }
        return m;
    }

    public static void write(long mac, byte[] b, int off) {
        for (int i = 5; i >= 0; i--) {
            b[off + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    /** True for an individual (unicast, I/G bit clear), non-zero address: what a DHCP client's chaddr must be. */
    public static boolean isUnicast(long mac) {
        return mac != 0 && (mac & 0x0100_0000_0000L) == 0 && (mac >>> 48) == 0;
    }

    /** "02:00:5e:00:53:01" (also accepts '-' as the separator and upper-case digits). */
    public static long parse(String s) {
        if (s.length() != 17) {
            throw new IllegalArgumentException("'" + s + "' is not a MAC address: expected xx:xx:xx:xx:xx:xx");
        }
        long m = 0;
        for (int i = 0; i < 6; i++) {
            int p = i * 3;
            int hi = Character.digit(s.charAt(p), 16);
            int lo = Character.digit(s.charAt(p + 1), 16);
            char sep = i < 5 ? s.charAt(p + 2) : ':';
            if (hi < 0 || lo < 0 || (sep != ':' && sep != '-')) {
                throw new IllegalArgumentException("'" + s + "' is not a MAC address: expected xx:xx:xx:xx:xx:xx");
            }
            m = (m << 8) | (hi << 4) | lo;
        }
        return m;
    }

    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int o = (int) (mac >>> (i * 8)) & 0xff;
            sb.append(Character.forDigit(o >> 4, 16)).append(Character.forDigit(o & 0xf, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
