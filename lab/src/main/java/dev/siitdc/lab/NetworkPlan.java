package dev.siitdc.lab;

import java.util.List;
import java.util.Map;

/**
 * The addressing of the network-based Edge Relay lab ({@link NetworkLab}, RFC 7756 s3.2 and Appendix A),
 * added to {@link Plan}'s BR and IDC. Documentation ranges only; the Service Addresses are in
 * 198.51.100.64/26, clear of Plan's, each an EAM /32 <-> /128 on the BR and on its ER. docs/lab.md draws it.
 *
 * <pre>
 *  idc lan0 2001:db8:12:34::/64 (bridge)
 *    +-- eth0 [a1er] A.1 ER ::e1 --eth1-- [a1sw] switch (bridge sw0) --+-- eth0 [a1n4] IPv4-only, udhcpc
 *    |         segment 198.51.100.64/29, ER .65, DHCP leases .66 .67       +-- eth0 [a1n5] IPv4-only, dhclient
 *    +-- eth0 [a2er] A.2 ER ::e2 --eth1-- eth0 [a2n] node 10.64.0.70/24 + Service Address 198.51.100.74/32 on lo
 *    |         private segment 10.64.0.1/24, next hop 198.51.100.74 -> 10.64.0.70
 *    +-- eth0 [sker] on a stick ER ::e3, segment on eth0 (the LAN itself) 198.51.100.80/29, ER .81, DHCP .82 .83
 *    +-- eth0 [skn] dual-stack node ::d3 (static), IPv4 by DHCP from sker
 *    +-- eth0 [bger] bridge ER ::e4, br-siitdc = eth0 + eth1 --eth1-- eth0 [bgn] dual-stack node ::d4,
 *              segment 198.51.100.88/29, ER .89, DHCP .90 .91
 * </pre>
 */
public final class NetworkPlan {
    private NetworkPlan() {}

    /** The network-based ER variants. */
    public enum Variant {
        /** Appendix A.1: the segment subnet encloses the Service Addresses, leased by DHCP. */
        A1("a1", "A.1 ER (Service Addresses leased by DHCP)"),
        /** Appendix A.2: a private segment, the Service Address routed to its node's private address. */
        A2("a2", "A.2 ER (private segment, next hops)"),
        /** s3.2.1: the segment is the upstream IDC LAN itself. */
        STICK("sk", "ER on a stick (s3.2.1)"),
        /** s3.2.2: the ER bridges IPv6 between the IDC LAN and the segment. */
        BRIDGE("bg", "bridging ER (s3.2.2)");

        /** Namespace-name prefix of this variant's nodes (the ER is ID + "er"). */
        public final String id;
        public final String label;

        Variant(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    /** Interface names. */
    public static final String UPSTREAM_IF = "eth0", SEGMENT_IF = "eth1", NODE_IF = "eth0", SWITCH_BRIDGE = "sw0",
            ER_BRIDGE = "br-siitdc";

    // --- A.1 ---
    public static final String A1_SEGMENT = "198.51.100.64/29";
    public static final String A1_ER4 = "198.51.100.65";
    public static final int A1_PREFIX_LENGTH = 29;
    public static final Plan.Eam A1_S1 = new Plan.Eam("198.51.100.66", "2001:db8:12:34::66");
    public static final Plan.Eam A1_S2 = new Plan.Eam("198.51.100.67", "2001:db8:12:34::67");
    /** Inside the A.1 segment but not a Service Address: RFC 7756 s6 ingress filtering drops it. */
    public static final String A1_NOT_SERVICE4 = "198.51.100.69";
    public static final String A1_ER6 = "2001:db8:12:34::e1";
    /** The udhcpc node and the dhclient node (RFC 7042 documentation MACs, locally administered). */
    public static final String A1_UDHCPC_MAC = "02:00:5e:00:53:04", A1_DHCLIENT_MAC = "02:00:5e:00:53:05";

    // --- A.2 ---
    public static final String A2_ER4 = "10.64.0.1";
    public static final int A2_PREFIX_LENGTH = 24;
    public static final String A2_NODE4 = "10.64.0.70";
    public static final Plan.Eam A2_S = new Plan.Eam("198.51.100.74", "2001:db8:12:34::74");
    public static final String A2_ER6 = "2001:db8:12:34::e2";

    // --- on a stick ---
    public static final String STICK_ER4 = "198.51.100.81";
    public static final int STICK_PREFIX_LENGTH = 29;
    public static final Plan.Eam STICK_S1 = new Plan.Eam("198.51.100.82", "2001:db8:12:34::82");
    public static final Plan.Eam STICK_S2 = new Plan.Eam("198.51.100.83", "2001:db8:12:34::83");
    public static final String STICK_ER6 = "2001:db8:12:34::e3";
    public static final String STICK_NODE6 = "2001:db8:12:34::d3";
    public static final String STICK_NODE_MAC = "02:00:5e:00:53:d3";

    // --- bridge ---
    public static final String BRIDGE_ER4 = "198.51.100.89";
    public static final int BRIDGE_PREFIX_LENGTH = 29;
    public static final Plan.Eam BRIDGE_S1 = new Plan.Eam("198.51.100.90", "2001:db8:12:34::90");
    public static final Plan.Eam BRIDGE_S2 = new Plan.Eam("198.51.100.91", "2001:db8:12:34::91");
    public static final String BRIDGE_ER6 = "2001:db8:12:34::e4";
    public static final String BRIDGE_NODE6 = "2001:db8:12:34::d4";
    public static final String BRIDGE_NODE_MAC = "02:00:5e:00:53:d4";

    /** The port of the nodes' TCP server (python3, AF_INET, bound to 0.0.0.0). */
    public static final int NODE_APP_PORT = 7;

    /** The Service Addresses of {@code v}'s ER (its local EAMs). */
    public static List<Plan.Eam> services(Variant v) {
        return switch (v) {
            case A1 -> List.of(A1_S1, A1_S2);
            case A2 -> List.of(A2_S);
            case STICK -> List.of(STICK_S1, STICK_S2);
            case BRIDGE -> List.of(BRIDGE_S1, BRIDGE_S2);
        };
    }

    /** The ER's own address on its segment. */
    public static String erSegmentAddress(Variant v) {
        return switch (v) {
            case A1 -> A1_ER4 + "/" + A1_PREFIX_LENGTH;
            case A2 -> A2_ER4 + "/" + A2_PREFIX_LENGTH;
            case STICK -> STICK_ER4 + "/" + STICK_PREFIX_LENGTH;
            case BRIDGE -> BRIDGE_ER4 + "/" + BRIDGE_PREFIX_LENGTH;
        };
    }

    /** The ER's IPv6 address on the IDC LAN (also its own-ipv6-address). */
    public static String erIpv6(Variant v) {
        return switch (v) {
            case A1 -> A1_ER6;
            case A2 -> A2_ER6;
            case STICK -> STICK_ER6;
            case BRIDGE -> BRIDGE_ER6;
        };
    }

    /** A.2's segment-next-hops. */
    public static Map<String, String> nextHops(Variant v) {
        return v == Variant.A2 ? Map.of(A2_S.v4(), A2_NODE4) : Map.of();
    }

    /** Every EAM the network ERs add to the BR's. */
    public static List<Plan.Eam> brEams() {
        return List.of(A1_S1, A1_S2, A2_S, STICK_S1, STICK_S2, BRIDGE_S1, BRIDGE_S2);
    }
}
