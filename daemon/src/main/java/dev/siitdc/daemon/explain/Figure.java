package dev.siitdc.daemon.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws a packet's path the way RFC 7756 draws Figures 5 and 6: one box per packet ({@code Pkt#n} with
 * its SRC and DST), IPv4 packets in the left column and IPv6 packets in the right one, joined by
 * {@code (XLAT#n)} arrows that name where the translation happens ({@code (@ ER A)}). A packet goes
 * beside the previous one when that cell is free, else on the next row; so a hairpin (IPv6 to IPv6) runs
 * down the right side as in Figure 5, and a translation back to IPv4 on the next row comes down and
 * left as in Figure 6.
 */
public final class Figure {
    /** One box: a title and two lines, in column 0 (IPv4) or 1 (IPv6). */
    record Box(String title, String line1, String line2, int column) {}

    /** The arrow into box i (i >= 1) from box i-1. */
    record Arrow(String xlat, String at) {}

    private static final int ROW_HEIGHT = 5;   // 4 lines of box, 1 spacer
    private static final int MIN_GAP = 13;     // "--(@ ER A)-->"

    private Figure() {}

    static String draw(List<Box> boxes, List<Arrow> arrows) {
        int n = boxes.size();
        if (arrows.size() != n - 1) throw new IllegalArgumentException("need one arrow between each two boxes");
        // ---- cells
        int[] row = new int[n];
        List<boolean[]> used = new ArrayList<>();
        used.add(new boolean[2]);
        used.getFirst()[boxes.getFirst().column()] = true;
        for (int i = 1; i < n; i++) {
            int c = boxes.get(i).column(), pc = boxes.get(i - 1).column(), r = row[i - 1];
            if (c != pc && !used.get(r)[c]) {
                row[i] = r;
            } else {
                row[i] = r + 1;
                used.add(new boolean[2]);
                // a diagonal arrow comes down through the middle of the other cell of the new row
                if (c != pc) used.get(r + 1)[pc] = true;
            }
            used.get(row[i])[c] = true;
        }
        // ---- widths
        int[] w = new int[2];
        for (Box b : boxes) w[b.column()] = Math.max(w[b.column()], boxWidth(b));
        int gap = 0;
        int margin = 0, rightExtra = 0;
        for (int i = 1; i < n; i++) {
            Arrow a = arrows.get(i - 1);
            int c = boxes.get(i).column(), pc = boxes.get(i - 1).column();
            int label = Math.max(a.xlat().length() + 2, a.at().length() + 4);
            if (c != pc) {
                // "--(@ ER A)-->" and "  (XLAT#1)  "
                gap = Math.max(gap, Math.max(MIN_GAP, Math.max(a.at().length() + 7, a.xlat().length() + 4)));
            } else if (c == 0) {
                margin = Math.max(margin, 4 + (label + 1) / 2 + 1);
            } else {
                rightExtra = Math.max(rightExtra, 3 + (label + 1) / 2 + 1);
            }
        }
        int xl = margin;
        int xr = w[0] == 0 ? margin : margin + w[0] + gap;
        int[] x = {xl, xr};
        Canvas cv = new Canvas();
        // ---- boxes
        for (int i = 0; i < n; i++) {
            Box b = boxes.get(i);
            drawBox(cv, x[b.column()], row[i] * ROW_HEIGHT, w[b.column()], b);
        }
        // ---- arrows
        for (int i = 1; i < n; i++) {
            String xlat = "(" + arrows.get(i - 1).xlat() + ")", at = "(" + arrows.get(i - 1).at() + ")";
            int c = boxes.get(i).column(), pc = boxes.get(i - 1).column();
            int y1 = row[i - 1] * ROW_HEIGHT, y2 = row[i] * ROW_HEIGHT;
            if (y1 == y2) {                                     // side by side
                int from = xl + w[0];
                cv.put(from, y1 + 1, center(xlat, gap, ' '));
                cv.put(from, y1 + 2, pc == 0 ? center(at, gap - 1, '-') + ">" : "<" + center(at, gap - 1, '-'));
            } else if (c == pc && c == 1) {                     // down the right side (Figure 5)
                int x0 = xr + w[1], bar = x0 + 3;
                cv.put(x0, y1 + 2, "---\\");
                for (int y = y1 + 3; y <= y2 + 1; y++) cv.put(bar, y, "|");
                cv.putCentered(bar, y1 + 4, xlat);
                cv.putCentered(bar, y2, at);
                cv.put(x0, y2 + 2, "<--/");
            } else if (c == pc) {                               // down the left side
                int bar = xl - 4;
                cv.put(bar, y1 + 2, "/---");
                for (int y = y1 + 3; y <= y2 + 1; y++) cv.put(bar, y, "|");
                cv.putCentered(bar, y1 + 4, xlat);
                cv.putCentered(bar, y2, at);
                cv.put(bar, y2 + 2, "\\-->");
            } else if (pc == 1) {                               // down from the right box, then left (Figure 6)
                int bar = xr + w[1] / 2, from = xl + w[0];
                for (int y = y1 + 4; y <= y2 + 1; y++) cv.put(bar, y, "|");
                cv.put(from, y2 + 1, center(xlat, bar - from, ' '));
                cv.put(from, y2 + 2, "<" + center(at, bar - from - 1, '-') + "/");
            } else {                                            // down from the left box, then right
                int bar = xl + w[0] / 2;
                for (int y = y1 + 4; y <= y2 + 1; y++) cv.put(bar, y, "|");
                cv.put(bar + 1, y2 + 1, center(xlat, xr - bar - 1, ' '));
                cv.put(bar, y2 + 2, "\\" + center(at, xr - bar - 2, '-') + ">");
            }
        }
        return cv.toString();
    }

    static int boxWidth(Box b) {
        return Math.max(Math.max(b.line1().length(), b.line2().length()) + 4, b.title().length() + 6);
    }

    private static void drawBox(Canvas cv, int x, int y, int w, Box b) {
        cv.put(x, y, "+-[" + b.title() + "]" + "-".repeat(w - b.title().length() - 5) + "+");
        cv.put(x, y + 1, "| " + pad(b.line1(), w - 4) + " |");
        cv.put(x, y + 2, "| " + pad(b.line2(), w - 4) + " |");
        cv.put(x, y + 3, "+" + "-".repeat(w - 2) + "+");
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** s centered in a field of width w filled with {@code fill}; the extra fill goes to the right. */
    static String center(String s, int w, char fill) {
        if (s.length() >= w) return s;
        int left = (w - s.length()) / 2;
        return String.valueOf(fill).repeat(left) + s + String.valueOf(fill).repeat(w - s.length() - left);
    }

    /** A grid of characters that grows as text is put on it; trailing blanks are trimmed. */
    private static final class Canvas {
        private final List<StringBuilder> lines = new ArrayList<>();

        void put(int x, int y, String s) {
            while (lines.size() <= y) lines.add(new StringBuilder());
            StringBuilder l = lines.get(y);
            while (l.length() < x + s.length()) l.append(' ');
            l.replace(x, x + s.length(), s);
        }

        /** s centered on column x, blanks around it so that it reads as a label across a line. */
        void putCentered(int x, int y, String s) {
            int at = Math.max(0, x - (s.length() - 1) / 2);
            put(Math.max(0, at - 1), y, (at > 0 ? " " : "") + s + " ");
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (StringBuilder l : lines) {
                int e = l.length();
                while (e > 0 && l.charAt(e - 1) == ' ') e--;
                b.append(l, 0, e).append('\n');
            }
            return b.toString();
        }
    }
}
