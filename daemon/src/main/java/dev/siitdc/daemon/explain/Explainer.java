package dev.siitdc.daemon.explain;

import dev.siitdc.core.addr.Pool6;
import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.config.HairpinMode;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.core.xlat.Mtu;
import dev.siitdc.core.xlat.Translator;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.ServiceAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a packet through the translators of a path and explains each step. The translation itself is the
 * core's: each hop hands the packet to a real {@link Translator} built from that hop's configuration
 * (after the relay's {@link dev.siitdc.dataplane.RelayFilter}, as {@code siitdc run} does), and the drop
 * reasons are the core's and the relay's counters. This class only looks the addresses up again
 * ({@link dev.siitdc.core.eam.EamTable#find4}, {@link Pool6}) to name the rule that produced each one,
 * and decides which translator of the path the emitted packet reaches next, by the routes
 * {@code siitdc run} installs:
 * <ul>
 *   <li>an IPv6 packet reaches an Edge Relay whose IPv6 Service Address is its destination, or a Border
 *       Relay whose pool6 holds its destination (RFC 7755 s3);</li>
 *   <li>an IPv4 packet a Border Relay emits reaches a Border Relay (itself included) whose EAM covers its
 *       destination, else it leaves toward the IPv4 Internet; an IPv4 packet an Edge Relay emits is for
 *       its own IPv4 stack (the application);</li>
 *   <li>a file without [relay] is a plain translator: it takes what it can translate, except its own
 *       output.</li>
 * </ul>
 * The packet starts at the first translator given; the others are looked at in the order given,
 * starting after the one that emitted the packet.
 */
public final class Explainer {
    /** The outcome, for the exit status and the tests. */
    public enum Outcome { DELIVERED, LEFT, DROPPED, LOOP }

    public record Result(Outcome outcome, String text, List<View> packets, String dropReason) {}

    private final List<Node> nodes;
    private final List<Pool6> pools = new ArrayList<>();
    private final List<String> out = new ArrayList<>();
    private final List<Figure.Box> boxes = new ArrayList<>();
    private final List<Figure.Arrow> arrows = new ArrayList<>();
    private final List<View> packets = new ArrayList<>();
    private final Set<Node> visited = new LinkedHashSet<>();
    private final List<String> hops = new ArrayList<>();
    private final int maxXlats;

    public Explainer(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        for (Node n : nodes) if (n.pool6 != null && !pools.contains(n.pool6)) pools.add(n.pool6);
        this.maxXlats = Math.min(16, 2 * nodes.size() + 2);
    }

    public Result run(byte[] first) {
        View cur = new View(first);
        Node at = nodes.getFirst();
        addPacket(cur);
        line("Pkt#1  " + cur.summary(pools));
        line("  starts at " + at.label + " (the first --config)");
        Outcome outcome;
        String dropReason = null;
        int xlat = 0;
        while (true) {
            if (xlat == maxXlats) {
                outcome = Outcome.LOOP;
                line("");
                line("stopped: " + maxXlats + " translations and the packet is still going round (a routing loop)");
                break;
            }
            xlat++;
            visited.add(at);
            hops.add("XLAT#" + xlat + " @ " + at.label);
            line("");
            Hop h = translate(xlat, at, cur);
            if (h.dropped != null) {
                outcome = Outcome.DROPPED;
                dropReason = h.dropped;
                boxes.add(new Figure.Box("dropped", "by " + at.label, h.dropped, cur.version == 4 ? 1 : 0));
                arrows.add(new Figure.Arrow("XLAT#" + xlat, "@ " + at.label));
                break;
            }
            View next = h.out;
            addPacket(next);
            arrows.add(new Figure.Arrow("XLAT#" + xlat, "@ " + at.label));
            line("");
            line("Pkt#" + packets.size() + "  " + next.summary(pools));
            Route r = route(at, next);
            line("  " + r.why);
            if (r.next == null) {
                outcome = r.delivered ? Outcome.DELIVERED : Outcome.LEFT;
                break;
            }
            at = r.next;
            cur = next;
        }

        List<String> notes = notes(outcome == Outcome.DROPPED);
        StringBuilder b = new StringBuilder();
        b.append("siitdc explain: ").append(packets.getFirst().summary(pools)).append('\n');
        b.append("translators, in path order:");
        for (Node n : nodes) b.append("\n  ").append(n.label).append(" = ").append(n.file).append(" (").append(n.kind()).append(')');
        b.append("\n\n").append(Figure.draw(boxes, arrows)).append('\n');
        for (String l : out) b.append(l).append('\n');
        b.append('\n');
        b.append("result: ").append(switch (outcome) {
            case DELIVERED, LEFT -> (outcome == Outcome.DELIVERED ? "delivered" : "forwarded") + " after "
                    + hops.size() + (hops.size() == 1 ? " translation (" : " translations (") + String.join(", ", hops) + ")";
            case DROPPED -> "dropped at " + hops.getLast() + ": " + dropReason;
            case LOOP -> "stopped after " + hops.size() + " translations (loop)";
        }).append('\n');
        for (String n : notes) b.append("note: ").append(n).append('\n');
        return new Result(outcome, b.toString(), List.copyOf(packets), dropReason);
    }

    private void addPacket(View v) {
        packets.add(v);
        int k = packets.size();
        boxes.add(new Figure.Box("Pkt#" + k + ": IPv" + v.version, "SRC " + v.src(pools), "DST " + v.dst(pools),
                v.version == 4 ? 0 : 1));
    }

    private void line(String s) {
        for (String l : s.split("\n", -1)) out.add(l);
    }

    // ------------------------------------------------------------------ one translation

    private record Hop(View out, String dropped) {}

    private Hop translate(int xlat, Node n, View in) {
        TranslatorConfig tc = n.config;
        boolean four = in.version == 4;
        String head = "XLAT#" + xlat + " @ " + n.label + "  (" + n.file + ", " + n.kind() + ")  ";
        int headAt = out.size();
        line(head + (four ? "IPv4 -> IPv6 (RFC 7915 s4)" : "IPv6 -> IPv4 (RFC 7915 s5)"));
        Translator t = new Translator(tc);
        byte[] buf = new byte[Translator.HEADROOM + in.b.length + 1024];
        System.arraycopy(in.b, 0, buf, Translator.HEADROOM, in.b.length);

        // ---- the relay's filter, before the translator (as the relay's worker does)
        if (n.filter != null) {
            RelayCounter v = n.filter.check(buf, Translator.HEADROOM, in.b.length, t.settings().get());
            if (v != null) {
                line("  DROP    " + v.operatorName() + ": " + v.description());
                for (String l : filterDrop(n, in, v)) line("          " + l);
                return new Hop(null, v.operatorName());
            }
            if (n.edge()) line("  filter  " + filterPass(n, in));
        }

        // ---- the translator
        List<byte[]> emitted = new ArrayList<>();
        t.translate(buf, Translator.HEADROOM, in.b.length, (b, o, l) -> emitted.add(Arrays.copyOfRange(b, o, o + l)));
        Counters c = t.counters();
        Counter drop = null;
        for (Counter k : Counter.values()) {
            if (k.operatorName().startsWith("drop-") && c.get(k) > 0) {
                drop = k;
                break;
            }
        }
        boolean translated = c.get(Counter.TRANSLATED46) + c.get(Counter.TRANSLATED64) > 0;
        boolean hairpin = c.get(Counter.HAIRPINNED) > 0;

        if (hairpin) out.set(headAt, head + "IPv6 -> IPv4 -> IPv6, hairpinned (RFC 7915 s5 and s4, RFC 7757 s4.2)");
        if (hairpin) explainHairpin(n, in);
        else if (translated && !emitted.isEmpty()) explainAddresses(n, in, new View(emitted.getFirst()), false);

        if (drop != null) {
            line("  DROP    " + drop.operatorName() + ": " + drop.description());
            for (String l : translatorDrop(n, in, drop, hairpin)) line("          " + l);
            if (!translated || hairpin) {
                for (byte[] e : emitted) {
                    View v = new View(e);
                    boolean mtu = v.version == 4 ? v.icmpType() == 3 && v.icmpCode() == 4 : v.icmpType() == 2;
                    line("  answer  " + v.summary(pools) + (mtu ? ", MTU " + v.icmpMtu() : "")
                            + " (the translator's own error, RFC 7915 " + (v.version == 4 ? "s4.4)" : "s5.4)"));
                }
                if (c.get(Counter.ICMP_ERRORS_SUPPRESSED) > 0)
                    line("  answer  none: " + Counter.ICMP_ERRORS_SUPPRESSED.description()
                            + (!four && tc.ownIpv6Address() == null ? "; here: no own-ipv6-address is set" : ""));
            }
            return new Hop(null, drop.operatorName());
        }
        if (!translated || emitted.isEmpty()) {
            line("  DROP    the translator emitted nothing and counted no drop (this is a bug: please report it)");
            return new Hop(null, "nothing emitted");
        }
        View o = new View(emitted.getFirst());
        mtu(n, in, o, emitted.size(), hairpin);
        return new Hop(o, null);
    }

    // ------------------------------------------------------------------ addresses

    private void explainAddresses(Node n, View in, View o, boolean hairpinPass) {
        if (in.version == 4) {
            line("  SRC     " + Addr.v4(in.src4()) + " -> " + o.src(pools));
            line("          " + rule46(n, in.src4(), o.srcHi(), o.srcLo(), true, hairpinPass));
            line("  DST     " + Addr.v4(in.dst4()) + " -> " + o.dst(pools));
            line("          " + rule46(n, in.dst4(), o.dstHi(), o.dstLo(), false, hairpinPass));
        } else {
            line("  SRC     " + in.src(pools) + " -> " + Addr.v4(o.src4()));
            line("          " + rule64(n, in.srcHi(), in.srcLo(), o.src4()));
            line("  DST     " + in.dst(pools) + " -> " + Addr.v4(o.dst4()));
            line("          " + rule64(n, in.dstHi(), in.dstLo(), o.dst4()));
            if (n.config.eamHairpinMode() == HairpinMode.OFF && n.pool6 != null
                    && n.pool6.matches(in.dstHi(), in.dstLo()) && n.eamt.find6(in.dstHi(), in.dstLo()) == null
                    && n.eamt.covers4(o.dst4())) {
                line("  hairpin not done: " + Addr.v4(o.dst4()) + " is inside " + n.eamRef(n.eamt.find4(o.dst4())) + ",");
                line("          but " + n.hairpinRef() + " (RFC 7757 s4.2): the packet leaves as IPv4");
            }
        }
    }

    /** IPv6 -> IPv4 -> IPv6 in one translator (RFC 7757 s4.2). */
    private void explainHairpin(Node n, View in) {
        long s = map64(n, in.srcHi(), in.srcLo()), d = map64(n, in.dstHi(), in.dstLo());
        line("  SRC     " + in.src(pools) + " -> " + (s < 0 ? "?" : Addr.v4((int) s)));
        if (s >= 0) line("          " + rule64(n, in.srcHi(), in.srcLo(), (int) s));
        line("  DST     " + in.dst(pools) + " -> " + (d < 0 ? "?" : Addr.v4((int) d)));
        if (d >= 0) line("          " + rule64(n, in.dstHi(), in.dstLo(), (int) d));
        if (d >= 0) {
            Eam e = n.eamt.find4((int) d);
            line("  hairpin " + Addr.v4((int) d) + " is inside " + (e == null ? "an EAM" : n.eamRef(e)) + ":");
            line("          the IPv4 packet goes straight back to IPv6 (RFC 7757 s4.2, " + n.hairpinRef() + ")");
        }
    }

    /** The hairpinned packet's second pass, called once its result is known. */
    private void explainHairpinBack(Node n, View in, View o) {
        long s = map64(n, in.srcHi(), in.srcLo()), d = map64(n, in.dstHi(), in.dstLo());
        if (s < 0 || d < 0) return;
        line("  SRC     " + Addr.v4((int) s) + " -> " + o.src(pools));
        line("          " + rule46(n, (int) s, o.srcHi(), o.srcLo(), true, true));
        line("  DST     " + Addr.v4((int) d) + " -> " + o.dst(pools));
        line("          " + rule46(n, (int) d, o.dstHi(), o.dstLo(), false, true));
    }

    /** IPv4 -> IPv6 of one address: the EAM or pool6 rule that gives the translator's result. */
    private String rule46(Node n, int v4, long hi, long lo, boolean source, boolean hairpinPass) {
        Eam e = n.eamt.find4(v4);
        if (e != null) {
            byte[] a = new byte[16];
            e.translate4to6(v4, a, 0);
            if (same(a, hi, lo)) return "by EAM " + n.eamRef(e);
        }
        if (n.pool6 != null) {
            byte[] a = new byte[16];
            n.pool6.embed(v4, a, 0);
            if (same(a, hi, lo)) {
                String why;
                if (e == null) {
                    why = "no EAM covers " + Addr.v4(v4) + " (RFC 6052 s2.2)";
                } else if (source && hairpinPass) {
                    why = "a hairpinned packet's source skips the EAMT (RFC 7757 s4.2.2),\n"
                            + "          although " + n.eamRef(e) + " covers it";
                } else if (source) {
                    why = "with eam-hairpin-mode \"simple\" an IPv4 source skips the EAMT (RFC 7757 s4.2.1),\n"
                            + "          although " + n.eamRef(e) + " covers it";
                } else {
                    why = "although " + n.eamRef(e) + " covers it";
                }
                return "by " + n.pool6Ref() + ": " + why;
            }
        }
        return "by no rule explain can name: neither the EAMT nor pool6 gives this address";
    }

    /** IPv6 -> IPv4 of one address. */
    private String rule64(Node n, long hi, long lo, int v4) {
        Eam e = n.eamt.find6(hi, lo);
        if (e != null && e.translate6to4(hi, lo) == v4) return "by EAM " + n.eamRef(e);
        if (n.pool6 != null && n.pool6.matches(hi, lo) && n.pool6.extract(hi, lo) == v4)
            return "by " + n.pool6Ref() + ": no EAM covers it (RFC 6052 s2.3)";
        return "by no rule explain can name: neither the EAMT nor pool6 gives this address";
    }

    /** The core's 6->4 lookup order (EAMT, then pool6): the IPv4 address, or -1. */
    private static long map64(Node n, long hi, long lo) {
        long r = n.eamt.translate6to4(hi, lo);
        if (r >= 0) return r;
        if (n.pool6 != null && n.pool6.matches(hi, lo)) return n.pool6.extract(hi, lo) & 0xffffffffL;
        return -1;
    }

    private static boolean same(byte[] a, long hi, long lo) {
        return dev.siitdc.core.addr.Ipv6Prefix.readHi(a, 0) == hi && dev.siitdc.core.addr.Ipv6Prefix.readLo(a, 0) == lo;
    }

    // ------------------------------------------------------------------ RFC 7756 s6 filter

    private String filterPass(Node n, View in) {
        if (in.version == 4 && n.networkBased) {
            return "RFC 7756 s6 ingress filter: pass, SRC " + Addr.v4(in.src4()) + " is one of the segment's Service"
                    + " Addresses";
        }
        if (in.version == 4) {
            Eam e = n.eamt.find4(in.src4());
            return "RFC 7756 s6 ingress filter: pass, SRC " + Addr.v4(in.src4()) + " is covered by "
                    + (e == null ? "an EAM" : n.eamRef(e));
        }
        long v4 = map64(n, in.srcHi(), in.srcLo());
        return "RFC 7756 s6: pass, SRC is not a local IPv6 Service Address"
                + (v4 < 0 ? " (and does not translate)" : " and maps to " + Addr.v4((int) v4)
                + ", not a local IPv4 Service Address");
    }

    private List<String> filterDrop(Node n, View in, RelayCounter v) {
        List<String> l = new ArrayList<>();
        switch (v) {
            case ER_DROP4_SOURCE_WITHOUT_EAM -> {
                l.add("SRC " + Addr.v4(in.src4()) + " is covered by no EAM of " + n.label + ": translated with pool6,");
                l.add("it would leave the Border Relay with a spoofed IPv4 source");
                l.add("local Service Addresses: " + n.serviceAddressList());
            }
            case ER_DROP6_SOURCE_IS_LOCAL -> {
                ServiceAddress sa = n.localByV6(in.srcHi(), in.srcLo());
                l.add("SRC " + in.src(pools) + " is the IPv6 Service Address of " + (sa == null ? "a local address"
                        : Addr.v4(sa.ipv4())) + ": the application would take the packet for its own (RFC 7756 s6)");
            }
            case ER_DROP6_SOURCE_MAPS_TO_LOCAL -> {
                long v4 = map64(n, in.srcHi(), in.srcLo());
                l.add("SRC " + in.src(pools) + " translates to " + (v4 < 0 ? "?" : Addr.v4((int) v4) + " "
                        + rule64(n, in.srcHi(), in.srcLo(), (int) v4)) + ",");
                l.add("a local IPv4 Service Address: the application would take the packet for its own (RFC 7756 s6)");
            }
            case ER_DROP4_SOURCE_NOT_SERVICE_ADDRESS -> {
                l.add("SRC " + Addr.v4(in.src4()) + " is not a Service Address of the segment of " + n.label + ":");
                l.add("a network-based Edge Relay translates only its Service Addresses (RFC 7756 s6 ingress filtering)");
                l.add("local Service Addresses: " + n.serviceAddressList());
            }
            default -> l.add("the relay hands only the translator's traffic to the translator");
        }
        return l;
    }

    // ------------------------------------------------------------------ the translator's drops

    private List<String> translatorDrop(Node n, View in, Counter k, boolean hairpin) {
        List<String> l = new ArrayList<>();
        TranslatorConfig tc = n.config;
        switch (k) {
            case DROP46_SRC_ILLEGAL -> l.add("SRC " + Addr.v4(in.src4()) + " is in " + Addr.specialBlock(in.src4())
                    + ": never translated (RFC 1812 s5.3.7, RFC 7915 s4.1)");
            case DROP46_DST_UNTRANSLATABLE -> l.add(Addr.denied(in.dst4())
                    ? "DST " + Addr.v4(in.dst4()) + " is in " + Addr.specialBlock(in.dst4())
                            + ": never translated (RFC 1812 s5.3.7)"
                    : "DST " + Addr.v4(in.dst4()) + ": no EAM covers it and there is no pool6");
            case DROP46_SRC_UNTRANSLATABLE -> l.add("SRC " + Addr.v4(in.src4()) + ": "
                    + (n.eamt.covers4(in.src4()) ? "the source skips the EAMT (" + n.hairpinRef() + ")"
                    : "no EAM covers it") + " and there is no pool6");
            case DROP46_WKP_NON_GLOBAL -> {
                boolean srcViaEam = tc.eamHairpinMode() != HairpinMode.SIMPLE && n.eamt.covers4(in.src4());
                boolean src = !srcViaEam && !SpecialAddresses.isGlobal(in.src4());
                int a = src ? in.src4() : in.dst4();
                l.add((src ? "SRC " : "DST ") + Addr.v4(a) + " is in " + Addr.specialBlock(a) + ", not a global address:");
                l.add("RFC 6052 s3.1 forbids it under the Well-Known Prefix, " + n.pool6Ref() + ";");
                l.add("use a Network-Specific Prefix, or give it an EAM");
            }
            case DROP64_SRC_UNTRANSLATABLE, DROP64_DST_UNTRANSLATABLE, DROP64_SRC_ILLEGAL -> {
                boolean src = k != Counter.DROP64_DST_UNTRANSLATABLE;
                long hi = src ? in.srcHi() : in.dstHi(), lo = src ? in.srcLo() : in.dstLo();
                String a = (src ? "SRC " : "DST ") + (src ? in.src(pools) : in.dst(pools));
                long v4 = map64(n, hi, lo);
                if (v4 < 0) {
                    l.add(a + " is in no EAM" + (n.pool6 == null ? " and there is no pool6"
                            : " and outside " + n.pool6Ref()) + ": it has no IPv4 form (RFC 7915 s5.1)");
                } else {
                    l.add(a + " maps to " + Addr.v4((int) v4) + " " + rule64(n, hi, lo, (int) v4) + ",");
                    String block = Addr.specialBlock((int) v4);
                    l.add("which is in " + (block == null ? "a denied range" : block) + ": never translated (RFC 1812 s5.3.7)"
                            + (k == Counter.DROP64_SRC_ILLEGAL ? ", dropped silently (RFC 7915 s5.1)" : ""));
                }
            }
            case DROP64_WKP_NON_GLOBAL -> {
                boolean srcBad = n.eamt.find6(in.srcHi(), in.srcLo()) == null && n.pool6 != null
                        && n.pool6.matches(in.srcHi(), in.srcLo())
                        && !SpecialAddresses.isGlobal(n.pool6.extract(in.srcHi(), in.srcLo()));
                long hi = srcBad ? in.srcHi() : in.dstHi(), lo = srcBad ? in.srcLo() : in.dstLo();
                int v4 = n.pool6 == null ? 0 : n.pool6.extract(hi, lo);
                l.add((srcBad ? "SRC " : "DST ") + (srcBad ? in.src(pools) : in.dst(pools)) + " embeds " + Addr.v4(v4)
                        + ", in " + Addr.specialBlock(v4) + ", not a global address:");
                l.add("RFC 6052 s3.1 forbids it under the Well-Known Prefix, " + n.pool6Ref() + ";");
                l.add("use a Network-Specific Prefix, or give it an EAM");
            }
            case DROP46_FRAG_NEEDED -> {
                l.add("IPv4 " + in.length() + " bytes with DF set become " + (in.length() + 20)
                        + " bytes of IPv6 > ipv6-mtu " + tc.ipv6Mtu() + ": Fragmentation Needed (MTU "
                        + Mtu.ownFragmentationNeededMtu(tc.ipv6Mtu()) + ") goes back to SRC (RFC 7915 s4)");
                if (n.edge())
                    l.add("(on the Edge Relay's node the IPv4 route MTU is " + edgeRouteMtu(tc) + ", RFC 7756 s4.2:"
                            + " the node's own stack would not send it this big)");
            }
            case DROP64_PACKET_TOO_BIG -> l.add("IPv6 " + in.length() + " bytes become " + (in.length() - 20)
                    + " bytes of IPv4 > ipv4-mtu " + tc.ipv4Mtu() + ": Packet Too Big (MTU "
                    + Mtu.ownPacketTooBigMtu(tc.ipv4Mtu()) + ") goes back to SRC (RFC 7915 s5)");
            case DROP_HAIRPIN_LOOP -> l.add("the hairpinned packet would hairpin again (RFC 7757 s4.2)");
            case DROP_HAIRPIN_TOO_BIG -> l.add("the hairpinned packet (DF set) does not fit ipv6-mtu " + tc.ipv6Mtu());
            default -> { }
        }
        if (hairpin) l.add("(on the hairpin's IPv4 -> IPv6 pass)");
        return l;
    }

    // ------------------------------------------------------------------ MTU

    private void mtu(Node n, View in, View o, int pieces, boolean hairpin) {
        TranslatorConfig tc = n.config;
        if (hairpin) {
            explainHairpinBack(n, in, o);
            line("  MTU     hairpinned: no ipv4-mtu check; the IPv6 result (" + o.length() + " bytes) must fit ipv6-mtu "
                    + tc.ipv6Mtu());
        } else if (in.version == 4) {
            int limit = Math.min(tc.lowestIpv6Mtu(), tc.ipv6Mtu());
            if (pieces > 1) {
                line("  MTU     IPv4 " + in.length() + " bytes, DF clear: fragmented into " + pieces
                        + " IPv6 packets of at most min(lowest-ipv6-mtu, ipv6-mtu) = " + limit + " bytes (RFC 7915 s4);");
                line("          the first fragment is followed below");
            } else if (in.df()) {
                line("  MTU     IPv4 " + in.length() + " -> IPv6 " + o.length() + " bytes; DF set: must fit ipv6-mtu "
                        + tc.ipv6Mtu() + ", else Fragmentation Needed with MTU " + Mtu.ownFragmentationNeededMtu(tc.ipv6Mtu()));
            } else {
                line("  MTU     IPv4 " + in.length() + " -> IPv6 " + o.length() + " bytes; DF clear: fragmented above"
                        + " min(lowest-ipv6-mtu, ipv6-mtu) = " + limit + " (RFC 7915 s4)");
            }
            if (n.edge()) {
                line("          the IPv4 route MTU siitdc run gives the applications is " + edgeRouteMtu(tc)
                        + " = " + n.lowestMtuRef() + " - 20 (RFC 7756 s4.2)");
            }
        } else {
            String df = in.fragment ? "DF clear (a fragment, RFC 7915 s5.1.1)"
                    : o.df() ? "DF set (over 1260 bytes, RFC 7915 s5)" : "DF clear (1260 bytes or less, RFC 7915 s5)";
            if (pieces > 1) {
                line("  MTU     IPv6 " + in.length() + " bytes: split into " + pieces
                        + " IPv4 fragments to fit ipv4-mtu " + tc.ipv4Mtu() + "; the first fragment is followed below");
            } else {
                line("  MTU     IPv6 " + in.length() + " -> IPv4 " + o.length() + " bytes, " + df
                        + "; must fit ipv4-mtu " + tc.ipv4Mtu() + ", else Packet Too Big with MTU "
                        + Mtu.ownPacketTooBigMtu(tc.ipv4Mtu()));
            }
        }
    }

    /** The IPv4 route MTU of an Edge Relay, as `siitdc run` sets it (RFC 7756 s4.2). */
    static int edgeRouteMtu(TranslatorConfig tc) {
        return dev.siitdc.daemon.RelayMtu.edgeIpv4Route(tc);
    }

    // ------------------------------------------------------------------ routing between translators

    private record Route(Node next, String why, boolean delivered) {}

    private Route route(Node from, View p) {
        int start = nodes.indexOf(from);
        if (p.version == 4 && from.edge()) {
            ServiceAddress sa = from.localByV4(p.dst4());
            if (sa != null)
                return new Route(null, "delivered: DST " + Addr.v4(p.dst4()) + " is a local IPv4 Service Address of "
                        + from.label + (from.networkBased ? " (forwarded to its node on the segment, RFC 7756 s3.2)"
                        : " (the IPv4 application, RFC 7756 s3.1)"), true);
            return new Route(null, "handed to the IPv4 stack of " + from.label + ": DST " + Addr.v4(p.dst4())
                    + " is none of its Service Addresses (" + from.serviceAddressList() + ")", true);
        }
        for (int k = 1; k <= nodes.size(); k++) {
            Node n = nodes.get((start + k) % nodes.size());
            String why = claims(n, from, p);
            if (why != null) return new Route(n, why, false);
        }
        if (p.version == 6)
            return new Route(null, "leaves on the IPv6 network toward DST " + p.dst(pools)
                    + ": no --config on the path is routed that address (a native IPv6 node)", false);
        return new Route(null, "leaves " + (from.border() ? "toward the IPv4 Internet" : "on the IPv4 side")
                + " (DST " + Addr.v4(p.dst4()) + ")", false);
    }

    /** Why the packet {@code from} emitted reaches {@code n}, or null if it does not. */
    private String claims(Node n, Node from, View p) {
        String to = n == from ? "routed back into " + n.label : "routed to " + n.label;
        if (p.version == 6) {
            long hi = p.dstHi(), lo = p.dstLo();
            if (n.edge()) {
                ServiceAddress sa = n.localByV6(hi, lo);
                return sa == null ? null : to + ": DST is its IPv6 Service Address (of " + Addr.v4(sa.ipv4())
                        + "), RFC 7756 s3.1";
            }
            if (n.border()) {
                return n.pool6 != null && n.pool6.matches(hi, lo) ? to + ": DST is inside its " + n.pool6Ref()
                        + ", which is routed to the Border Relay (RFC 7755 s3)" : null;
            }
            if (n == from) return null;
            if (n.pool6 != null && n.pool6.matches(hi, lo)) return to + ": DST is inside its " + n.pool6Ref();
            Eam e = n.eamt.find6(hi, lo);
            return e == null ? null : to + ": DST is inside its " + n.eamRef(e);
        }
        int dst = p.dst4();
        if (n.edge()) return null;   // IPv4 reaches an Edge Relay only from its own applications
        Eam e = n.eamt.find4(dst);
        if (n.border()) {
            return e == null ? null : to + ": DST " + Addr.v4(dst) + " is inside its " + n.eamRef(e)
                    + " (a Border Relay routes its EAMs' IPv4 prefixes into itself, RFC 7755 s3)";
        }
        if (n == from) return null;
        if (e != null) return to + ": DST is inside its " + n.eamRef(e);
        return n.pool6 != null ? to + ": it translates any IPv4 destination with its " + n.pool6Ref() : null;
    }

    // ------------------------------------------------------------------ notes

    private List<String> notes(boolean dropped) {
        List<String> l = new ArrayList<>();
        for (Node n : nodes) {
            if (!dropped && !visited.contains(n))
                l.add(n.label + " (" + n.file + ") is not on this path: the packet was never routed to it");
        }
        Set<Integer> mtus = new LinkedHashSet<>();
        StringBuilder which = new StringBuilder();
        for (Node n : visited) {
            if (n.role == null) continue;
            mtus.add(n.config.lowestIpv6Mtu());
            if (!which.isEmpty()) which.append(", ");
            which.append(n.label).append(' ').append(n.config.lowestIpv6Mtu());
        }
        if (mtus.size() > 1)
            l.add("RFC 7756 s4.1 recommends the same lowest-ipv6-mtu on the Edge and Border Relays; here: " + which);
        return l;
    }
}
