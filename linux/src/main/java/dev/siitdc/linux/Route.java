package dev.siitdc.linux;

import java.util.Arrays;

/**
 * A unicast route for {@link Rtnetlink#addRoute} and {@link Rtnetlink#deleteRoute}: a destination
 * prefix, and optionally an output interface, a gateway, a per-route MTU (RTA_METRICS/RTAX_MTU), a
 * routing table, a preferred source address (RTA_PREFSRC, "src" in ip route), a protocol (rtm_protocol,
 * "proto"; RTPROT_STATIC when not given) and a metric (RTA_PRIORITY, "metric"; the kernel's default
 * when not given). Immutable.
 *
 * <pre>{@code
 * Route r = Route.to(Rtnetlink.AF_INET, dst, 24).dev(ifindex).mtu(1260);
 * }</pre>
 */
public record Route(int family, byte[] destination, int prefixLength, int ifindex, byte[] gateway, int mtu,
        int table, byte[] source, int protocol, int priority) {

    /**
     * A route of every field at once; the builders ({@link #to} and the withers) are the usual way. The
     * addresses are copied.
     *
     * @param ifindex the output interface, 0 for none
     * @param gateway the gateway, or null
     * @param mtu the per-route MTU, 0 for none
     * @param source the preferred source address, or null
     * @param protocol rtm_protocol, 0 when not given
     * @param priority the metric (RTA_PRIORITY), 0 when not given
     */
    public Route {
        AddressBytes.checkAddress(family, destination, "destination");
        AddressBytes.checkPrefix(family, prefixLength);
        if (ifindex < 0 || mtu < 0 || table == 0 || protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("ifindex " + ifindex + ", mtu " + mtu + ", table " + table
                    + ", protocol " + protocol + ": out of range");
        }
        destination = destination.clone();
        if (gateway != null) {
            AddressBytes.checkAddress(family, gateway, "gateway");
            gateway = gateway.clone();
        }
        if (source != null) {
            AddressBytes.checkAddress(family, source, "source");
            source = source.clone();
        }
    }

    /**
     * A route to {@code destination/prefixLength} in the main table.
     *
     * @param family {@link Rtnetlink#AF_INET} or {@link Rtnetlink#AF_INET6}
     * @param destination 4 or 16 bytes, network byte order
     */
    public static Route to(int family, byte[] destination, int prefixLength) {
        return new Route(family, destination, prefixLength, 0, null, 0, Rtnetlink.RT_TABLE_MAIN, null, 0, 0);
    }

    /** Through interface {@code ifindex} (RTA_OIF). */
    public Route dev(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex must be positive: " + ifindex);
        }
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /** Via {@code gateway} (RTA_GATEWAY), of the route's family. */
    public Route via(byte[] gateway) {
        AddressBytes.checkAddress(family, gateway, "gateway");
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /** With a per-route MTU (RTA_METRICS / RTAX_MTU); 0 for none. */
    public Route mtu(int mtu) {
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu must not be negative: " + mtu);
        }
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /** In routing table {@code table} (1 to 2^32-1; 254 is main). */
    public Route table(int table) {
        if (table == 0) {
            throw new IllegalArgumentException("table 0 is RT_TABLE_UNSPEC");
        }
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /** With preferred source address {@code source} (RTA_PREFSRC), of the route's family. */
    public Route source(byte[] source) {
        AddressBytes.checkAddress(family, source, "source");
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /**
     * Installed as by {@code protocol} (rtm_protocol, 1..255: RTPROT_BOOT 3, RTPROT_STATIC 4, ...). Deleting
     * a route with a protocol set deletes only a route of that protocol. Not given: RTPROT_STATIC on add,
     * any on delete.
     */
    public Route protocol(int protocol) {
        if (protocol <= 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 1..255: " + protocol);
        }
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /**
     * With metric {@code priority} (RTA_PRIORITY, unsigned). 0: not sent, so the kernel's default on add
     * (IPv4 0, IPv6 1024) and any metric on delete (for IPv4 the first of the prefix's routes).
     */
    public Route priority(int priority) {
        return new Route(family, destination, prefixLength, ifindex, gateway, mtu, table, source, protocol, priority);
    }

    /**
     * The route {@code e} describes, to re-add it (e.g. on another interface with {@link #dev}) or delete
     * exactly it: destination, output interface, gateway, MTU, table, preferred source, protocol and
     * metric. Only unicast routes (RTN_UNICAST); not kept: expiry (an RA route comes back permanent),
     * other metrics than MTU, the preference (RTA_PREF), lwtunnel encapsulations.
     *
     * @throws IllegalArgumentException for a route of another type than unicast
     */
    public static Route from(RouteEntry e) {
        if (e.type() != Rtnetlink.RTN_UNICAST) {
            throw new IllegalArgumentException("not a unicast route (rtm_type " + e.type() + "): " + e);
        }
        Route r = to(e.family(), e.destination(), e.prefixLength()).table(e.table()).mtu(e.mtu())
                .priority(e.priority());
        if (e.oif() > 0) {
            r = r.dev(e.oif());
        }
        if (e.gateway() != null) {
            r = r.via(e.gateway());
        }
        if (e.prefsrc() != null) {
            r = r.source(e.prefsrc());
        }
        if (e.protocol() > 0) {
            r = r.protocol(e.protocol());
        }
        return r;
    }

    /** The destination (a copy). */
    @Override
    public byte[] destination() {
        return destination.clone();
    }

    /** The gateway (a copy), or null. */
    @Override
    public byte[] gateway() {
        return gateway == null ? null : gateway.clone();
    }

    /** The preferred source address (a copy), or null. */
    @Override
    public byte[] source() {
        return source == null ? null : source.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && family == r.family && prefixLength == r.prefixLength
                && ifindex == r.ifindex && mtu == r.mtu && table == r.table && protocol == r.protocol
                && priority == r.priority
                && Arrays.equals(destination, r.destination) && Arrays.equals(gateway, r.gateway)
                && Arrays.equals(source, r.source);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(destination) * 31 + prefixLength * 7 + ifindex + table;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(text(destination)).append('/').append(prefixLength);
        if (gateway != null) {
            sb.append(" via ").append(text(gateway));
        }
        if (ifindex != 0) {
            sb.append(" dev #").append(ifindex);
        }
        if (mtu != 0) {
            sb.append(" mtu ").append(mtu);
        }
        if (table != Rtnetlink.RT_TABLE_MAIN) {
            sb.append(" table ").append(Integer.toUnsignedString(table));
        }
        if (source != null) {
            sb.append(" src ").append(text(source));
        }
        if (protocol != 0) {
            sb.append(" proto ").append(protocol);
        }
        if (priority != 0) {
            sb.append(" metric ").append(Integer.toUnsignedString(priority));
        }
        return sb.toString();
    }

    /** An address as text: dotted quad, or RFC 5952 compressed IPv6. */
    static String text(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (address.length != 16) {
            return Arrays.toString(address);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // only runs of two or more zero groups are compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
