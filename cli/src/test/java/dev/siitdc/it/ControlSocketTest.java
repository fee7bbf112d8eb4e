package dev.siitdc.it;

import dev.siitdc.cli.CliRun;
import dev.siitdc.cli.Main;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.siitdc.cli.CliRun.siitdc;
import static dev.siitdc.it.Daemon.read;
import static dev.siitdc.it.Daemon.waitFor;
import static dev.siitdc.it.Namespaces.ok;
import static dev.siitdc.it.Namespaces.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run-time management of a running {@code siitdc run}: the {@code siitdc eamt}, {@code global} and
 * {@code stats} commands over the control socket, 10,000 EAMs added and removed while a TCP stream and
 * pings flow (nothing lost), and SIGHUP reloads. The Border Relay topology of {@link BorderRelaySmokeTest}:
 *
 * <pre>
 *  v4client                      br (siitdc run)                           idc (IPv6 only)
 *  198.51.100.2/24 ---veth--- 198.51.100.1/24   2001:db8:1::1/64 ---veth--- 2001:db8:1::10/64
 *  default via .1             siit0: pool6 2001:db8:46::/96,               2001:db8:1::20/64
 *                             EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10           default via 2001:db8:1::1
 * </pre>
 *
 * An Edge Relay (its own namespace) shows the refusal to remove a Service Address's EAM. Needs root,
 * /dev/net/tun, iproute2 and ping; without them it is skipped with a loud message. The namespaces are
 * deleted after each test, whatever happened.
 */
