package dev.siitdc.it;

import dev.siitdc.dataplane.fastpath.FastPath;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.siitdc.it.Namespaces.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc run} as a Border Relay with the kernel fast path ({@code [relay] fast-path}), in the topology of
 * {@link BorderRelaySmokeTest}: with "ebpf" on v4 and v6 the pings and UDP from the IPv4 client are translated
 * by the tc program (its counters rise, the TUN's do not: only the ICMP errors answering the UDP, which the
 * program leaves to the TUN, are translated there); with "off" the TUN translates them and nothing is
 * attached; "ebpf" that cannot attach refuses to start, naming the reason, and leaves nothing. After a stop no
 * tcx link nor tc filter is left in the namespace. Needs root, bpftool and a kernel that loads the program.
 */
class FastPathDaemonTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String v4client, br;
    /** The tcx links that appeared while the daemon started. */
    private final Set<Long> ours = new TreeSet<>();

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the fast-path daemon test");
        Namespaces.requireTool("the fast-path daemon test", "bpftool", "bpftool");
        String why = FastPath.unavailableReason();
        Assumptions.assumeTrue(why == null, "the fast path is unavailable here: " + why);
    }

    @BeforeEach
    void topology() {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-fp-");
        v4client = t.v4client();
        br = t.br();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    @Test
    void ebpfTranslatesPingAndUdpInTheKernelAndTheTunSeesNone() throws Exception {
        Path stats = dir.resolve("siit0.stats");
        Daemon daemon = start("fast-path = \"ebpf\"\nfast-path-interfaces = [\"v4\", \"v6\"]\nstats-file = \"" + stats + "\"");
        assertThat(daemon.err()).contains("siitdc: fast path: tcx ingress of v4, tcx ingress of v6");
        assertThat(ours).as("the daemon's tcx links").hasSize(2);

        trafficFromTheIpv4Client(daemon);
        String lines = awaitStats(stats, "fast-path-translated64 ");
        assertThat(count(lines, "fast-path-translated46")).as(lines).isGreaterThanOrEqualTo(3 + 5);  // 3 pings, 5 UDP
        assertThat(count(lines, "fast-path-translated64")).as(lines).isGreaterThanOrEqualTo(3);     // 3 replies
        assertThat(count(lines, "translated-4to6")).as(lines).isZero();
        // the only IPv6 the TUN translates: the host's ICMPv6 Port Unreachable for the UDP, errors the program punts
        assertThat(count(lines, "translated-6to4")).as(lines).isLessThanOrEqualTo(5);
        assertThat(count(lines, "fast-path-punt-icmp-type")).as(lines).isGreaterThanOrEqualTo(count(lines, "translated-6to4"));

        // siitdc stats display, over the control socket, shows them too
        String display = ok(Namespaces.javaCommand(br, "dev.siitdc.cli.Main", "stats", "display").toArray(String[]::new));
        assertThat(display).containsPattern("(?m)^fast-path-translated46 +[1-9]").doesNotContain("translated-4to6");

        daemon.stop();
        assertThat(daemon.out()).containsPattern("(?m)^fast-path-translated46 [1-9]");
        assertThat(daemon.err()).doesNotContain("could not undo");
        assertNothingAttached();
    }

    @Test
    void offLeavesEveryPacketToTheTun() throws Exception {
        Path stats = dir.resolve("siit0.stats");
        Daemon daemon = start("fast-path = \"off\"\nfast-path-interfaces = [\"v4\", \"v6\"]\nstats-file = \"" + stats + "\"");
        assertThat(daemon.err()).doesNotContain("fast path");
        assertThat(ours).as("tcx links made by a daemon with fast-path = off").isEmpty();
        assertNothingAttached();

        trafficFromTheIpv4Client(daemon);
        String lines = awaitStats(stats, "translated-6to4 ");
        assertThat(count(lines, "translated-4to6")).as(lines).isGreaterThanOrEqualTo(3 + 5);
        assertThat(count(lines, "translated-6to4")).as(lines).isGreaterThanOrEqualTo(3);
        assertThat(lines).doesNotContain("fast-path-");
        daemon.stop();
        assertNothingAttached();
    }

    @Test
    void ebpfThatCannotAttachRefusesToStartAndLeavesNothing() throws Exception {
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "fast-path = \"ebpf\"\nfast-path-interfaces = [\"v4\", \"nosuch0\"]"));
        Set<Long> before = tcxLinks();
        Daemon daemon = namespaces.siitdc(br, config, dir.resolve("daemon"));
        Daemon.waitFor(() -> !daemonAlive(daemon), 30, "the daemon to refuse");
        assertThat(daemon.exit()).as(daemon.err()).isEqualTo(2);
        assertThat(daemon.err()).contains("fast-path-interfaces[1]: no interface nosuch0");
        ours.addAll(tcxLinks());
        ours.removeAll(before);   // none expected: what was made is gone
        assertThat(Namespaces.run(List.of("ip", "-n", br, "link", "show", "siit0"), 10).exit()).as("siit0 is gone").isNotZero();
        assertNothingAttached();
    }

    @Test
    void ebpfThatCannotLoadRefusesToStartWithTheKernelsReasonAndLeavesNothing() throws Exception {
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "fast-path = \"ebpf\"\nfast-path-interfaces = [\"v4\", \"v6\"]"));
        // root without CAP_BPF and CAP_SYS_ADMIN: the TUN and routes can be made (CAP_NET_ADMIN), the program not loaded
        List<String> cmd = new java.util.ArrayList<>(Namespaces.javaCommand(br, "dev.siitdc.cli.Main", "run", "--config",
                config.toString()));
        cmd.addAll(4, List.of("setpriv", "--inh-caps=-bpf,-sys_admin", "--bounding-set=-bpf,-sys_admin"));
        Daemon daemon = Daemon.start(cmd, dir.resolve("daemon"));
        try {
            Daemon.waitFor(() -> !daemonAlive(daemon), 30, "the daemon to refuse");
        } finally {
            if (daemonAlive(daemon)) daemon.kill();
        }
        assertThat(daemon.exit()).as(daemon.err()).isEqualTo(2);
        assertThat(daemon.err()).containsPattern("fast-path: \"ebpf\": fast path unavailable: cannot load: .*"
                + "(Operation not permitted|EPERM|permission)");
        assertThat(Namespaces.run(List.of("ip", "-n", br, "link", "show", "siit0"), 10).exit()).as("siit0 is gone").isNotZero();
        assertThat(ok("ip", "-n", br, "-6", "route")).doesNotContain("2001:db8:46::");
        assertNothingAttached();
    }

    private static boolean daemonAlive(Daemon d) {
        try {
            d.exit();
            return false;
        } catch (IllegalThreadStateException e) {
            return true;
        }
    }

    private Daemon start(String relayLines) throws Exception {
        Path config = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted(
                "lowest-ipv6-mtu = 1500\n", "", "queues = 1\n" + relayLines));
        Set<Long> before = tcxLinks();
        Daemon daemon = namespaces.siitdc(br, config, dir.resolve("daemon"));
        daemon.awaitStartUp("siitdc: border-relay on ");
        ours.addAll(tcxLinks());
        ours.removeAll(before);
        return daemon;
    }

    /** 3 pings to the IPv6-only host's 192.0.2.10, then 5 UDP datagrams to its port 9 (answered by ICMP errors). */
    private void trafficFromTheIpv4Client(Daemon daemon) throws Exception {
        Shell.Result ping = Namespaces.run(List.of("ip", "netns", "exec", v4client, "ping", "-n", "-c", "3", "-i", "0.2",
                "-W", "3", "192.0.2.10"), 30);
        assertThat(ping.exit()).as("ping:%n%s%ndaemon stderr:%n%s", ping.out(), daemon.err()).isZero();
        for (int i = 0; i < 5; i++) {
            ok("ip", "netns", "exec", v4client, "bash", "-c", "echo fast > /dev/udp/192.0.2.10/9");
        }
    }

    private static String awaitStats(Path stats, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1200);   // one more rewrite after the last packet
            if (Files.exists(stats) && Files.readString(stats).contains(line)) break;
        }
        return Files.exists(stats) ? Files.readString(stats) : "";
    }

    private static long count(String lines, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(lines);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The ids of the tcx links (BPF_LINK_TYPE_TCX, 11) now: bpftool 7.1 lists them machine-wide, without ifindex. */
    private static Set<Long> tcxLinks() {
        Set<Long> ids = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\"id\":(\\d+),\"type\":11\\b").matcher(ok("bpftool", "-j", "link", "show"));
        while (m.find()) ids.add(Long.parseLong(m.group(1)));
        return ids;
    }

    /** No tcx link the daemon made is left (ids of {@link #ours}), no tc filter on v4 or v6. */
    private void assertNothingAttached() {
        Set<Long> left = tcxLinks();
        left.retainAll(ours);
        assertThat(left).as("tcx links the daemon made, still there").isEmpty();
        for (String dev : List.of("v4", "v6")) {
            assertThat(ok("tc", "-n", br, "filter", "show", "dev", dev, "ingress")).isEmpty();
        }
    }
}
