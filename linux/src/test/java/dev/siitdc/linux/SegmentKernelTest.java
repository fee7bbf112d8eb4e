package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The network-based Edge Relay bindings against the real kernel: {@link UdpSocket}, bridges and
 * masters, route listing, tc drop filters. Needs root and iproute2, else skipped loudly. Each test runs
 * a {@link SegmentScenarios} scenario in a child JVM inside a fresh namespace, with a second namespace
 * as the far end of a veth pair; both are deleted afterwards, even when the test fails.
 */
class SegmentKernelTest {
    private Netns ns;
    private Netns peer;

    private static final KernelSuite SUITE = new KernelSuite("segment kernel tests", "root and iproute2", false);

    @BeforeAll
    static void requireRoot() throws IOException, InterruptedException {
        SUITE.require();
    }

    @BeforeEach
    void namespaces() throws IOException, InterruptedException {
        ns = Netns.create();
        peer = Netns.create();
    }

    @AfterEach
    void deleteNamespaces() throws IOException, InterruptedException {
        try {
            if (ns != null) {
                ns.close();
            }
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
        String left = Netns.run(List.of("ip", "netns", "list"), 10).out();
        assertThat(left).doesNotContain(ns.name()).doesNotContain(peer.name());
    }

    private String scenario(TestInfo info, String name, String... args) throws IOException, InterruptedException {
        return KernelSuite.scenario(ns, info, name, args);
    }

    @Test
    void udpSocketBroadcastAndUnicastOnTheBoundInterface(TestInfo info) throws Exception {
        SUITE.skipLoudly(KernelSuite.missing("python3"), "python3 is not installed (it plays the DHCP client)");
        String out = scenario(info, "udp-socket", peer.name());
        assertThat(out).contains("OK received the broadcast DISCOVER from 10.9.0.2:6868",
                "GOT OFFER-BCAST 10.9.0.1 6767", "GOT ACK-UNICAST 10.9.0.1 6767", "ENODEV", "truncated");
    }

    @Test
    void bridgeMasterAndDelete(TestInfo info) throws Exception {
        String out = scenario(info, "bridge");
        assertThat(out).contains("OK bridge sdbr0", "OK enslaved", "OK released", "OK deleted");
        assertThat(ns.exec(List.of("ip", "-o", "link", "show"), 10).out()).doesNotContain("sdbr0");
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
        String out = scenario(info, "tc-drop", peer.name());
        assertThat(out).contains("OK IPv4 ping blocked", "OK IPv6 ping still works", "OK clsact deleted");
    }
}
