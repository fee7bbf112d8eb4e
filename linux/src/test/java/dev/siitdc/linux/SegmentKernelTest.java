package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network-based Edge Relay bindings against the real kernel: {@link UdpSocket}, bridges and
 * masters, route listing, tc drop filters. Needs root and iproute2, else skipped loudly. Each test runs
 * a {@link SegmentScenarios} scenario in a child JVM inside a fresh namespace, with a second namespace
 * as the far end of a veth pair; both are deleted afterwards, even when the test fails.
 */
class SegmentKernelTest {
    /** Namespace 0 runs the scenarios; namespace 1 is the far end of the veth pair. */
    @RegisterExtension
    static final KernelSuite SUITE = new KernelSuite("segment kernel tests", "root and iproute2", false, 2);

    private String scenario(TestInfo info, String name, String... args) throws IOException, InterruptedException {
        return SUITE.scenario(info, name, args);
    }

    @Test
    void udpSocketBroadcastAndUnicastOnTheBoundInterface(TestInfo info) throws Exception {
        SUITE.skipLoudly(KernelSuite.missing("python3"), "python3 is not installed (it plays the DHCP client)");
        String out = scenario(info, "udp-socket", SUITE.ns(1).name());
        assertThat(out).contains("OK received the broadcast DISCOVER from 10.9.0.2:6868",
                "GOT OFFER-BCAST 10.9.0.1 6767", "GOT ACK-UNICAST 10.9.0.1 6767", "ENODEV", "truncated");
    }

    @Test
    void bridgeMasterAndDelete(TestInfo info) throws Exception {
        String out = scenario(info, "bridge");
        assertThat(out).contains("OK bridge sdbr0", "OK enslaved", "OK released", "OK deleted");
        assertThat(SUITE.ns(0).exec(List.of("ip", "-o", "link", "show"), 10).out()).doesNotContain("sdbr0");
    }

    @Test
    void listRoutesAndMoveThem(TestInfo info) throws Exception {
        String out = scenario(info, "routes");
        assertThat(out).contains("OK listed IPv4", "OK listed IPv6", "OK moved IPv4", "OK moved IPv6",
                "OK deleted exactly");
    }

    @Test
    void tcDropsIpv4AndArpButNotIpv6(TestInfo info) throws Exception {
        SUITE.skipLoudly(KernelSuite.missing("ping"), "ping (iputils-ping) is not installed");
        SUITE.skipLoudly(KernelSuite.missing("tc"), "tc (iproute2) is not installed");
        String out = scenario(info, "tc-drop", SUITE.ns(1).name());
        assertThat(out).contains("OK IPv4 ping blocked", "OK IPv6 ping still works", "OK clsact deleted");
    }
}
