package dev.siitdc.daemon.explain;


import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The layouts {@link Figure} draws besides RFC 7756 Figures 5 and 6 (which ExplainCommandTest checks). */
class FigureTest {
    static Figure.Box v4(int n, String s, String d) { return new Figure.Box("Pkt#" + n + ": IPv4", "SRC " + s, "DST " + d, 0); }

    static Figure.Box v6(int n, String s, String d) { return new Figure.Box("Pkt#" + n + ": IPv6", "SRC " + s, "DST " + d, 1); }

    @Test
    void oneTranslationFromIpv6ReadsRightToLeft() {
        String f = Figure.draw(List.of(v6(1, "2001:db8:a::", "2001:db8:46::192.0.2.9"), v4(2, "192.0.2.1", "192.0.2.9")),
                List.of(new Figure.Arrow("XLAT#1", "@ BR")));
        assertThat(f).isEqualTo("""
                +-[Pkt#2: IPv4]-+             +-[Pkt#1: IPv6]--------------+
                | SRC 192.0.2.1 |  (XLAT#1)   | SRC 2001:db8:a::           |
                | DST 192.0.2.9 |<---(@ BR)---| DST 2001:db8:46::192.0.2.9 |
                +---------------+             +----------------------------+
                """);
    }

    @Test
    void backToIpv6OnTheNextRowComesDownFromTheLeftBox() {
        // an IPv6 client through a Border Relay that does not hairpin: out as IPv4, routed back into it
        String f = Figure.draw(List.of(v6(1, "2001:db8:a::", "2001:db8:46::192.0.2.2"), v4(2, "192.0.2.1", "192.0.2.2"),
                        v6(3, "2001:db8:a::", "2001:db8:b::")),
                List.of(new Figure.Arrow("XLAT#1", "@ BR"), new Figure.Arrow("XLAT#2", "@ BR")));
        assertThat(f).isEqualTo("""
                +-[Pkt#2: IPv4]-+             +-[Pkt#1: IPv6]--------------+
                | SRC 192.0.2.1 |  (XLAT#1)   | SRC 2001:db8:a::           |
                | DST 192.0.2.2 |<---(@ BR)---| DST 2001:db8:46::192.0.2.2 |
                +---------------+             +----------------------------+
                        |
                        |                     +-[Pkt#3: IPv6]--------------+
                        |      (XLAT#2)       | SRC 2001:db8:a::           |
                        \\-------(@ BR)------->| DST 2001:db8:b::           |
                                              +----------------------------+
                """);
    }

    @Test
    void downTheLeftSideAndDiagonallyToTheRight() {
        // IPv4 -> IPv4 cannot come out of one translator; the layout still has to hold
        String f = Figure.draw(List.of(v4(1, "192.0.2.1", "192.0.2.2"), v4(2, "192.0.2.1", "192.0.2.2"),
                        v6(3, "2001:db8:a::", "2001:db8:b::")),
                List.of(new Figure.Arrow("XLAT#1", "@ X"), new Figure.Arrow("XLAT#2", "@ Y")));
        assertThat(f).isEqualTo("""
                         +-[Pkt#1: IPv4]-+
                         | SRC 192.0.2.1 |
                     /---| DST 192.0.2.2 |
                     |   +---------------+
                  (XLAT#1)
                   (@ X) +-[Pkt#2: IPv4]-+             +-[Pkt#3: IPv6]----+
                     |   | SRC 192.0.2.1 |  (XLAT#2)   | SRC 2001:db8:a:: |
                     \\-->| DST 192.0.2.2 |---(@ Y)---->| DST 2001:db8:b:: |
                         +---------------+             +------------------+
                """);
    }
}