class ControlSocketTest {
    /** The [translator] line 4 and the [relay] lines; with no extras, relay.control-socket is line 14. */
    private static final String LOWEST_MTU = "lowest-ipv6-mtu = 1500\n", RELAY = "queues = 2\ncontrol-socket = \"%s\"";

    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String v4client, br, idc;
    private Path socket;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the control socket tests (siitdc eamt/global/stats, SIGHUP)");
    }

    @BeforeEach
    void topology() {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-ctl-", "2001:db8:1::20/64");
        v4client = t.v4client();
        br = t.br();
        idc = t.idc();
        socket = dir.resolve("br.sock");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    // ---------------------------------------------------------------- the commands

    @Test
    void everyCommandAgainstARunningBorderRelay() throws Exception {
        Daemon d = startBorderRelay("", "");
        String k = socket.toString();

        // No daemon there: exit 3
        Path none = dir.resolve("none.sock");
        CliRun c = siitdc("eamt", "display", "--socket", none.toString());
        assertThat(c.exit()).isEqualTo(3);
        assertThat(c.err()).isEqualTo("siitdc: no siitdc daemon is listening on " + none + " (is `siitdc run` running?)\n");

        // eamt display / --csv
        c = siitdc("eamt", "display", "--socket", k);
        assertThat(c.exit()).isZero();
        assertThat(c.out()).isEqualTo("IPV4 PREFIX    IPV6 PREFIX\n192.0.2.10/32  2001:db8:1::10/128\n(1 EAM)\n");
        assertThat(siitdc("eamt", "display", "--csv", "--socket", k).out()).isEqualTo("ipv4,ipv6\n192.0.2.10/32,2001:db8:1::10/128\n");

        // eamt add (IPv6 first is fine): the new Service Address answers at once
        assertThat(ping(v4client, "192.0.2.20", 1).exit()).as("no EAM for 192.0.2.20 yet").isNotZero();
        c = siitdc("eamt", "add", "2001:db8:1::20", "192.0.2.20", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("added 192.0.2.20/32 <-> 2001:db8:1::20/128 (2 EAMs)\nnote: The change is runtime-only:"
                + " it is lost when siitdc restarts or reloads its configuration file (SIGHUP), unless you also write it to"
                + " the configuration file.\n");
        assertThat(ok("ip", "-n", br, "-4", "route")).contains("192.0.2.20 dev siit0");
        Shell.Result p = ping(v4client, "192.0.2.20", 3);
        assertThat(p.exit()).as(p.out()).isZero();

        // the error paths: bad address, duplicate, suffixes that cannot pair; nothing changes
        c = siitdc("eamt", "add", "192.0.2.300", "2001:db8:1::30", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: eamt add: '192.0.2.300' is not an IPv4 address: octet 300 is greater than 255\n");
        c = siitdc("eamt", "add", "192.0.2.20", "2001:db8:1::20", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: eamt add: EAM 192.0.2.20/32 <-> 2001:db8:1::20/128 already exists\n");
        c = siitdc("eamt", "add", "203.0.113.0/24", "2001:db8:113::/124", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: eamt add: cannot pair 203.0.113.0/24 with 2001:db8:113::/124: IPv4 suffix of 8"
                + " bits does not fit the IPv6 suffix of 4 bits (RFC 7757 s3.2)\n");
        c = siitdc("eamt", "add", "203.0.113.1/24", "2001:db8:113::/120", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: eamt add: \"203.0.113.1/24\": host bits are set after /24\n");
        // overlapping but different prefixes are fine
        c = siitdc("eamt", "add", "192.0.2.0/24", "2001:db8:2::/120", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(siitdc("eamt", "display", "--csv", "--socket", k).out()).isEqualTo("ipv4,ipv6\n192.0.2.10/32,2001:db8:1::10/128\n"
                + "192.0.2.20/32,2001:db8:1::20/128\n192.0.2.0/24,2001:db8:2::/120\n");

        // eamt remove by either prefix
        c = siitdc("eamt", "remove", "2001:db8:2::/120", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).startsWith("removed (2 EAMs)\nnote: The change is runtime-only");
        c = siitdc("eamt", "remove", "192.0.2.20", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(ok("ip", "-n", br, "-4", "route")).doesNotContain("192.0.2.20").doesNotContain("192.0.2.0/24");
        assertThat(ping(v4client, "192.0.2.20", 1).exit()).isNotZero();
        c = siitdc("eamt", "remove", "192.0.2.20", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: eamt remove: no EAM has the IPv4 prefix 192.0.2.20/32\n");

        // eamt flush (pool6 is set, so the EAMT may be empty), then the EAM back
        c = siitdc("eamt", "flush", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(siitdc("eamt", "display", "--csv", "--socket", k).out()).isEqualTo("ipv4,ipv6\n");
        assertThat(siitdc("eamt", "add", "192.0.2.10", "2001:db8:1::10", "--socket", k).exit()).isZero();

        // global display / update: validated as in the file, and the kernel follows (TUN MTU)
        c = siitdc("global", "display", "--socket", k);
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("pool6 = \"2001:db8:46::/96\"\n", "ipv6-mtu = 1500\n", "lowest-ipv6-mtu = 1500\n",
                "# own-ipv4-address (unset: ICMPv4 errors come from 192.0.0.8, RFC 7600)\n");
        c = siitdc("global", "update", "ipv6-mtu", "1600", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).startsWith("ipv6-mtu 1500 -> 1600\nnote: The change is runtime-only");
        assertThat(ok("ip", "-n", br, "link", "show", "siit0")).contains("mtu 1600");
        assertThat(siitdc("global", "display", "--socket", k).out()).contains("ipv6-mtu = 1600\n");
        c = siitdc("global", "update", "ipv6-mtu", "1000", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: global update: ipv6-mtu: must be between 1280 (RFC 8200) and 65575, got 1000\n");
        c = siitdc("global", "update", "pool6", "2001:db8:46::/41", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: global update: pool6: prefix length /41 is not one RFC 6052 section 2.2 allows"
                + " (32, 40, 48, 56, 64 or 96)\n");
        // (not 64:ff9b::/96: RFC 6052 s3.1 keeps the Well-Known Prefix away from the test client's non-global address)
        c = siitdc("global", "update", "pool6", "2001:db8:64::/96", "--socket", k);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(ok("ip", "-n", br, "-6", "route")).contains("2001:db8:64::/96 dev siit0").doesNotContain("2001:db8:46::");

        // stats display: non-zero by default, --all, --json
        p = ping(v4client, "192.0.2.10", 2);
        assertThat(p.exit()).as(p.out()).isZero();
        c = siitdc("stats", "display", "--socket", k);
        assertThat(c.exit()).isZero();
        assertThat(c.out()).containsPattern("(?m)^translated-4to6 +[1-9]").containsPattern("(?m)^tun-packets-read +[1-9]")
                .doesNotContainPattern("(?m) 0$");
        assertThat(siitdc("stats", "display", "--all", "--socket", k).out()).containsPattern("(?m) 0$");
        c = siitdc("stats", "display", "--json", "--socket", k);
        assertThat(c.out()).startsWith("{\n  \"").containsPattern("\"translated-6to4\": [1-9]").endsWith("}\n");

        d.stop();
        assertThat(socket).as("the socket file is removed at exit").doesNotExist();
        c = siitdc("stats", "display", "--socket", k);
        assertThat(c.exit()).isEqualTo(3);
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefusedAndAStaleSocketReplaced() throws Exception {
        Daemon d = startBorderRelay("", "");
        String extra = namespaces.add("siitdc-ctl-2nd-" + Namespaces.tag());
        Path cfg = dir.resolve("br.toml");
        Shell.Result second = run(Namespaces.javaCommand(extra, "dev.siitdc.cli.Main", "run", "--config", cfg.toString()), 60);
        assertThat(second.exit()).isEqualTo(2);
        assertThat(second.out()).contains(cfg + ":14: relay.control-socket: another siitdc daemon is listening on " + socket);
        assertThat(siitdc("eamt", "display", "--socket", socket.toString()).exit()).as("the first one still answers").isZero();
        // killed without clean-up: the socket file stays, stale; the next daemon replaces it
        d.kill();
        assertThat(socket).exists();
        run(List.of("ip", "-n", br, "link", "delete", "siit0"), 10);
        startBorderRelay("", "");
        assertThat(siitdc("eamt", "display", "--socket", socket.toString()).exit()).isZero();
    }

    @Test
    void anEdgeRelayRefusesToRemoveTheEamOfItsServiceAddress() throws Exception {
        String er = namespaces.add("siitdc-ctl-er-" + Namespaces.tag());
        Path sock = dir.resolve("er.sock");
        Path cfg = dir.resolve("er.toml");
        Files.writeString(cfg, Daemon.EDGE_RELAY_CONFIG.formatted("\n[[eamt]]\nipv4 = \"192.0.2.0/24\"\nipv6 = \"2001:db8:2::/120\"\n",
                "er0", "control-socket = \"" + sock + "\""));
        Daemon d = start(er, cfg, "siitdc: edge-relay on ");
        CliRun c = siitdc("eamt", "remove", "198.51.100.10", "--socket", sock.toString());
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("siitdc: eamt remove: EAM 198.51.100.10/32 <-> 2001:db8:9::10/128 is the one of this Edge"
                + " Relay's Service Address 198.51.100.10 ([relay] service-addresses): the node would lose its IPv4"
                + " connectivity, so it cannot be removed while siitdc runs (remove the Service Address from the"
                + " configuration file and restart)\n");
        c = siitdc("eamt", "flush", "--socket", sock.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.err()).contains("kept 1 EAM of this Edge Relay's Service Addresses");
        assertThat(siitdc("eamt", "display", "--csv", "--socket", sock.toString()).out())
                .isEqualTo("ipv4,ipv6\n198.51.100.10/32,2001:db8:9::10/128\n");
        // lowest-ipv6-mtu moves the IPv4 default route's MTU, in place
        c = siitdc("global", "update", "lowest-ipv6-mtu", "1400", "--socket", sock.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(ok("ip", "-n", er, "-4", "route", "show", "default")).contains("dev er0").contains("mtu 1380");
        d.stop();
    }

    // ---------------------------------------------------------------- churn

    @Test
    void tenThousandEamsComeAndGoWithoutLosingAPacket() throws Exception {
        startBorderRelay("", "");
        int n = 10_000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++)   // 10.0.0.0/18 <-> 2001:db8:e::/114, one /32 <-> /128 each: touches no flow here
            sb.append(String.format(Locale.ROOT, "10.0.%d.%d 2001:db8:e::%x%n", i >> 8, i & 0xff, i));
        Path file = dir.resolve("eams.txt");
        Files.writeString(file, sb);

        // The TCP stream: IPv4 client -> 192.0.2.10 (the EAM) -> IPv6 server, echoed back and checked.
        Path serverOut = dir.resolve("server.out"), clientOut = dir.resolve("client.out");
        Process server = namespaces.java(idc, serverOut, "dev.siitdc.it.StreamPeer", "server", "5001");
        waitFor(() -> read(serverOut).contains("listening"), 30, "the stream server to listen: " + read(serverOut));
        Process client = namespaces.java(v4client, clientOut, "dev.siitdc.it.StreamPeer", "client", "192.0.2.10", "5001",
                "4000000");

        // Pings both ways, back to back until the churn is over: v4 -> EAM, v6 -> pool6.
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicLong[] sent = {new AtomicLong(), new AtomicLong()}, received = {new AtomicLong(), new AtomicLong()};
        List<String> pingProblems = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread[] pingers = {
            pinger(churning, v4client, "198.51.100.2", "192.0.2.10", sent[0], received[0], pingProblems),
            pinger(churning, idc, "2001:db8:1::10", "2001:db8:46::198.51.100.2", sent[1], received[1], pingProblems)};
        Thread.sleep(1000);   // the stream and the pings are running

        long t0 = System.nanoTime();
        CliRun add = siitdc("eamt", "add", "--file", file.toString(), "--socket", socket.toString());
        long t1 = System.nanoTime();
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).startsWith("added 10000 of 10000 EAMs from " + file + " (10001 EAMs now)");
        assertThat(siitdc("eamt", "display", "--csv", "--socket", socket.toString()).out().lines().count()).isEqualTo(n + 2);
        // add --file is one swap (eamt apply): the kernel gets the fewest routes that cover the 10,000 /32s
        long routed = 0;
        for (String l : ok("ip", "-n", br, "-4", "route").lines().filter(l -> l.startsWith("10.0.")).toList()) {
            assertThat(l).contains(" dev siit0");
            String p = l.split(" ")[0];
            routed += 1L << (32 - (p.contains("/") ? Integer.parseInt(p.substring(p.indexOf('/') + 1)) : 32));
        }
        assertThat(routed).as("addresses of 10.0.0.0/16 routed into siit0").isEqualTo(n);
        long t2 = System.nanoTime();
        CliRun remove = siitdc("eamt", "remove", "--file", file.toString(), "--socket", socket.toString());
        long t3 = System.nanoTime();
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(remove.out()).startsWith("removed 10000 of 10000 EAMs from " + file + " (1 EAM now)");
        assertThat(ok("ip", "-n", br, "-4", "route")).doesNotContain("10.0.");
        System.err.printf(Locale.ROOT, "control socket churn: %d EAMs added in %.2f s, removed in %.2f s%n", n,
                (t1 - t0) / 1e9, (t3 - t2) / 1e9);
        Thread.sleep(1000);
        churning.set(false);
        for (Thread t : pingers) t.join(30_000);

        client.getOutputStream().close();   // the client stops sending, checks the whole echo
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the stream client ends").isTrue();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the stream server ends").isTrue();
        assertThat(read(clientOut)).as("client").startsWith("client OK sent ");
        assertThat(client.exitValue()).isZero();
        assertThat(read(serverOut)).as("server").contains("server OK ");
        Matcher m = Pattern.compile("client OK sent (\\d+) echoed (\\d+)").matcher(read(clientOut));
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("bytes streamed").isGreaterThan(4_000_000L);
        assertThat(read(serverOut)).contains("server OK " + m.group(1) + " bytes");

        assertThat(pingProblems).isEmpty();
        System.err.printf(Locale.ROOT, "control socket churn: pings 4->6 %d/%d, 6->4 %d/%d, TCP %s bytes echoed%n",
                received[0].get(), sent[0].get(), received[1].get(), sent[1].get(), m.group(2));
        assertThat(sent[0].get()).isGreaterThan(100);
        assertThat(sent[1].get()).isGreaterThan(100);
        assertThat(received[0].get()).as("IPv4 -> IPv6 pings answered").isEqualTo(sent[0].get());
        assertThat(received[1].get()).as("IPv6 -> IPv4 pings answered").isEqualTo(sent[1].get());
    }

    private Thread pinger(AtomicBoolean running, String ns, String source, String target, AtomicLong sent, AtomicLong received,
            List<String> problems) {
        Pattern summary = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
        return Thread.ofPlatform().start(() -> {
            try {
                while (running.get()) {
                    Shell.Result r = run(List.of("ip", "netns", "exec", ns, "ping", "-n", "-q", "-I", source, "-i", "0.005",
                            "-c", "200", "-W", "2", target), 60);
                    Matcher m = summary.matcher(r.out());
                    if (!m.find()) {
                        problems.add("ping " + target + ": " + r.out());
                        return;
                    }
                    sent.addAndGet(Long.parseLong(m.group(1)));
                    received.addAndGet(Long.parseLong(m.group(2)));
                }
            } catch (Exception e) {
                problems.add("ping " + target + ": " + e);
            }
        });
    }

    // ---------------------------------------------------------------- SIGHUP

    @Test
    void sighupReloadsAGoodFileAndKeepsTheRunningConfigurationOnABadOne() throws Exception {
        Daemon d = startBorderRelay("", "");
        String k = socket.toString();
        Path cfg = dir.resolve("br.toml");

        // A good file: one more EAM, another ipv4-mtu; and a [relay] change that needs a restart
        Files.writeString(cfg, config("ipv4-mtu = 1400\n", """

                [[eamt]]
                ipv4 = "192.0.2.20"
                ipv6 = "2001:db8:1::20"
                """).replace("queues = 2", "queues = 3"));
        d.signal("HUP");
        waitFor(() -> d.out().contains("needs a restart, ignored\n"), 20, "the reload: " + d.out() + d.err());
        assertThat(d.out()).contains("siitdc: reloaded " + cfg + ": ipv4-mtu 1500 -> 1400; EAMT: 1 added, 0 removed, 2 EAMs\n")
                .contains("siitdc: reload: [relay] queues 2 -> 3: needs a restart, ignored\n");
        assertThat(d.process().isAlive()).isTrue();
        assertThat(siitdc("global", "display", "--socket", k).out()).contains("ipv4-mtu = 1400\n");
        Shell.Result p = ping(v4client, "192.0.2.20", 2);
        assertThat(p.exit()).as(p.out()).isZero();

        // A bad file: refused with FILE:LINE: KEY: REASON, the running configuration stays and traffic flows
        Files.writeString(cfg, config("ipv4-mtu = 20\n", ""));
        d.signal("HUP");
        waitFor(() -> d.err().contains("reload refused"), 20, "the refusal: " + d.out() + d.err());
        assertThat(d.err()).contains("siitdc: reload refused: " + cfg + ":5: ipv4-mtu: must be between 68 (RFC 791) and"
                + " 65535, got 20\nsiitdc: reload: still running the previous configuration\n");
        assertThat(d.process().isAlive()).isTrue();
        assertThat(siitdc("global", "display", "--socket", k).out()).contains("ipv4-mtu = 1400\n");
        assertThat(siitdc("eamt", "display", "--csv", "--socket", k).out())
                .isEqualTo("ipv4,ipv6\n192.0.2.10/32,2001:db8:1::10/128\n192.0.2.20/32,2001:db8:1::20/128\n");
        p = ping(v4client, "192.0.2.10", 2);
        assertThat(p.exit()).as(p.out()).isZero();
        p = ping(v4client, "192.0.2.20", 2);
        assertThat(p.exit()).as(p.out()).isZero();

        // Back to the original file: the EAM added by the reload goes, runtime changes too
        Files.writeString(cfg, config("", ""));
        d.signal("HUP");
        waitFor(() -> d.out().contains("EAMT: 0 added, 1 removed, 1 EAM"), 20, "the second reload: " + d.out() + d.err());
        assertThat(ok("ip", "-n", br, "-4", "route")).doesNotContain("192.0.2.20");
        d.stop();
        assertThat(d.exit()).isZero();
    }

    /**
     * A reload and the live commands apply check-config's rules (issue 10 items 6, 7, 9): a file the TOML
     * reader cannot take (100,000 nested '['), an own-ipv4-address the node holds (198.51.100.1 on v4 in
     * the br namespace, as the daemon sees it), an EAM equal to own-ipv4-address; global update and eamt
     * add likewise. Each is refused with the reason, the daemon lives on with its configuration, traffic
     * flows, and a good reload still works afterwards.
     */
    @Test
    void reloadAndLiveChangesApplyCheckConfigsRulesAndTheDaemonSurvivesABrokenFile() throws Exception {
        Daemon d = startBorderRelay("", "");
        String k = socket.toString();
        Path cfg = dir.resolve("br.toml");

        Files.writeString(cfg, config("", "").replace("[relay]", "x = " + "[".repeat(100_000) + "\n[relay]"));
        d.signal("HUP");
        waitFor(() -> d.err().contains("still running the previous configuration"), 30, "the refusal: " + d.err());
        assertThat(d.err()).contains("siitdc: reload refused: " + cfg + ":10: syntax: invalid TOML: arrays and inline"
                + " tables are nested more than 64 deep\n").doesNotContain("StackOverflowError").doesNotContain("\tat ");
        assertThat(d.process().isAlive()).isTrue();

        int refusals = 1;
        String[][] files = {
                {config("own-ipv4-address = \"198.51.100.1\"\n", ""), cfg + ":5: own-ipv4-address: 198.51.100.1 is an"
                        + " address of this node (on v4)"},
                {config("own-ipv4-address = \"203.0.113.1\"\n", "\n[[eamt]]\nipv4 = \"203.0.113.1\"\nipv6 = \"2001:db8:1::31\"\n"),
                        cfg + ":12: eamt[2].ipv4: 203.0.113.1/32 is own-ipv4-address"},
                {config("", "\n[[eamt]]\nipv4 = \"169.254.0.0/16\"\nipv6 = \"2001:db8:1::/112\"\n"),
                        cfg + ":11: eamt[2].ipv4: 169.254.0.0/16 overlaps the link-local block"},
        };
        for (String[] f : files) {
            Files.writeString(cfg, f[0]);
            d.signal("HUP");
            int n = ++refusals;
            waitFor(() -> d.err().split("still running the previous configuration", -1).length > n, 30,
                    "refusal " + n + ": " + d.err());
            assertThat(d.err()).contains("siitdc: reload refused: " + f[1]);
        }

        CliRun c = siitdc("global", "update", "own-ipv4-address", "198.51.100.1", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).startsWith("siitdc: global update: own-ipv4-address: 198.51.100.1 is an address of this node (on v4)");
        c = siitdc("global", "update", "own-ipv4-address", "192.0.2.10", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).startsWith("siitdc: global update: eamt[1].ipv4: 192.0.2.10/32 is own-ipv4-address");
        c = siitdc("global", "update", "own-ipv6-address", "::", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).startsWith("siitdc: global update: own-ipv6-address: :: is the unspecified address");
        c = siitdc("eamt", "add", "127.0.0.1", "2001:db8:1::40", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("overlaps the loopback block 127.0.0.0/8");
        c = siitdc("eamt", "add", "192.0.2.40", "2001:db8:46::c000:228", "--socket", k);
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("lies inside pool6 2001:db8:46::/96");

        // nothing changed: the running configuration, the routes, the traffic
        assertThat(siitdc("eamt", "display", "--csv", "--socket", k).out()).isEqualTo("ipv4,ipv6\n192.0.2.10/32,2001:db8:1::10/128\n");
        assertThat(siitdc("global", "display", "--socket", k).out()).contains("# own-ipv4-address (unset");
        assertThat(ok("ip", "-n", br, "-4", "route")).doesNotContain("169.254").doesNotContain("203.0.113");
        Shell.Result p = ping(v4client, "192.0.2.10", 2);
        assertThat(p.exit()).as(p.out()).isZero();

        // and the reload thread still works: a good file is taken
        Files.writeString(cfg, config("ipv4-mtu = 1400\n", ""));
        d.signal("HUP");
        waitFor(() -> d.out().contains("siitdc: reloaded " + cfg), 30, "the good reload: " + d.out() + d.err());
        assertThat(d.out()).contains("siitdc: reloaded " + cfg + ": ipv4-mtu 1500 -> 1400");
        d.stop();
        assertThat(d.exit()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    /** The Border Relay configuration of this test, with more [translator] lines and more after the EAM. */
    private String config(String translatorExtra, String eamtExtra) {
        return Daemon.BORDER_RELAY_CONFIG.formatted(LOWEST_MTU + translatorExtra, eamtExtra, RELAY.formatted(socket));
    }

    private Daemon startBorderRelay(String translatorExtra, String eamtExtra) throws Exception {
        Path cfg = Files.writeString(dir.resolve("br.toml"), config(translatorExtra, eamtExtra));
        return start(br, cfg, "siitdc: border-relay on ");
    }

    private int daemons;

    private Daemon start(String ns, Path cfg, String ready) throws Exception {
        Daemon d = namespaces.siitdc(ns, cfg, dir.resolve("daemon" + ++daemons));
        d.awaitStartUp(ready);
        assertThat(d.out()).as("start-up summary; stderr:%n%s", d.err()).contains(ready).contains(", control socket ");
        return d;
    }

    private static Shell.Result ping(String ns, String target, int count) {
        return run(List.of("ip", "netns", "exec", ns, "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "2",
                target), 30);
    }
}
