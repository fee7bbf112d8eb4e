package dev.siitdc.dataplane;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import java.util.ArrayList;
import java.util.List;

/**
 * An Edge Relay's Service Address pair (RFC 7756 s2): a local IPv4 Service Address and the IPv6 Service
 * Address its EAM couples it with.
 *
 * @param ipv4 the IPv4 Service Address
 * @param ipv6 the IPv6 Service Address, a /128
 */
public record ServiceAddress(int ipv4, Ipv6Prefix ipv6) {
    public ServiceAddress {
        if (ipv6.length() != 128) {
            throw new IllegalArgumentException("an IPv6 Service Address is a /128: " + ipv6);
        }
    }

    /**
     * The pair for IPv4 Service Address {@code v4}: the EAM of {@code eamt} that covers it must be a
     * /32 to /128 mapping (RFC 7756 s3.1: "a dedicated IPv6 Service Address for each IPv4 Service
     * Address").
     *
     * @throws IllegalArgumentException with an operator-facing reason when no such EAM exists
     */
    public static ServiceAddress resolve(int v4, EamTable eamt) {
        String a = Ipv4Prefix.format(v4);
        Eam e = eamt.find4(v4);
        if (e == null) {
            throw new IllegalArgumentException(a + " has no EAM: add an [[eamt]] entry with ipv4 = \"" + a
                    + "\" and its IPv6 Service Address as ipv6 (RFC 7756 s3: the Edge Relay needs the Border"
                    + " Relay's EAM for each of its Service Addresses)");
        }
        if (e.ipv4().length() != 32 || e.ipv6().length() != 128) {
            throw new IllegalArgumentException(a + " is covered by the EAM " + e + ", but a Service Address needs"
                    + " an EAM of its own, from the single address to a single IPv6 address (/32 <-> /128)");
        }
        return new ServiceAddress(v4, e.ipv6());
    }

    /** {@link #resolve} for each address, in order. */
    public static List<ServiceAddress> resolveAll(List<Integer> v4s, EamTable eamt) {
        List<ServiceAddress> out = new ArrayList<>(v4s.size());
        for (int v4 : v4s) {
            out.add(resolve(v4, eamt));
        }
        return List.copyOf(out);
    }

    /** The IPv4 address as 4 bytes. */
    public byte[] ipv4Bytes() {
        byte[] b = new byte[4];
        Ipv4Prefix.write(ipv4, b, 0);
        return b;
    }

    /** The IPv6 address as 16 bytes. */
    public byte[] ipv6Bytes() {
        byte[] b = new byte[16];
        Ipv6Prefix.write(ipv6.hi(), ipv6.lo(), b, 0);
        return b;
    }

    @Override
    public String toString() {
        return Ipv4Prefix.format(ipv4) + "=" + Ipv6Prefix.format(ipv6.hi(), ipv6.lo());
    }
}
