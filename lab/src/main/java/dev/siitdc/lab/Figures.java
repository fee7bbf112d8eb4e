package dev.siitdc.lab;

import java.util.ArrayList;
import java.util.List;

/** Draws captured packets the way RFC 7756 draws them (Figures 5 and 6), with the addresses the lab saw. */
public final class Figures {
    private Figures() {}

    /** RFC 7756 Figure 5: hairpinned IPv4-IPv4 packet flow, ER A -> BR -> ER B. */
    public static String figure5(CapturedPacket p1, CapturedPacket p2, CapturedPacket p3, CapturedPacket p4) {
        List<String> l1 = box("Pkt#1: IPv4", p1), l2 = box("Pkt#2: IPv6", p2);
        List<String> l4 = box("Pkt#4: IPv4", p4), l3 = box("Pkt#3: IPv6", p3);
        int wl = Math.max(l1.getFirst().length(), l4.getFirst().length());
        int wr = Math.max(l2.getFirst().length(), l3.getFirst().length());
        l1 = box("Pkt#1: IPv4", p1, wl);
        l4 = box("Pkt#4: IPv4", p4, wl);
        l2 = box("Pkt#2: IPv6", p2, wr);
        l3 = box("Pkt#3: IPv6", p3, wr);
        String[] midTop = {"             ", "  (XLAT#1)   ", "--(@ ER A)-->", "             "};
        String[] endTop = {"", "", "---\\", "   |"};
        String[] midBottom = {"             ", "   (XLAT#3)  ", "<--(@ ER B)--", "             "};
        String[] endBottom = {" ( @ BR )", "   |", "<--/", ""};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) b.append(l1.get(i)).append(midTop[i]).append(l2.get(i)).append(endTop[i]).append('\n');
        int col = wl + 13 + wr + 3;
        b.append(" ".repeat(col - 4)).append("(XLAT#2)\n");
        for (int i = 0; i < 4; i++) {
            b.append(l4.get(i)).append(midBottom[i]).append(l3.get(i)).append(endBottom[i]).append('\n');
        }
        return b.toString();
    }

    /** RFC 7756 Figure 6: non-hairpinned IPv4-IPv4 packet flow, ER A -> ER B directly. */
    public static String figure6(CapturedPacket p1, CapturedPacket p2, CapturedPacket p3) {
        List<String> a = box("Pkt#1: IPv4", p1), c = box("Pkt#3: IPv4", p3);
        int wl = Math.max(a.getFirst().length(), c.getFirst().length());
        a = box("Pkt#1: IPv4", p1, wl);
        c = box("Pkt#3: IPv4", p3, wl);
        List<String> m = box("Pkt#2: IPv6", p2);
        int wr = m.getFirst().length();
        String[] mid = {"             ", "  (XLAT#1)   ", "--(@ ER A)-->", "             "};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) b.append(a.get(i)).append(mid[i]).append(m.get(i)).append('\n');
        int col = wl + 13 + wr / 2;
        b.append(" ".repeat(col)).append("|\n");
        String[] bottom = {"", "        (XLAT#2)      ", "<-------(@ ER B)------", ""};
        for (int i = 0; i < 4; i++) {
            String left = c.get(i) + bottom[i];
            if (i == 0 || i == 1) left = pad(left, col) + "|";
            if (i == 2) left = left + "-".repeat(Math.max(0, col - left.length())) + "/";
            b.append(left).append('\n');
        }
        return b.toString();
    }

    /** A chain of packets, one line each: where it was captured, then its addresses. */
    public static String hops(List<String> where, List<CapturedPacket> packets) {
        int w = where.stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            CapturedPacket p = packets.get(i);
            b.append(pad(where.get(i), w)).append("  IPv").append(p.version()).append("  ").append(endpoint(p.src(), p.srcPort()))
                    .append(" -> ").append(endpoint(p.dst(), p.dstPort())).append('\n');
        }
        return b.toString();
    }

    private static String endpoint(String a, int port) {
        if (port < 0) return a;
        return a.contains(":") ? "[" + a + "]:" + port : a + ":" + port;
    }

    private static List<String> box(String title, CapturedPacket p) {
        return box(title, p, 0);
    }

    private static List<String> box(String title, CapturedPacket p, int minWidth) {
        String s = "SRC " + p.src(), d = "DST " + p.dst();
        int inner = Math.max(Math.max(s.length(), d.length()) + 2, title.length() + 4);
        inner = Math.max(inner, minWidth - 2);
        List<String> out = new ArrayList<>();
        out.add("+-[" + title + "]" + "-".repeat(inner - title.length() - 3) + "+");
        out.add("| " + pad(s, inner - 2) + " |");
        out.add("| " + pad(d, inner - 2) + " |");
        out.add("+" + "-".repeat(inner) + "+");
        return out;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
