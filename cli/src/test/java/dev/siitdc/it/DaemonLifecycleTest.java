package dev.siitdc.it;

import dev.siitdc.cli.CliRun;
import dev.siitdc.cli.Main;
import dev.siitdc.lab.NetState;
import dev.siitdc.lab.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.siitdc.cli.CliRun.siitdc;
import static dev.siitdc.it.Daemon.waitFor;
import static dev.siitdc.it.Namespaces.ok;
import static dev.siitdc.it.Namespaces.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's life around its set-up: live changes of own-ipv4-address / own-ipv6-address move the routes (and
 * an Edge Relay's proxy NDP entry) it installed; after SIGKILL the next start undoes what the dead one left
 * (the state file beside the control socket); a TUN deleted under it stops it with one line and the rest undone;
 * under nohup it says SIGHUP cannot reload. The Border Relay topology of {@link BorderRelaySmokeTest}, and for the
 * Edge Relay two namespaces:
 *
 * <pre>
 *  up (the IPv6 network)                  er (siitdc run, edge-relay, upstream-interface up0)
 *  2001:db8:9::fe/64 (r0) ---veth--- 2001:db8:9::2/64 (up0)
 *                                    siit0: 198.51.100.10 &lt;-&gt; 2001:db8:9::10, own-ipv6-address 2001:db8:9::1
 * </pre>
 *
 * Needs root, /dev/net/tun, iproute2 and ping; without them it is skipped with a loud message. The namespaces are
 * deleted after each test, whatever happened.
 */
class DaemonLifecycleTest {
    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private int daemons;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the daemon life-cycle tests (live own addresses, crash recovery, deleted TUN, nohup)");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    // ---------------------------------------------------------------- item 8: live changes move what they should

