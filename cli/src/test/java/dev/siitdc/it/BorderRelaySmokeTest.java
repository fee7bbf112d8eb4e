package dev.siitdc.it;

import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc run} as a Border Relay, end to end, in three throw-away network namespaces:
 *
 * <pre>
 *  v4client                      br (siitdc run)                           idc (IPv6 only)
 *  198.51.100.2/24 ---veth--- 198.51.100.1/24   2001:db8:1::1/64 ---veth--- 2001:db8:1::10/64
 *  default via .1             siit0: pool6 2001:db8:46::/96,               default via 2001:db8:1::1
 *                             EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10
 * </pre>
 *
 * The IPv4 client pings 192.0.2.10, the IPv6-only host's IPv4 Service Address; after SIGTERM the daemon
 * exits 0 and br has no TUN, no route into it and its forwarding sysctls back at 0. Needs root,
 * /dev/net/tun, iproute2 and ping; without them it is skipped with a loud message. The namespaces are
 * deleted after each test, whatever happened.
 */
class BorderRelaySmokeTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String v4client, br;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the siitdc run Border Relay smoke test");
    }

    @BeforeEach
    void topology() {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-");
        v4client = t.v4client();
        br = t.br();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    @Test
    void ipv4ClientReachesIpv6OnlyHostAndEverythingIsUndoneOnSigterm() throws Exception {
        Path stats = dir.resolve("run/siit0.stats");
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted(
                "lowest-ipv6-mtu = 1500\n", "", "queues = 2\nstats-file = \"" + stats + "\""));
        Daemon daemon = namespaces.siitdc(br, config, dir.resolve("daemon"));

        // Ready: the summary line comes once the TUN, routes and sysctls are in place and the workers run.
        daemon.awaitStartUp("siitdc: border-relay on ");
        assertThat(daemon.out()).startsWith("siitdc: border-relay on siit0: 2 queues, tun mtu 1520,");
        assertThat(ok("ip", "-n", br, "-d", "link", "show", "siit0")).contains("tun");
        assertThat(ok("ip", "-n", br, "-4", "route")).contains("192.0.2.10 dev siit0");
        assertThat(ok("ip", "-n", br, "-6", "route")).contains("2001:db8:46::/96 dev siit0")
                .doesNotContain("2001:db8:1::10 dev siit0");   // RFC 7755: the EAM's IPv6 side is not routed in
        assertThat(ok("ip", "netns", "exec", br, "sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"))
                .isEqualTo("1\n1\n");

        Shell.Result ping = Namespaces.run(List.of("ip", "netns", "exec", v4client, "ping", "-n", "-c", "3", "-i", "0.2",
                "-W", "3", "192.0.2.10"), 30);
        assertThat(ping.exit()).as("ping from the IPv4 client:%n%s%ndaemon stderr:%n%s", ping.out(), daemon.err()).isZero();
        assertThat(ping.out()).contains("bytes from 192.0.2.10");

        // The stats file is rewritten every second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(stats) && Files.readString(stats).contains("translated-6to4")) && System.nanoTime() < deadline)
            Thread.sleep(100);
        assertThat(Files.readString(stats)).contains("translated-4to6 ", "translated-6to4 ", "tun-packets-read ");

        daemon.stop();
        assertThat(daemon.out()).contains("siitdc: stopped (SIGTERM)").containsPattern("(?m)^translated-4to6 [1-9]")
                .containsPattern("(?m)^translated-6to4 [1-9]");
        assertThat(daemon.err()).doesNotContain("could not undo");

        // Nothing remains.
        assertThat(Namespaces.run(List.of("ip", "-n", br, "link", "show", "siit0"), 10).exit()).as("siit0 is gone").isNotZero();
        assertThat(ok("ip", "-n", br, "-4", "route")).doesNotContain("siit0").doesNotContain("192.0.2.10");
        assertThat(ok("ip", "-n", br, "-6", "route")).doesNotContain("siit0").doesNotContain("2001:db8:46::");
        assertThat(ok("ip", "netns", "exec", br, "sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"))
                .isEqualTo("0\n0\n");
    }
}
