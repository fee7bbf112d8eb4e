package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.linux.bpf.BpfTc;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Border Relay with no TUN at all: the program on the ingress of both interfaces of a "br" namespace
 * translates and forwards (bpf_fib_lookup, bpf_redirect_neigh) between an IPv4 host (h4, EAM
 * 20.0.0.0/24) and an IPv6 host (h6, 3fff:a::30.1.2.3 in pool6), so h4's ping of 30.1.2.3 is answered.
 * The namespaces are deleted even when the test fails.
 */
class FastPathForwardingTest {
    private static final String P = "sbf" + ProcessHandle.current().pid() % 100000;
    private static final String H4 = P + "-h4", BR = P + "-br", H6 = P + "-h6";

    @Test
    void pingCrossesABorderRelayMadeOfTheProgramAlone() throws Exception {
        FastPath fp = FastPathEquivalence.fastPath();
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("3fff:a::/96");
        b.eamt = List.of(Eam.parse("20.0.0.0/24", "2001:db8:a::/120"));
        fp.install(b.build(), false);
        FastPathAttachment[] attachment = new FastPathAttachment[1];
        try {
            for (String ns : new String[] { H4, BR, H6 }) sh("ip", "netns", "add", ns);
            sh("ip", "-n", BR, "link", "add", "v4", "type", "veth", "peer", "name", "e0", "netns", H4);
            sh("ip", "-n", BR, "link", "add", "v6", "type", "veth", "peer", "name", "e0", "netns", H6);
            for (String ns : new String[] { H4, BR, H6 }) sh("ip", "-n", ns, "link", "set", "lo", "up");
            sh("ip", "-n", BR, "link", "set", "v4", "up");
            sh("ip", "-n", BR, "link", "set", "v6", "up");
            sh("ip", "-n", BR, "addr", "add", "20.0.0.1/24", "dev", "v4");
            sh("ip", "-n", BR, "addr", "add", "2001:db8:6::1/64", "dev", "v6", "nodad");
            sh("ip", "-n", BR, "route", "add", "3fff:a::/96", "via", "2001:db8:6::2", "dev", "v6");
            sh("ip", "netns", "exec", BR, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
            sh("ip", "-n", H4, "link", "set", "e0", "up");
            sh("ip", "-n", H4, "addr", "add", "20.0.0.5/24", "dev", "e0");
            sh("ip", "-n", H4, "route", "add", "30.0.0.0/8", "via", "20.0.0.1");
            sh("ip", "-n", H6, "link", "set", "e0", "up");
            sh("ip", "-n", H6, "addr", "add", "2001:db8:6::2/64", "dev", "e0", "nodad");
            sh("ip", "-n", H6, "addr", "add", "3fff:a::1e01:203/128", "dev", "e0", "nodad");
            sh("ip", "-n", H6, "route", "add", "2001:db8:a::/120", "via", "2001:db8:6::1");

            long t46 = count(fp, FastPathCounter.TRANSLATED46), t64 = count(fp, FastPathCounter.TRANSLATED64);
            long redirected = count(fp, FastPathCounter.REDIRECTED);
            int v4 = ifindex(BR, "v4"), v6 = ifindex(BR, "v6");
            inNamespace(BR, () -> attachment[0] = FastPathAttachment.attach(fp, List.of(
                    new FastPathAttachment.Point(v4, "v4", BpfTc.Direction.INGRESS, true),
                    new FastPathAttachment.Point(v6, "v6", BpfTc.Direction.INGRESS, true))));
            assertThat(attachment[0].describe()).isEqualTo("tcx ingress of v4, tcx ingress of v6");
            String out = output("ip", "netns", "exec", H4, "ping", "-c", "3", "-i", "0.2", "-W", "2", "30.1.2.3");
            System.out.println("ping through the fast-path Border Relay: "
                    + out.lines().filter(l -> l.contains("transmitted")).findFirst().orElse(out));
            assertThat(out).contains("3 received");
            assertThat(count(fp, FastPathCounter.TRANSLATED46) - t46).isGreaterThanOrEqualTo(3);
            assertThat(count(fp, FastPathCounter.TRANSLATED64) - t64).isGreaterThanOrEqualTo(3);
            assertThat(count(fp, FastPathCounter.REDIRECTED) - redirected).isGreaterThanOrEqualTo(6);

            // detached: br has no route to 30.1.2.3 of its own, nothing gets through
            attachment[0].close();
            attachment[0] = null;
            String after = output("ip", "netns", "exec", H4, "ping", "-c", "2", "-i", "0.2", "-W", "1", "30.1.2.3");
            assertThat(after).contains(" 0 received");
        } finally {
            if (attachment[0] != null) attachment[0].close();
            for (String ns : new String[] { H4, BR, H6 }) run("ip", "netns", "del", ns);
            fp.install(FastPathEquivalence.noopConfig(), true);
        }
    }

    private static long count(FastPath fp, FastPathCounter c) throws Exception {
        Map<FastPathCounter, Long> m = fp.counters();
        return m.get(c);
    }

    interface NsAction { void run() throws Exception; }

    /**
     * Runs {@code a} on a thread that entered the namespace (setns(2) changes only the calling thread):
     * tcx resolves the ifindex in the caller's namespace.
     */
    static void inNamespace(String ns, NsAction a) throws Exception {
        Exception[] failure = new Exception[1];
        Thread t = new Thread(() -> {
            try (Arena arena = Arena.ofConfined()) {
                Linker l = Linker.nativeLinker();
                MethodHandle open = l.downcallHandle(l.defaultLookup().find("open").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
                MethodHandle setns = l.downcallHandle(l.defaultLookup().find("setns").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
                int fd = (int) open.invokeExact(arena.allocateFrom("/var/run/netns/" + ns), 0x80000);
                if (fd < 0) throw new IllegalStateException("open /var/run/netns/" + ns);
                if ((int) setns.invokeExact(fd, 0x40000000) != 0) throw new IllegalStateException("setns " + ns);
                a.run();
            } catch (Exception e) {
                failure[0] = e;
            } catch (Throwable e) {
                failure[0] = new RuntimeException(e);
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) throw failure[0];
    }

    private static int ifindex(String ns, String dev) throws Exception {
        return Integer.parseInt(output("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/ifindex").strip());
    }

    private static void sh(String... cmd) throws Exception {
        int rc = run(cmd);
        if (rc != 0) throw new AssertionError(String.join(" ", cmd) + " exited with " + rc);
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        p.getInputStream().transferTo(o);
        p.waitFor(30, TimeUnit.SECONDS);
        return o.toString();
    }
}