    @Test
    void liveChangesOfTheOwnAddressesMoveTheirRoutesOnABorderRelay() throws Exception {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-life-");
        Path sock = dir.resolve("br.sock");
        Path cfg = dir.resolve("br.toml");
        Files.writeString(cfg, brConfig("own-ipv4-address = \"203.0.113.1\"\n", sock));
        Daemon d = start(t.br(), cfg, "siitdc: border-relay on ");
        assertThat(ok("ip", "-n", t.br(), "-4", "route")).contains("203.0.113.1 dev siit0");

        CliRun c = siitdc("global", "update", "own-ipv4-address", "203.0.113.2", "--socket", sock.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(ok("ip", "-n", t.br(), "-4", "route")).contains("203.0.113.2 dev siit0").doesNotContain("203.0.113.1");
        Shell.Result p = ping(t.v4client(), "203.0.113.2");
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(p.out()).contains("from 203.0.113.2");

        // 2001:db8:1::1 is br's own address: not routed; 2001:db8:99::1 is not: routed in, the translator answers
        assertThat(ok("ip", "-n", t.br(), "-6", "route")).doesNotContain("2001:db8:1::1 dev siit0");
        c = siitdc("global", "update", "own-ipv6-address", "2001:db8:99::1", "--socket", sock.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(ok("ip", "-n", t.br(), "-6", "route")).contains("2001:db8:99::1 dev siit0");
        p = ping(t.idc(), "2001:db8:99::1");
        assertThat(p.exit()).as(p.out()).isZero();

        // SIGHUP: the file's own addresses replace the running ones, and their routes move
        Files.writeString(cfg, brConfig("own-ipv4-address = \"203.0.113.3\"\n", sock)
                .replace("own-ipv6-address = \"2001:db8:1::1\"", "own-ipv6-address = \"2001:db8:99::2\""));
        d.signal("HUP");
        waitFor(() -> d.out().contains("siitdc: reloaded "), 20, "the reload: " + d.out() + d.err());
        String v4 = ok("ip", "-n", t.br(), "-4", "route"), v6 = ok("ip", "-n", t.br(), "-6", "route");
        assertThat(v4).contains("203.0.113.3 dev siit0").doesNotContain("203.0.113.2");
        assertThat(v6).contains("2001:db8:99::2 dev siit0").doesNotContain("2001:db8:99::1 ");
        p = ping(t.v4client(), "203.0.113.3");
        assertThat(p.exit()).as(p.out()).isZero();
        p = ping(t.idc(), "2001:db8:99::2");
        assertThat(p.exit()).as(p.out()).isZero();
        d.stop();
        assertThat(ok("ip", "-n", t.br(), "-4", "route")).doesNotContain("203.0.113.");
    }

    @Test
    void anEdgeRelayRoutesItsOwnIpv6AddressInAndMovesItLive() throws Exception {
        String[] ns = edgeTopology();
        String up = ns[0], er = ns[1];
        Path sock = dir.resolve("er.sock");
        Path cfg = Files.writeString(dir.resolve("er.toml"), erConfig(sock));
        Daemon d = start(er, cfg, "siitdc: edge-relay on ");
        assertThat(ok("ip", "-n", er, "-6", "route")).contains("2001:db8:9::1 dev siit0");
        assertThat(ok("ip", "-n", er, "-6", "neigh", "show", "proxy")).contains("2001:db8:9::1 dev up0");
        Shell.Result p = ping(up, "2001:db8:9::1");
        assertThat(p.exit()).as("ping the ER's own IPv6 address:%n%s%n%s", p.out(), d.err()).isZero();

        CliRun c = siitdc("global", "update", "own-ipv6-address", "2001:db8:9::5", "--socket", sock.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(ok("ip", "-n", er, "-6", "route")).contains("2001:db8:9::5 dev siit0").doesNotContain("2001:db8:9::1 ");
        assertThat(ok("ip", "-n", er, "-6", "neigh", "show", "proxy")).contains("2001:db8:9::5 dev up0")
                .doesNotContain("2001:db8:9::1 ");
        p = ping(up, "2001:db8:9::5");
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(Files.readString(dir.resolve("er.state"))).as("the state file follows")
                .contains("\nproxy up0 2001:db8:9::5\n").doesNotContain("\nproxy up0 2001:db8:9::1\n");
        d.stop();
        assertThat(ok("ip", "-n", er, "-6", "neigh", "show", "proxy")).doesNotContain("2001:db8:9::");
    }

    // ---------------------------------------------------------------- item 11: nothing left behind after a crash

    @Test
    void afterSigkillTheNextStartUndoesWhatTheDeadOneLeftAndWorks() throws Exception {
        String[] ns = edgeTopology();
        String up = ns[0], er = ns[1];
        Path sock = dir.resolve("er.sock"), state = dir.resolve("er.state");
        Path cfg = Files.writeString(dir.resolve("er.toml"), erConfig(sock));
        settled(er);
        List<String> before = snapshot(er);

        Daemon d = start(er, cfg, "siitdc: edge-relay on ");
        assertThat(Files.readString(state)).startsWith("siitdc-state 1\npid " + d.pid() + " ")
                .contains("\nsocket " + sock + "\n", "\ntun siit0\n", "\nproxy up0 2001:db8:9::10\n",
                        "\nsysctl net.ipv6.conf.all.forwarding 0\n");
        d.kill();
        // the debris: the socket file, the sysctls, the proxy NDP entries
        assertThat(sock).exists();
        assertThat(state).exists();
        List<String> debris = NetState.diff(before, snapshot(er));
        assertThat(debris).as("left by the killed daemon").anyMatch(l -> l.contains("proxy 2001:db8:9::10 dev up0"))
                .anyMatch(l -> l.contains("net.ipv6.conf.all.forwarding = 1"));

        Daemon again = start(er, cfg, "siitdc: edge-relay on ");
        assertThat(again.err()).contains("siitdc: warning: the previous siitdc daemon (pid " + d.pid()
                        + ") did not stop cleanly: undoing what it left (" + state + ")\n")
                .contains("siitdc: recovery: deleted the proxy NDP entry 2001:db8:9::10 on up0\n")
                .contains("siitdc: recovery: deleted the proxy NDP entry 2001:db8:9::1 on up0\n")
                .contains("siitdc: recovery: restored sysctl net.ipv6.conf.all.forwarding = 0 (was 1)\n")
                .contains("siitdc: recovery: restored sysctl net/ipv6/conf/up0/proxy_ndp = 0 (was 1)\n")
                .contains("siitdc: recovery: removed the stale control socket " + sock + "\n")
                .containsPattern("siitdc: recovery: \\d+ undone, \\d+ already gone\n");
        assertThat(Files.readString(state)).startsWith("siitdc-state 1\npid " + again.pid() + " ");
        // the new one works
        Shell.Result p = ping(up, "2001:db8:9::1");
        assertThat(p.exit()).as(p.out()).isZero();
        assertThat(siitdc("eamt", "display", "--csv", "--socket", sock.toString()).out()).contains("198.51.100.10/32");
        again.stop();
        assertThat(again.err()).doesNotContain("could not undo");
        assertThat(NetState.diff(before, snapshot(er))).as("what the namespace kept of the two daemons").isEmpty();
        assertThat(state).as("the state file is removed at a clean stop").doesNotExist();
    }

    @Test
    void aStateFileOfARunningDaemonIsRefused() throws Exception {
        String[] ns = edgeTopology();
        Path sock = dir.resolve("er.sock");
        Path cfg = Files.writeString(dir.resolve("er.toml"), erConfig(sock));
        Daemon d = start(ns[1], cfg, "siitdc: edge-relay on ");
        String other = namespaces.add("siitdc-life-2nd-" + Namespaces.tag());
        Shell.Result second = run(Namespaces.javaCommand(other, "dev.siitdc.cli.Main", "run", "--config", cfg.toString()), 60);
        assertThat(second.exit()).isEqualTo(2);
        assertThat(second.out()).contains(cfg + ":16: relay.control-socket: another siitdc daemon is listening on " + sock
                + " (pid " + d.pid() + ", state file " + dir.resolve("er.state") + ")");
        assertThat(dir.resolve("er.state")).as("the running daemon's state file stays").exists();
        d.stop();
    }

    @Test
    void aTunDeletedUnderTheDaemonStopsItWithOneLineAndTheRestUndone() throws Exception {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-life-");
        Path sock = dir.resolve("br.sock");
        Path cfg = Files.writeString(dir.resolve("br.toml"), brConfig("", sock));
        Daemon d = start(t.br(), cfg, "siitdc: border-relay on ");
        assertThat(ok("ip", "netns", "exec", t.br(), "sysctl", "-n", "net.ipv4.ip_forward")).isEqualTo("1\n");
        ok("ip", "-n", t.br(), "link", "delete", "siit0");
        assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).as("stopped after the TUN was deleted").isTrue();
        assertThat(d.exit()).as("exit status; stderr:%n%s", d.err()).isNotZero();
        assertThat(d.err()).contains("siitdc: run: TUN device siit0 was deleted\n").doesNotContain("\tat ")
                .doesNotContain("Exception").doesNotContain("could not undo");
        assertThat(ok("ip", "netns", "exec", t.br(), "sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"))
                .isEqualTo("0\n0\n");
        assertThat(sock).doesNotExist();
        assertThat(dir.resolve("br.state")).doesNotExist();
    }

    // ---------------------------------------------------------------- item 12: SIGHUP ignored

    @Test
    void underNohupTheDaemonSaysReloadIsOnlyThroughTheControlSocket() throws Exception {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-life-");
        Path sock = dir.resolve("br.sock");
        Path cfg = Files.writeString(dir.resolve("br.toml"), brConfig("", sock));
        List<String> cmd = new ArrayList<>(Namespaces.javaCommand(t.br(), "dev.siitdc.cli.Main", "run", "--config",
                cfg.toString()));
        cmd.add(4, "nohup");    // ip netns exec NS nohup java ...
        Daemon d = namespaces.siitdc(cmd, dir.resolve("daemon-nohup"));
        d.awaitStartUp("siitdc: border-relay on ");
        assertThat(d.err()).contains("siitdc: warning: SIGHUP is ignored (started under nohup?): reload is available"
                + " only through the control socket (siitdc reload, siitdc eamt, siitdc global update)");
        d.signal("HUP");
        Thread.sleep(500);
        assertThat(d.process().isAlive()).as("SIGHUP ignored").isTrue();
        // siitdc reload still re-reads the file, through the control socket
        Shell.Result reload = Namespaces.run(Namespaces.javaCommand(t.br(), "dev.siitdc.cli.Main", "reload", "--socket",
                sock.toString()), 60);
        assertThat(reload.exit()).as("siitdc reload under nohup:%n%s", reload.out()).isZero();
        assertThat(reload.out()).contains("reloaded " + cfg);
        d.stop();

        Daemon plain = start(t.br(), cfg, "siitdc: border-relay on ");
        assertThat(plain.err()).doesNotContain("SIGHUP is ignored");
        plain.stop();
    }

    // ---------------------------------------------------------------- helpers

    /** The Border Relay configuration of {@link Daemon#BORDER_RELAY_CONFIG} with more [translator] lines. */
    private static String brConfig(String translatorExtra, Path sock) {
        return Daemon.BORDER_RELAY_CONFIG.formatted(translatorExtra, "", "queues = 2\ncontrol-socket = \"" + sock + "\"");
    }

    /** The Edge Relay's configuration; control-socket is line 16. */
    private static String erConfig(Path sock) {
        return Daemon.EDGE_RELAY_CONFIG.formatted("", "siit0",
                "upstream-interface = \"up0\"\noffload = false\ncontrol-socket = \"" + sock + "\"");
    }

    /** The namespaces up and er of the class comment: {up, er}. */
    private String[] edgeTopology() {
        String tag = Namespaces.tag();
        String up = namespaces.add("siitdc-life-up-" + tag), er = namespaces.add("siitdc-life-er-" + tag);
        ok("ip", "link", "add", "r0", "netns", up, "type", "veth", "peer", "name", "up0", "netns", er);
        ok("ip", "-n", up, "addr", "add", "2001:db8:9::fe/64", "dev", "r0", "nodad");
        ok("ip", "-n", up, "link", "set", "r0", "up");
        ok("ip", "-n", er, "addr", "add", "2001:db8:9::2/64", "dev", "up0", "nodad");
        ok("ip", "-n", er, "link", "set", "up0", "up");
        return new String[] {up, er};
    }

    /** Waits until up0 of {@code er} has its carrier and its link-local address (the snapshot before is stable). */
    private static void settled(String er) throws Exception {
        waitFor(() -> !ok("ip", "-n", er, "link", "show", "up0").contains("NO-CARRIER")
                && ok("ip", "-n", er, "-6", "addr", "show", "dev", "up0", "scope", "link").contains("fe80::")
                && !ok("ip", "-n", er, "-6", "addr", "show", "dev", "up0").contains("tentative"), 20, "up0 to settle");
    }

    private Daemon start(String ns, Path cfg, String ready) throws Exception {
        Daemon d = namespaces.siitdc(ns, cfg, dir.resolve("daemon" + ++daemons));
        d.awaitStartUp(ready);
        return d;
    }

    /** What a relay may change in namespace {@code ns}, as NetState does for the lab: one line per item, sorted. */
    private static List<String> snapshot(String ns) {
        TreeSet<String> out = new TreeSet<>();
        add(out, "link", ok("ip", "-n", ns, "-o", "link", "show"), true);
        add(out, "addr", ok("ip", "-n", ns, "-o", "addr", "show"), true);
        add(out, "route4", ok("ip", "-n", ns, "-4", "route", "show", "table", "all"), false);
        add(out, "route6", ok("ip", "-n", ns, "-6", "route", "show", "table", "all"), false);
        add(out, "proxy", ok("ip", "-n", ns, "-6", "neigh", "show", "proxy"), false);
        add(out, "sysctl", ok("ip", "netns", "exec", ns, "sysctl", "-a", "-r",
                "^net\\.ipv4\\.ip_forward$|^net\\.ipv4\\.conf\\..*\\.(forwarding|proxy_arp|rp_filter)$"
                        + "|^net\\.ipv6\\.conf\\..*\\.(forwarding|proxy_ndp|accept_ra)$"), false);
        return List.copyOf(out);
    }

    private static void add(TreeSet<String> out, String kind, String text, boolean ipOneLine) {
        for (String line : text.lines().toList()) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            if (ipOneLine) {
                l = l.replaceAll("\\\\\\s+", " ").replaceAll("valid_lft \\S+ preferred_lft \\S+", "")
                        .replaceAll("^\\d+: ", "").replaceAll("link-netns(id)? \\S+", "").replaceAll("\\s+", " ").strip();
            }
            out.add(kind + " " + l);
        }
    }

    private static Shell.Result ping(String ns, String target) {
        return run(List.of("ip", "netns", "exec", ns, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", target), 30);
    }
}
