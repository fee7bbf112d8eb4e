package dev.siitdc.linux;

import java.util.Arrays;

/**
 * A route as an RTM_GETROUTE dump reports it (struct rtmsg and its attributes, linux/rtnetlink.h).
 * Addresses are in network byte order; the arrays are copies. Re-add one elsewhere with
 * {@link Route#from(RouteEntry)}.
 *
 * @param family {@link Rtnetlink#AF_INET} or {@link Rtnetlink#AF_INET6}
 * @param destination RTA_DST, all zeros for a default route (prefix length 0)
 * @param prefixLength rtm_dst_len
 * @param table RTA_TABLE (or rtm_table when absent); 254 is main
 * @param protocol rtm_protocol: who installed it (RTPROT_KERNEL 2, RTPROT_BOOT 3, RTPROT_STATIC 4, RTPROT_RA 9, ...)
 * @param scope rtm_scope (RT_SCOPE_UNIVERSE 0, RT_SCOPE_LINK 253, RT_SCOPE_HOST 254)
 * @param type rtm_type (RTN_UNICAST 1, RTN_LOCAL 2, RTN_BLACKHOLE 6, RTN_UNREACHABLE 7, ...)
 * @param oif RTA_OIF, the output interface; 0 for none
 * @param gateway RTA_GATEWAY, or null
 * @param priority RTA_PRIORITY, the metric (0 when absent)
 * @param mtu RTAX_MTU in RTA_METRICS, 0 for none
 * @param prefsrc RTA_PREFSRC, or null
 */
public record RouteEntry(int family, byte[] destination, int prefixLength, int table, int protocol, int scope,
        int type, int oif, byte[] gateway, int priority, int mtu, byte[] prefsrc) {

    public RouteEntry {
        destination = destination.clone();
        gateway = gateway == null ? null : gateway.clone();
        prefsrc = prefsrc == null ? null : prefsrc.clone();
    }

    @Override
    public byte[] destination() {
        return destination.clone();
    }

    @Override
    public byte[] gateway() {
        return gateway == null ? null : gateway.clone();
    }

    @Override
    public byte[] prefsrc() {
        return prefsrc == null ? null : prefsrc.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteEntry r && family == r.family && prefixLength == r.prefixLength && table == r.table
                && protocol == r.protocol && scope == r.scope && type == r.type && oif == r.oif
                && priority == r.priority && mtu == r.mtu && Arrays.equals(destination, r.destination)
                && Arrays.equals(gateway, r.gateway) && Arrays.equals(prefsrc, r.prefsrc);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(destination) * 31 + prefixLength * 7 + oif + priority;
    }

    /** As ip route shows it, roughly: "2001:db8::/64 dev #3 proto 4 metric 1024 mtu 1400". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Route.text(destination)).append('/').append(prefixLength);
        if (type != Rtnetlink.RTN_UNICAST) {
            sb.append(" type ").append(type);
        }
        if (gateway != null) {
            sb.append(" via ").append(Route.text(gateway));
        }
        if (oif != 0) {
            sb.append(" dev #").append(oif);
        }
        if (table != Rtnetlink.RT_TABLE_MAIN) {
            sb.append(" table ").append(Integer.toUnsignedString(table));
        }
        sb.append(" proto ").append(protocol).append(" scope ").append(scope);
        if (prefsrc != null) {
            sb.append(" src ").append(Route.text(prefsrc));
        }
        sb.append(" metric ").append(Integer.toUnsignedString(priority));
        if (mtu != 0) {
            sb.append(" mtu ").append(mtu);
        }
        return sb.toString();
    }
}
