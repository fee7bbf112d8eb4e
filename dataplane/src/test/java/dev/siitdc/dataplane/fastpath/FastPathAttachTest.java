package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.linux.bpf.BpfTc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The program on a live interface: a veth in one test namespace whose peer is in another. Pings from there arrive at
 * the ingress and are translated (counted), first through a tcx link, then through a clsact filter; after
 * the link is closed or the filter removed, nothing is translated any more. The namespaces (and with
 * them both veth ends) are deleted even when the test fails.
 */
class FastPathAttachTest {
    private static final String NS = "siitbpf-" + ProcessHandle.current().pid(), RELAY = NS + "-r";
    private static final String DEV = "v0", PEER = "v1";

    @Test
    void tcxAndClsactAttachTranslateAndDetach() throws Exception {
        FastPath fp = FastPathEquivalence.fastPath();
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = Ipv6Prefix.parse("3fff:a::/96");
        b.eamt = List.of(Eam.parse("20.0.0.0/24", "2001:db8:a::/120"));
        fp.install(b.build(), true);
        try {
            sh("ip", "netns", "add", NS);
            sh("ip", "netns", "add", RELAY);
            sh("ip", "-n", RELAY, "link", "add", DEV, "type", "veth", "peer", "name", PEER, "netns", NS);
            sh("ip", "-n", RELAY, "link", "set", DEV, "up");
            String mac = output("ip", "netns", "exec", RELAY, "cat", "/sys/class/net/" + DEV + "/address").strip();
            int ifindex = Integer.parseInt(output("ip", "netns", "exec", RELAY, "cat", "/sys/class/net/" + DEV + "/ifindex").strip());
            ns("ip", "link", "set", PEER, "up");
            ns("ip", "addr", "add", "20.0.0.5/24", "dev", PEER);
            ns("ip", "route", "add", "30.1.2.3/32", "dev", PEER);
            ns("ip", "neigh", "add", "30.1.2.3", "lladdr", mac, "dev", PEER);

            long before = translated(fp);
            BpfTc.Link[] tcx = new BpfTc.Link[1];
            FastPathForwardingTest.inNamespace(RELAY, () -> tcx[0] = BpfTc.attachTcx(fp.ethProgramFd(), ifindex, BpfTc.Direction.INGRESS));
            try (BpfTc.Link link = tcx[0]) {
                assertThat(link.fd()).isPositive();
                ping();
                assertThat(translated(fp) - before).as("pings translated through the tcx link").isGreaterThanOrEqualTo(3);
            }
            long afterTcx = translated(fp);
            ping();
            assertThat(translated(fp)).as("nothing translated after the link closed").isEqualTo(afterTcx);

            FastPathForwardingTest.inNamespace(RELAY, () ->
                    assertThat(BpfTc.attachClsact(fp.ethProgramFd(), ifindex, BpfTc.Direction.INGRESS, 1, 1)).isTrue());
            try {
                ping();
                assertThat(translated(fp) - afterTcx).as("pings translated through the clsact filter").isGreaterThanOrEqualTo(3);
            } finally {
                FastPathForwardingTest.inNamespace(RELAY, () -> {
                    assertThat(BpfTc.detachClsact(ifindex, BpfTc.Direction.INGRESS, 1, 1)).isTrue();
                    BpfTc.destroyClsact(ifindex);
                });
            }
            long afterClsact = translated(fp);
            ping();
            assertThat(translated(fp)).as("nothing translated after the filter went").isEqualTo(afterClsact);
        } finally {
            run("ip", "netns", "del", NS);
            run("ip", "netns", "del", RELAY);
        }
    }

    private static long translated(FastPath fp) throws Exception {
        Map<FastPathCounter, Long> c = fp.counters();
        return c.get(FastPathCounter.TRANSLATED46);
    }

    /** Three echo requests; they get no answer (the translated packets go nowhere), which is fine. */
    private static void ping() throws Exception {
        run("ip", "netns", "exec", NS, "ping", "-c", "3", "-i", "0.2", "-W", "1", "30.1.2.3");
    }

    private static void ns(String... cmd) throws Exception {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip"; full[1] = "netns"; full[2] = "exec"; full[3] = NS;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        sh(full);
    }

    private static void sh(String... cmd) throws Exception {
        int rc = run(cmd);
        if (rc != 0) throw new AssertionError(String.join(" ", cmd) + " exited with " + rc);
    }

    private static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
