package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.linux.IfAddress;
import dev.siitdc.linux.LinkInfo;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Rtnetlink;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IPv4 addresses on the interfaces of the node siitdc runs on, for the one rule of the configuration
 * that depends on the node: own-ipv4-address must not be one of them (the kernel drops packets that come
 * from one of its own addresses as martians, so the translator's ICMPv4 errors would be lost). Read with
 * an rtnetlink dump, which needs no privilege; if the dump fails, {@link #skipped()} says so and the rule
 * is not applied (check-config prints that it skipped it).
 */
public final class NodeAddresses {
    /** Address -> the name of an interface that holds it. */
    private final Map<Integer, String> ipv4;
    private final String unreadable;

    private NodeAddresses(Map<Integer, String> ipv4, String unreadable) {
        this.ipv4 = Map.copyOf(ipv4);
        this.unreadable = unreadable;
    }

    /** Given addresses (tests): address -> interface name. */
    public static NodeAddresses of(Map<Integer, String> ipv4) {
        return new NodeAddresses(ipv4, null);
    }

    /** Addresses that could not be read, and why (what {@link #read()} returns when the dump fails). */
    static NodeAddresses unreadable(String why) {
        return new NodeAddresses(Map.of(), why);
    }

    /** The addresses of this node (of the network namespace the process runs in). */
    public static NodeAddresses read() {
        Map<Integer, String> out = new LinkedHashMap<>();
        try (Closer c = new Closer(Rtnetlink.open())) {
            Map<Integer, String> names = new LinkedHashMap<>();
            for (IfAddress a : c.rtnl.listAddresses(0)) {
                if (a.ipv6()) continue;
                String name = names.get(a.ifindex());
                if (name == null) {
                    name = linkName(c.rtnl, a.ifindex());
                    names.put(a.ifindex(), name);
                }
                out.putIfAbsent(Ipv4Prefix.read(a.address().getAddress(), 0), name);
            }
        } catch (LinuxException | RuntimeException e) {
            return unreadable("cannot read this node's addresses (" + e.getMessage() + ")");
        }
        return new NodeAddresses(out, null);
    }

    private static String linkName(Rtnetlink rtnl, int ifindex) {
        try {
            LinkInfo l = rtnl.link(ifindex);
            return l.name();
        } catch (LinuxException e) {
            return "ifindex " + ifindex;   // gone since the dump
        }
    }

    /** Why own-ipv4-address {@code own} cannot be used on this node, or null. */
    String ownIpv4Problem(int own) {
        String on = ipv4.get(own);
        return on == null ? null : Ipv4Prefix.format(own) + " is an address of this node (on " + on + "): the"
                + " kernel would drop the translator's ICMPv4 errors from it as martians; choose an address the"
                + " node does not hold (check-config checks against the node it runs on)";
    }

    /**
     * Null when the addresses were read; else what was not checked and why, one line for the operator
     * ("own-ipv4-address was not checked against this node's addresses: ...").
     */
    public String skipped() {
        return unreadable == null ? null : "own-ipv4-address was not checked against this node's addresses: "
                + unreadable;
    }

    /** Closes the socket without a checked exception of its own. */
    private record Closer(Rtnetlink rtnl) implements AutoCloseable {
        @Override
        public void close() {
            try {
                rtnl.close();
            } catch (LinuxException e) {
                // nothing to do: it was only read from
            }
        }
    }
}
