package dev.siitdc.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiled capture filters ({@link CaptureFilters}) without a kernel: each is a well-formed classic BPF
 * program (what the kernel's checker would refuse fails here first), the demos' expressions have one for
 * both link types, and a lookup ignores spacing. {@code PacketSocketTest} (linux) runs a program for real.
 */
class CaptureFiltersTest {
    // BPF instruction classes and codes (linux/filter.h).
    private static final int BPF_CLASS = 0x07, BPF_JMP = 0x05, BPF_RET = 0x06, BPF_JA = 0x00, BPF_OP = 0xf0;

    /** The filters the two demos start (HostDemo). */
    private static final List<String> DEMO = List.of("tcp port 7", "ip and tcp port 7", "ip and udp", "ip6 and udp");

    @Test
    void everyProgramIsWellFormedAndEndsInAReturn() {
        for (String e : CaptureFilters.expressions()) {
            for (boolean ethernet : new boolean[] {true, false}) {
                int[] p = CaptureFilters.program(ethernet, e);
                if (p == null) continue;
                String what = (ethernet ? "Ethernet " : "raw IP ") + "'" + e + "'";
                assertThat(p.length % 4).as(what).isZero();
                int n = p.length / 4;
                assertThat(n).as(what).isBetween(1, 4096);
                for (int i = 0; i < n; i++) {
                    int code = p[4 * i], jt = p[4 * i + 1], jf = p[4 * i + 2];
                    assertThat(code).as(what + " insn " + i).isBetween(0, 0xffff);
                    if ((code & BPF_CLASS) == BPF_JMP && (code & BPF_OP) != BPF_JA) {
                        // a conditional jump lands inside the program, forward
                        assertThat(i + 1 + Math.max(jt, jf)).as(what + " insn " + i).isLessThan(n);
                    }
                }
                int last = p[4 * (n - 1)];
                assertThat(last & BPF_CLASS).as(what + ": the last instruction returns").isEqualTo(BPF_RET);
                // accepting returns the whole packet: Capture cuts it to its snap length itself
                for (int i = 0; i < n; i++) {
                    if ((p[4 * i] & BPF_CLASS) == BPF_RET && p[4 * i + 3] != 0) {
                        assertThat(p[4 * i + 3]).as(what).isEqualTo(0x40000);
                    }
                }
            }
        }
    }

    @Test
    void theDemosFiltersAndEverythingHaveAProgramForBothLinkTypes() {
        for (String e : DEMO) {
            assertThat(CaptureFilters.program(true, e)).as("Ethernet " + e).isNotNull();
            assertThat(CaptureFilters.program(false, e)).as("raw IP " + e).isNotNull();
        }
        assertThat(CaptureFilters.program(true, "")).containsExactly(0x6, 0, 0, 0x40000);
        assertThat(CaptureFilters.program(false, "  ")).containsExactly(0x6, 0, 0, 0x40000);
    }

    @Test
    void theLinkTypeMattersAndSpacingDoesNot() {
        // IPv4 on Ethernet: EtherType 0x0800 at offset 12; on a raw IP link: the version nibble of byte 0.
        assertThat(CaptureFilters.program(true, "ip and udp")).startsWith(0x28, 0, 0, 12);
        assertThat(CaptureFilters.program(false, "ip and udp")).startsWith(0x30, 0, 0, 0);
        assertThat(CaptureFilters.program(true, "  ip   and udp ")).isSameAs(CaptureFilters.program(true, "ip and udp"));
        // MAC addresses exist only on Ethernet; an unknown expression has no program.
        assertThat(CaptureFilters.program(true, "ether src 02:00:5e:00:53:d4 and not ip6")).isNotNull();
        assertThat(CaptureFilters.program(false, "ether src 02:00:5e:00:53:d4 and not ip6")).isNull();
        assertThat(CaptureFilters.program(true, "tcp port 8")).isNull();
    }
}
