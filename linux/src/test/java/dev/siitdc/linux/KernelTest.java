package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bindings against the real kernel. Needs root (network namespaces, /dev/net/tun) and iproute2;
 * without them every test here is skipped with a loud message. Each test runs one
 * {@link NetnsScenarios} scenario in a child JVM inside its own fresh network namespace, deleted
 * afterwards even when the test fails, so the host's network is never touched.
 */
class KernelTest {
    @RegisterExtension
    static final KernelSuite SUITE = new KernelSuite("kernel tests", "root, /dev/net/tun and iproute2", true, 1);

    private String scenario(String name, TestInfo info) throws IOException, InterruptedException {
        return SUITE.scenario(info, name);
    }

    private List<Map<String, Object>> ipJson(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "-j"));
        cmd.addAll(List.of(args));
        Netns.Result r = SUITE.ns(0).exec(cmd, 20);
        assertThat(r.exit()).as(r.out()).isZero();
        return MiniJson.objects(r.out());
    }

    @Test
    void configuresLinkAddressesRoutesAndProxyNdp(TestInfo info) throws Exception {
        String out = scenario("configure", info);
        assertThat(out).contains("OK link up, mtu 1400", "OK txqueuelen 500 -> 5000 -> 500", "metrics=[{mtu=1260}]", "proxy NDP: 2001:db8::5 dev siit0 proxy");
        // The namespace is back to just lo.
        assertThat(ipJson("link", "show")).extracting(l -> l.get("ifname")).containsExactly("lo");
    }

    @Test
    void pingThroughTheTun(TestInfo info) throws Exception {
        SUITE.skipLoudly(KernelSuite.missing("ping"),
                "ping (iputils-ping) is not installed, so the ping round trip cannot run"
                        + " (the UDP round trips test the same path)");
        assertThat(scenario("ping", info)).contains("OK ping got the crafted echo reply");
    }

    @Test
    void udpRoundTripsOverBothQueuesAndFamilies(TestInfo info) throws Exception {
        String out = scenario("udp", info);
        assertThat(out).contains("OK UDP over IPv4", "OK UDP over IPv6", "written on queue 0", "written on queue 1");
    }

    @Test
    void vnetHeaderAndOffload(TestInfo info) throws Exception {
        assertThat(scenario("vnet", info)).contains("after a virtio_net_hdr");
    }

    @Test
    void pollTimesOutAndWorkersStopPromptly(TestInfo info) throws Exception {
        assertThat(scenario("poll", info)).contains("OK poll(200) timed out");
    }

    @Test
    void errorsCarryTheErrno(TestInfo info) throws Exception {
        String out = scenario("errors", info);
        assertThat(out).contains("ENODEV", "EEXIST", "ESRCH", "ENOENT", "EADDRNOTAVAIL", "EBUSY", "EINVAL", "EIO");
    }

    @Test
    void undoStackRemovesEverything(TestInfo info) throws Exception {
        scenario("undo", info);
        assertThat(ipJson("link", "show")).extracting(l -> l.get("ifname")).containsExactly("lo");
        assertThat(SUITE.ns(0).exec(List.of("cat", "/proc/sys/net/ipv6/conf/all/forwarding", "/proc/sys/net/ipv4/ip_forward"),
                10).out()).isEqualTo("0\n0\n");
        assertThat(SUITE.ns(0).exec(List.of("ip", "-6", "neigh", "show", "proxy"), 10).out()).isBlank();
    }

    @Test
    void outOfFileDescriptorsIsEmfileEverywhereInTunCreate(TestInfo info) throws Exception {
        SUITE.skipLoudly(KernelSuite.missing("prlimit"), "prlimit (util-linux) is not installed");
        assertThat(scenario("fd-exhaustion", info)).contains("OK filled: EMFILE", "free: created siitfd0");
    }

    @Test
    void linkStatsCountTheTunQueueOverflowAndARefusedWrite(TestInfo info) throws Exception {
        assertThat(scenario("link-stats", info)).contains("OK after 100 datagrams");
    }
}
