package dev.siitdc.linux;

import static dev.siitdc.linux.NetnsScenarios.V4_PEER;
import static dev.siitdc.linux.NetnsScenarios.V4_ROUTED_NET;
import static dev.siitdc.linux.NetnsScenarios.ok;
import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link NetnsScenarios} about the kernel's limits: running out of file descriptors, and the packets the
 * kernel drops at a TUN whose reader does not read.
 */
final class FaultScenarios {
    private FaultScenarios() {
    }

    /**
     * Opening a 2-queue TUN with 0, 1, 2... descriptors left under RLIMIT_NOFILE: each failure is EMFILE (the
     * third descriptor is the socket of if_nametoindex: glibc's reported it as ENOENT, "no TUN driver"), then
     * it succeeds.
     */
    static void fdExhaustion() throws Exception {
        // every class the calls below need is loaded now, while descriptors are free
        try (TunDevice t = Tun.create("siitfd0", 2, Tun.IFF_MULTI_QUEUE)) {
            ok("warm-up: " + t.name() + " ifindex " + t.ifindex());
        }
        LinuxException warm = catchThrowableOfType(LinuxException.class, () -> Libc.ifNameToIndex("nosuch-siitdc"));
        ok("warm-up: " + warm.getMessage());
        int limit = new File("/proc/self/fd").list().length + 32;
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                "--nofile=" + limit + ":" + limit).inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0).as("prlimit").isTrue();
        List<Integer> fds = new ArrayList<>();
        List<String> results = new ArrayList<>();
        try {
            try {
                while (fds.size() < 10_000) fds.add(Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC));
            } catch (LinuxException e) {
                results.add("filled: " + e.errnoName());
            }
            for (int free = 0; free <= 6; free++) {
                if (free > 0) Libc.close(fds.removeLast());
                try (TunDevice t = Tun.create("siitfd0", 2, Tun.IFF_MULTI_QUEUE)) {
                    results.add(free + " free: created " + t.name());
                    break;
                } catch (LinuxException e) {
                    results.add(free + " free: " + e.getMessage());
                }
            }
        } finally {
            for (int fd : fds) Libc.close(fd);
        }
        results.forEach(r -> ok(r));
        assertThat(results.getFirst()).isEqualTo("filled: EMFILE");
        assertThat(results.getLast()).as("created at last").contains("free: created siitfd0");
        List<String> failures = results.subList(1, results.size() - 1);
        assertThat(failures).as("failures before it worked").hasSizeGreaterThanOrEqualTo(3);
        assertThat(failures).allSatisfy(f -> assertThat(f).contains("EMFILE (errno 24, Too many open files)")
                .doesNotContain("ENOENT").doesNotContain("ENODEV"));
        assertThat(failures.get(2)).as("two queues open, then the index").contains("socket failed: EMFILE");
    }

    /**
     * The kernel's counters of a TUN (IFLA_STATS64): datagrams routed into a TUN nobody reads overflow its
     * queue (txqueuelen 8): tx_dropped; a write that is not an IP packet: rx_dropped.
     */
    static void linkStats() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open(); TunDevice tun = NetnsScenarios.upTun(rtnl, 1)) {
            rtnl.linkSetTxQueueLength(tun.ifindex(), 8);
            rtnl.addRoute(Route.to(AF_INET, V4_ROUTED_NET, 24).dev(tun.ifindex()));
            LinkStats before = rtnl.linkStats(tun.ifindex());
            ok("before: " + before);
            int sent = 100;
            try (DatagramSocket s = new DatagramSocket()) {
                byte[] b = new byte[20];
                for (int i = 0; i < sent; i++) s.send(new DatagramPacket(b, b.length, InetAddress.getByAddress(V4_PEER), 9));
            }
            byte[] notIp = new byte[40];   // version nibble 0
            LinuxException bad = catchThrowableOfType(LinuxException.class, () -> tun.queue(0).write(notIp, 0, notIp.length));
            assertThat(bad.errnoName()).isEqualTo("EINVAL");
            LinkStats after = rtnl.linkStats(tun.ifindex());
            ok("after " + sent + " datagrams and one bad write: " + after);
            assertThat(after.txDropped() - before.txDropped()).as("tx_dropped").isGreaterThanOrEqualTo(sent - 8 - 16)
                    .isLessThanOrEqualTo(sent);
            assertThat(after.rxDropped() - before.rxDropped()).as("rx_dropped").isEqualTo(1);
            LinuxException gone = catchThrowableOfType(LinuxException.class, () -> rtnl.linkStats(999_999));
            assertThat(gone.errnoName()).isEqualTo("ENODEV");
        }
    }
}
