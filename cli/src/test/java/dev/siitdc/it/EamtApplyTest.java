package dev.siitdc.it;

import dev.siitdc.cli.CliRun;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.siitdc.cli.CliRun.siitdc;
import static dev.siitdc.it.Namespaces.ok;
import static dev.siitdc.it.Namespaces.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc eamt apply}: a table of 100,001 EAMs replaces a running Border Relay's (the topology of
 * {@link ControlSocketTest}) while pings flow through the EAM 192.0.2.10 &lt;-&gt; 2001:db8:1::10, which the
 * change keeps, and through pool6: no ping is lost, the new mappings are in force at once, the swap takes
 * under a second in the daemon (the kernel gets the fewest routes that cover the EAMs' IPv4 prefixes), a table
 * the daemon refuses changes nothing, and the way back removes the 100,000 again. Needs root, /dev/net/tun, iproute2 and ping; the namespaces are deleted whatever happens.
 */
class EamtApplyTest {
    private static final Pattern APPLIED = Pattern.compile("applied: .* in ([0-9]+) ms");

    @TempDir
    Path dir;

    private final Namespaces namespaces = new Namespaces();
    private String v4client, br, idc;
    private Path socket;

    @BeforeAll
    static void requirements() throws IOException {
        Namespaces.require("the eamt apply tests");
    }

    @BeforeEach
    void topology() {
        Namespaces.BorderTopology t = namespaces.borderTopology("siitdc-apl-", "2001:db8:1::20/64");
        v4client = t.v4client();
        br = t.br();
        idc = t.idc();
        socket = dir.resolve("br.sock");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        namespaces.close();
    }

    @Test
    void aHundredThousandEamsAreSwappedInAtOnceWithoutLosingAPacket() throws Exception {
        Path cfg = Files.writeString(dir.resolve("br.toml"), Daemon.BORDER_RELAY_CONFIG.formatted("", "",
                "queues = 2\ncontrol-socket = \"" + socket + "\""));
        Daemon d = namespaces.siitdc(br, cfg, dir.resolve("daemon"));
        d.awaitStartUp("siitdc: border-relay on ");
        String k = socket.toString();

        int n = 100_000;
        StringBuilder sb = new StringBuilder("# the flow's EAM, kept\n192.0.2.10 2001:db8:1::10\n192.0.2.20 2001:db8:1::20\n");
        for (int i = 0; i < n; i++)   // 10.0.0.0/15 <-> 2001:db8:e::/111, one /32 <-> /128 each: touches no flow here
            sb.append(String.format(Locale.ROOT, "10.%d.%d.%d 2001:db8:e::%x:%x%n", i >> 16, (i >> 8) & 0xff, i & 0xff,
                    i >> 16, i & 0xffff));
        Path big = Files.writeString(dir.resolve("big.txt"), sb);
        Path small = Files.writeString(dir.resolve("small.toml"), "[[eamt]]\nipv4 = \"192.0.2.10\"\nipv6 = \"2001:db8:1::10\"\n");
        Path bad = Files.writeString(dir.resolve("bad.txt"), sb + "192.0.2.99 2001:db8:46::c000:263\n");

        AtomicBoolean flowing = new AtomicBoolean(true);
        AtomicLong[] sent = {new AtomicLong(), new AtomicLong()}, received = {new AtomicLong(), new AtomicLong()};
        List<String> problems = new CopyOnWriteArrayList<>();
        Thread[] pingers = {
            pinger(flowing, v4client, "198.51.100.2", "192.0.2.10", sent[0], received[0], problems),
            pinger(flowing, idc, "2001:db8:1::10", "2001:db8:46::198.51.100.2", sent[1], received[1], problems)};
        Thread.sleep(1000);

        assertThat(ping(v4client, "192.0.2.20", 1).exit()).as("no EAM for 192.0.2.20 yet").isNotZero();

        // dry run: the diff, and nothing changes
        CliRun dry = siitdc("eamt", "apply", "--file", big.toString(), "--dry-run", "--socket", k);
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).startsWith("+ 192.0.2.20/32 2001:db8:1::20/128\n+ 10.0.0.0/32 2001:db8:e::/128\n")
                .endsWith("dry run: 100001 added, 0 removed, 0 changed, 1 unchanged (100002 EAMs); nothing changed\n");
        assertThat(dry.out().lines().count()).isEqualTo(n + 2);
        assertThat(displayed(k)).isEqualTo(1);

        // a table the daemon refuses (an EAM inside pool6): nothing changes
        CliRun refused = siitdc("eamt", "apply", "--file", bad.toString(), "--socket", k);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("2001:db8:46::c000:263").contains("pool6");
        assertThat(displayed(k)).isEqualTo(1);
        assertThat(routes10()).isZero();

        // the real thing
        long t0 = System.nanoTime();
        CliRun apply = siitdc("eamt", "apply", "--file", big.toString(), "--socket", k);
        long cliMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(apply.exit()).as(apply.err()).isZero();
        Matcher m = APPLIED.matcher(apply.out());
        assertThat(m.find()).as(apply.out().lines().skip(n).toList().toString()).isTrue();
        assertThat(apply.out()).contains("applied: 100001 added, 0 removed, 0 changed, 1 unchanged (100002 EAMs)");
        long daemonMs = Long.parseLong(m.group(1));
        assertThat(displayed(k)).isEqualTo(n + 2);
        assertThat(routes10()).as("addresses routed into the TUN").isEqualTo(n);
        assertThat(routeCount10()).as("routes: contiguous EAMs share them").isLessThan(20);
        Shell.Result p = ping(v4client, "192.0.2.20", 3);
        assertThat(p.exit()).as("the new EAM is in force: " + p.out()).isZero();

        // and back: 100,001 removed
        long t1 = System.nanoTime();
        CliRun back = siitdc("eamt", "apply", "--file", small.toString(), "--socket", k);
        long backCliMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(back.exit()).as(back.err()).isZero();
        Matcher mb = APPLIED.matcher(back.out());
        assertThat(mb.find()).isTrue();
        assertThat(back.out()).contains("applied: 0 added, 100001 removed, 0 changed, 1 unchanged (1 EAM)");
        assertThat(displayed(k)).isEqualTo(1);
        assertThat(routes10()).isZero();
        assertThat(ping(v4client, "192.0.2.20", 1).exit()).as("192.0.2.20 is gone again").isNotZero();

        Thread.sleep(1000);
        flowing.set(false);
        for (Thread t : pingers) t.join(30_000);
        System.err.printf(Locale.ROOT, "eamt apply: %d EAMs in: %d ms in the daemon (%d ms the command); out: %s ms"
                + " (%d ms the command); pings 4->6 %d/%d, 6->4 %d/%d%n", n + 1, daemonMs, cliMs, mb.group(1), backCliMs,
                received[0].get(), sent[0].get(), received[1].get(), sent[1].get());
        assertThat(problems).isEmpty();
        assertThat(sent[0].get()).isGreaterThan(100);
        assertThat(sent[1].get()).isGreaterThan(100);
        assertThat(received[0].get()).as("IPv4 -> IPv6 pings answered").isEqualTo(sent[0].get());
        assertThat(received[1].get()).as("IPv6 -> IPv4 pings answered").isEqualTo(sent[1].get());
        assertThat(daemonMs).as("the daemon's apply of 100,001 EAMs, ms").isLessThan(1000);
        d.stop();
    }

    /**
     * Start-up routes what eamt apply would: the fewest prefixes covering the EAMs' IPv4 prefixes (RFC 7755 s4), so
     * 100,000 EAMs of an eamt-file are ready in seconds; a later eamt remove keeps the routed addresses exact, the
     * state file holds the covering routes, and a start after SIGKILL undoes them and routes them again.
     */
    @Test
    void aBorderRelayStartsWithAHundredThousandEamsRoutedAsTheirCover() throws Exception {
        int n = 100_000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++)   // 10.0.0.0 ... 10.1.134.159, one /32 <-> /128 each
            sb.append(String.format(Locale.ROOT, "10.%d.%d.%d 2001:db8:e::%x:%x%n", i >> 16, (i >> 8) & 0xff, i & 0xff,
                    i >> 16, i & 0xffff));
        Files.writeString(dir.resolve("big.txt"), sb);
        Path cfg = Files.writeString(dir.resolve("br.toml"), "eamt-file = \"big.txt\"\n" + Daemon.BORDER_RELAY_CONFIG
                .formatted("", "", "control-socket = \"" + socket + "\""));
        Path stateFile = dir.resolve("br.state");
        String k = socket.toString();

        long t0 = System.nanoTime();
        Daemon d = namespaces.siitdc(br, cfg, dir.resolve("daemon"));
        d.awaitStartUp("siitdc: border-relay on ");
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(routes10()).as("addresses routed into the TUN").isEqualTo(n);
        assertThat(routeCount10()).as("routes: the cover of the EAMs' IPv4 prefixes").isLessThan(20);
        long stateRoutes = Files.readAllLines(stateFile).stream().filter(l -> l.startsWith("route-added inet 10.")).count();
        assertThat(stateRoutes).as("covering routes in the state file").isEqualTo(routeCount10());
        assertThat(displayed(k)).isEqualTo(n + 1);

        // one EAM out of the middle of a covering route: the rest stays routed, that address does not
        CliRun rm = siitdc("eamt", "remove", "10.0.200.7", "--socket", k);
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(routes10()).as("addresses routed after eamt remove").isEqualTo(n - 1);
        assertThat(run(List.of("ip", "-n", br, "-4", "route", "get", "10.0.200.7"), 10).out()).doesNotContain("siit0");
        assertThat(ok("ip", "-n", br, "-4", "route", "get", "10.0.200.8")).contains("dev siit0");

        // killed: the next start undoes what the state file says and routes the cover again
        d.kill();
        Daemon again = namespaces.siitdc(br, cfg, dir.resolve("again"));
        again.awaitStartUp("siitdc: border-relay on ");
        assertThat(routes10()).as("addresses routed after the restart").isEqualTo(n);
        assertThat(routeCount10()).isLessThan(20);
        again.stop();
        assertThat(routes10()).as("nothing left routed after the stop").isZero();
        assertThat(stateFile).doesNotExist();
        System.err.printf(Locale.ROOT, "run: %d EAMs from an eamt-file ready in %d ms, %d routes%n", n + 1, readyMs,
                stateRoutes);
    }

    private static long displayed(String socket) {
        CliRun r = siitdc("eamt", "display", "--csv", "--socket", socket);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().count() - 1;
    }

    /** How many addresses of 10.0.0.0/8 the BR routes into siit0 (checking that every such route goes there). */
    private long routes10() {
        long n = 0;
        for (String l : ok("ip", "-n", br, "-4", "route").lines().filter(l -> l.startsWith("10.")).toList()) {
            assertThat(l).contains(" dev siit0");
            String p = l.split(" ")[0];
            n += 1L << (32 - (p.contains("/") ? Integer.parseInt(p.substring(p.indexOf('/') + 1)) : 32));
        }
        return n;
    }

    private long routeCount10() {
        return ok("ip", "-n", br, "-4", "route").lines().filter(l -> l.startsWith("10.")).count();
    }

    private static Thread pinger(AtomicBoolean running, String ns, String source, String target, AtomicLong sent,
            AtomicLong received, List<String> problems) {
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

    private static Shell.Result ping(String ns, String target, int count) {
        return run(List.of("ip", "netns", "exec", ns, "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "2",
                target), 30);
    }
}
