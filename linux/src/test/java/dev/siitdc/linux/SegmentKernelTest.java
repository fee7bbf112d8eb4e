package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

    @BeforeAll
    static void requireRoot() throws IOException, InterruptedException {
        String uid = KernelTest.effectiveUid();
        skipLoudly(!"0".equals(uid), "not root (effective uid " + uid + ")");
        skipLoudly(Netns.run(List.of("ip", "-V"), 10).exit() != 0, "iproute2's ip is not installed");
        String probeFailure = null;
        try (Netns probe = Netns.create()) {
            probe.name();
        } catch (IOException e) {
            probeFailure = e.getMessage();
        }
        skipLoudly(probeFailure != null, "cannot create a network namespace: " + probeFailure);
    }

    static void skipLoudly(boolean skip, String why) {
        if (skip) {
            String msg = "!!!!! SKIPPING the siitdc-linux segment kernel tests: " + why
                    + ". They need root and iproute2 (they run in throw-away network namespaces). !!!!!";
            System.err.println(msg);
            Assumptions.abort(msg);
        }
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
        long t0 = System.nanoTime();
        Netns.Result r = ns.scenario(name, args);
        System.out.printf("---- %s in %s (%d ms)%n%s", info.getDisplayName(), ns.name(),
                (System.nanoTime() - t0) / 1_000_000, r.out());
        assertThat(r.exit()).as("scenario %s exit status; output:%n%s", name, r.out()).isZero();
        assertThat(r.out()).contains("SCENARIO " + name + " PASSED");
        return r.out();
    }

    private static boolean missing(String command) throws IOException, InterruptedException {
        return Netns.run(List.of("sh", "-c", "command -v " + command), 10).exit() != 0;
    }

    @Test
    void udpSocketBroadcastAndUnicastOnTheBoundInterface(TestInfo info) throws Exception {
        skipLoudly(missing("python3"), "python3 is not installed (it plays the DHCP client)");
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
        skipLoudly(missing("ping"), "ping (iputils-ping) is not installed");
        skipLoudly(missing("tc"), "tc (iproute2) is not installed");
        String out = scenario(info, "tc-drop", peer.name());
        assertThat(out).contains("OK IPv4 ping blocked", "OK IPv6 ping still works", "OK clsact deleted");
    }
}
