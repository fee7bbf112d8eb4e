package dev.siitdc.linux;

import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The kernel scenarios. {@link KernelTest} runs each in a child JVM inside a fresh network namespace
 * ({@code ip netns exec NS java ... NetnsScenarios NAME}), so nothing touches the host. A scenario
 * checks the kernel's state with {@code ip -j} as it goes, prints one {@code OK} line per check and
 * {@code SCENARIO NAME PASSED} at the end; any failure is a stack trace and exit status 1.
 */
public final class NetnsScenarios {
    static final byte[] V4_ADDR = ip("192.0.2.1");
    static final byte[] V6_ADDR = ip("2001:db8::1");
    static final byte[] V4_ROUTED_NET = ip("198.51.100.0");
    static final byte[] V4_PEER = ip("198.51.100.7");
    static final byte[] V6_PEER = ip("2001:db8::7");
    static final byte[] PROXY = ip("2001:db8::5");

    private NetnsScenarios() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        try {
            switch (name) {
                case "configure" -> configure();
                case "ping" -> ping();
                case "udp" -> udp();
                case "vnet" -> vnet();
                case "poll" -> poll();
                case "errors" -> errors();
                case "undo" -> undo();
                case "udp-socket" -> SegmentScenarios.udpSocket(args[1]);
                case "bridge" -> SegmentScenarios.bridge();
                case "routes" -> SegmentScenarios.routes();
                case "tc-drop" -> SegmentScenarios.tcDrop(args[1]);
                case "fd-exhaustion" -> FaultScenarios.fdExhaustion();
                case "link-stats" -> FaultScenarios.linkStats();
                default -> throw new IllegalArgumentException("no scenario " + name);
            }
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("SCENARIO " + name + " FAILED");
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("SCENARIO " + name + " PASSED");
        System.exit(0);
    }

    // ---- scenarios ------------------------------------------------------------------------

    /** Multi-queue TUN, link up + MTU, addresses, routes (MTU, gateway, tables, src), proxy NDP; then each undone. */
    static void configure() throws Exception {
        String name;
        try (Rtnetlink rtnl = Rtnetlink.open();
                TunDevice tun = Tun.create("siit%d", 2, Tun.IFF_MULTI_QUEUE)) {
            name = tun.name();
            int ifx = tun.ifindex();
            assertThat(name).isEqualTo("siit0");
            assertThat(tun.queues()).hasSize(2);
            assertThat(tun.queue(0).fd()).isNotEqualTo(tun.queue(1).fd());
            for (Tun q : tun.queues()) {
                assertThat(q.name()).isEqualTo(name);
                assertThat(q.isNonBlocking()).isTrue();
            }
            assertThat(rtnl.linkIndex(name)).isEqualTo(ifx);
            Map<String, Object> link = single(ipJson("-d", "link", "show", "dev", name));
            assertThat(((Number) link.get("ifindex")).intValue()).isEqualTo(ifx);
            Map<String, Object> tunInfo = map(map(link.get("linkinfo")).get("info_data"));
            assertThat(tunInfo).containsEntry("type", "tun").containsEntry("pi", false)
                    .containsEntry("multi_queue", true).containsEntry("vnet_hdr", false);
            ok("multi-queue TUN " + tun + ", ip -d link: " + tunInfo);

            assertThat(rtnl.linkSetUp(ifx, true)).as("was up").isFalse();
            assertThat(rtnl.linkSetMtu(ifx, 1400)).as("previous MTU").isEqualTo(1500);
            link = single(ipJson("link", "show", "dev", name));
            assertThat(link.get("mtu")).isEqualTo(1400L);
            assertThat(list(link.get("flags"))).contains("UP");
            assertThat(rtnl.link(ifx).up()).isTrue();
            ok("link up, mtu 1400");

            assertThat(rtnl.linkTxQueueLength(ifx)).isEqualTo(500);
            assertThat(rtnl.linkSetTxQueueLength(ifx, 5000)).as("previous txqueuelen").isEqualTo(500);
            assertThat(single(ipJson("link", "show", "dev", name)).get("txqlen")).isEqualTo(5000L);
            assertThat(rtnl.linkSetTxQueueLength(ifx, 500)).isEqualTo(5000);
            assertThat(rtnl.linkTxQueueLength(ifx)).isEqualTo(500);
            ok("txqueuelen 500 -> 5000 -> 500");

            rtnl.addAddress(ifx, AF_INET, V4_ADDR, 24);
            rtnl.addAddress(ifx, AF_INET6, V6_ADDR, 64);
            assertThat(addrInfo(name)).contains("inet 192.0.2.1/24", "inet6 2001:db8::1/64");
            assertThat(rtnl.listAddresses(ifx)).extracting(IfAddress::toString)
                    .contains("192.0.2.1/24 ifindex " + ifx, "2001:db8::1/64 ifindex " + ifx);
            ok("addresses " + addrInfo(name));

            Route r4 = Route.to(AF_INET, V4_ROUTED_NET, 24).dev(ifx).mtu(1260);
            rtnl.addRoute(r4);
            Map<String, Object> route = routeTo(ipJson("route", "show"), "198.51.100.0/24");
            assertThat(route).containsEntry("dev", name);
            assertThat(list(route.get("metrics"))).contains(Map.of("mtu", 1260L));
            ok("route " + route);

            Route r6 = Route.to(AF_INET6, ip("64:ff9b::"), 96).dev(ifx).mtu(1280);
            rtnl.addRoute(r6);
            route = routeTo(ipJson("-6", "route", "show"), "64:ff9b::/96");
            assertThat(route).containsEntry("dev", name);
            assertThat(list(route.get("metrics"))).contains(Map.of("mtu", 1280L));
            ok("route " + route);

            Route viaGw = Route.to(AF_INET, ip("203.0.113.0"), 24).via(ip("192.0.2.254")).dev(ifx).table(100)
                    .source(V4_ADDR);
            rtnl.addRoute(viaGw);
            route = routeTo(ipJson("route", "show", "table", "100"), "203.0.113.0/24");
            assertThat(route).containsEntry("gateway", "192.0.2.254").containsEntry("prefsrc", "192.0.2.1")
                    .containsEntry("dev", name);
            ok("route table 100 " + route);

            Route bigTable = Route.to(AF_INET, ip("203.0.113.0"), 25).dev(ifx).table(1000);
            rtnl.addRoute(bigTable);
            route = routeTo(ipJson("route", "show", "table", "1000"), "203.0.113.0/25");
            assertThat(route).containsEntry("dev", name);
            Route v6Gw = Route.to(AF_INET6, ip("2001:db8:64::"), 96).via(ip("2001:db8::2")).dev(ifx);
            rtnl.addRoute(v6Gw);
            route = routeTo(ipJson("-6", "route", "show"), "2001:db8:64::/96");
            assertThat(route).containsEntry("gateway", "2001:db8::2");
            ok("route table 1000 and IPv6 via gateway");

            rtnl.addProxyNeighbor(ifx, PROXY);
            String proxies = sh("ip", "-6", "neigh", "show", "proxy");
            assertThat(proxies).contains("2001:db8::5 dev " + name + " proxy");
            assertThat(rtnl.listProxyNeighbors(ifx)).containsExactly(InetAddress.getByAddress(PROXY));
            ok("proxy NDP: " + proxies.strip());

            // Each undone by its counterpart, while the TUN still exists.
            for (Route r : List.of(r4, r6, viaGw, bigTable, v6Gw)) {
                rtnl.deleteRoute(r);
            }
            assertThat(routeDsts(ipJson("route", "show"))).doesNotContain("198.51.100.0/24");
            assertThat(routeDsts(ipJson("-6", "route", "show"))).doesNotContain("64:ff9b::/96", "2001:db8:64::/96");
            assertThat(ipJson("route", "show", "table", "100")).isEmpty();
            assertThat(ipJson("route", "show", "table", "1000")).isEmpty();
            rtnl.deleteProxyNeighbor(ifx, PROXY);
            assertThat(sh("ip", "-6", "neigh", "show", "proxy")).doesNotContain("2001:db8::5");
            rtnl.deleteAddress(ifx, AF_INET, V4_ADDR, 24);
            rtnl.deleteAddress(ifx, AF_INET6, V6_ADDR, 64);
            assertThat(addrInfo(name)).doesNotContain("inet 192.0.2.1/24", "inet6 2001:db8::1/64");
            assertThat(rtnl.linkSetMtu(ifx, 1500)).isEqualTo(1400);
            assertThat(rtnl.linkSetUp(ifx, false)).isTrue();
            link = single(ipJson("link", "show", "dev", name));
            assertThat(link.get("mtu")).isEqualTo(1500L);
            assertThat(list(link.get("flags"))).doesNotContain("UP");
            ok("routes, proxy entry, addresses deleted; mtu and state restored");
        }
        assertThat(run("ip", "link", "show", "dev", name).exit()).as("interface gone after close").isNotZero();
        ok("interface " + name + " gone once its queues are closed");
    }

    /** ping 198.51.100.7 (routed into the TUN): read the echo request, write the reply, ping succeeds. */
    static void ping() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open(); TunDevice tun = upTun(rtnl, 2)) {
            rtnl.addRoute(Route.to(AF_INET, V4_ROUTED_NET, 24).dev(tun.ifindex()).mtu(1260));
            Process ping = new ProcessBuilder("ping", "-n", "-c", "1", "-W", "5", "198.51.100.7")
                    .redirectErrorStream(true).start();
            try {
                Read req = readMatching(tun, p -> Packets.isEchoRequestTo(p, V4_PEER), 5000);
                ok("echo request from the kernel on queue " + req.queue() + ": " + req.packet().length + " bytes");
                byte[] reply = Packets.echoReply(req.packet());
                assertThat(tun.queue(req.queue()).write(reply, 0, reply.length)).isEqualTo(reply.length);
                assertThat(ping.waitFor(10, TimeUnit.SECONDS)).as("ping finished").isTrue();
                String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(ping.exitValue()).as("ping exit status; output:%n%s", out).isZero();
                assertThat(out).contains("1 received");
                ok("ping got the crafted echo reply: " + out.lines().filter(l -> l.contains("bytes from"))
                        .findFirst().orElse(""));
            } finally {
                ping.destroyForcibly();
            }
        }
    }

    /** UDP over IPv4 and IPv6 through both queues, in heap buffers with offsets. */
    static void udp() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open(); TunDevice tun = upTun(rtnl, 2)) {
            rtnl.addRoute(Route.to(AF_INET, V4_ROUTED_NET, 24).dev(tun.ifindex()));
            for (byte[] peer : List.of(V4_PEER, V6_PEER)) {
                for (int writeQueue = 0; writeQueue < 2; writeQueue++) {
                    udpRoundTrip(tun, peer, writeQueue, 0);
                }
            }
        }
    }

    /** IFF_VNET_HDR: the 10-byte virtio_net_hdr precedes each packet; TUNSETOFFLOAD. */
    static void vnet() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open();
                TunDevice tun = Tun.create("siitv%d", 1, Tun.IFF_VNET_HDR)) {
            assertThat(tun.vnetHdr()).isTrue();
            Map<String, Object> info = map(map(single(ipJson("-d", "link", "show", "dev", tun.name()))
                    .get("linkinfo")).get("info_data"));
            assertThat(info).containsEntry("vnet_hdr", true).containsEntry("multi_queue", false);
            ok("vnet_hdr TUN " + tun + ": " + info);
            tun.setOffload(Tun.TUN_F_CSUM | Tun.TUN_F_TSO4 | Tun.TUN_F_TSO6);
            tun.setOffload(0);
            LinuxException bad = catchThrowableOfType(LinuxException.class, () -> tun.setOffload(0x8000));
            assertThat(bad.errno()).isEqualTo(Errno.EINVAL);
            assertThat(bad.syscall()).isEqualTo("ioctl(TUNSETOFFLOAD)");
            ok("TUNSETOFFLOAD accepted CSUM|TSO4|TSO6 and 0, refused 0x8000: " + bad.getMessage());
            rtnl.linkSetUp(tun.ifindex(), true);
            rtnl.addAddress(tun.ifindex(), AF_INET, V4_ADDR, 24);
            rtnl.addRoute(Route.to(AF_INET, V4_ROUTED_NET, 24).dev(tun.ifindex()));
            udpRoundTrip(tun, V4_PEER, 0, Tun.VNET_HDR_LEN);
        }
    }

    /** poll() times out promptly; a worker polling with a timeout stops promptly; reads find nothing. */
    static void poll() throws Exception {
        try (TunDevice tun = Tun.create("siit0", 2, Tun.IFF_MULTI_QUEUE)) {
            Tun q = tun.queue(0);
            byte[] buf = new byte[2048];
            assertThat(q.poll(0)).isFalse();
            long t0 = System.nanoTime();
            boolean ready = q.poll(200);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ready).isFalse();
            assertThat(ms).isBetween(190L, 1000L);
            assertThat(q.read(buf, 0, buf.length)).as("read with nothing waiting").isEqualTo(-1);
            ok("poll(200) timed out after " + ms + " ms; read returned -1 (EAGAIN)");

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger polls = new AtomicInteger();
            List<Throwable> errors = new ArrayList<>();
            Thread worker = Thread.ofPlatform().name("tun-worker").start(() -> {
                try {
                    while (!stop.get()) {
                        polls.incrementAndGet();
                        if (q.poll(50)) {
                            q.read(buf, 0, buf.length);
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            });
            Thread.sleep(200);
            long s0 = System.nanoTime();
            stop.set(true);
            worker.join(2000);
            long stopMs = (System.nanoTime() - s0) / 1_000_000;
            assertThat(worker.isAlive()).isFalse();
            assertThat(errors).isEmpty();
            assertThat(stopMs).isLessThan(500);
            ok("worker stopped " + stopMs + " ms after its flag was set (" + polls.get() + " polls)");

            q.close();
            q.close(); // idempotent
            assertThat(q.isOpen()).isFalse();
            LinuxException closed = catchThrowableOfType(LinuxException.class, () -> q.read(buf, 0, 10));
            assertThat(closed.errno()).isEqualTo(Errno.EBADF);
            closed = catchThrowableOfType(LinuxException.class, () -> q.poll(10));
            assertThat(closed.errno()).isEqualTo(Errno.EBADF);
            assertThat(tun.queue(1).poll(10)).as("the other queue still works").isFalse();
            ok("closed queue reports EBADF: " + closed.getMessage());
        }
    }

    /** Errors surface as LinuxException with the errno name. */
    static void errors() throws Exception {
        try (Rtnetlink rtnl = Rtnetlink.open(); TunDevice tun = Tun.create("siit0", 1, 0)) {
            int ifx = tun.ifindex();
            byte[] pkt = Packets.udp(V4_ADDR, V4_PEER, 1, 2, new byte[8]);
            expect(() -> tun.queue(0).write(pkt, 0, pkt.length), "write", Errno.EIO, "write to a TUN that is down");
            expect(() -> rtnl.addRoute(Route.to(AF_INET, V4_ROUTED_NET, 24).dev(ifx)), "RTM_NEWROUTE", Errno.ENETDOWN,
                    "route through an interface that is down");
            rtnl.linkSetUp(ifx, true);

            expect(() -> rtnl.linkIndex("nosuch0"), "RTM_GETLINK", Errno.ENODEV, "linkIndex of a missing interface");
            expect(() -> rtnl.linkSetUp(99999, true), "RTM_GETLINK", Errno.ENODEV, "linkSetUp of a missing ifindex");
            expect(() -> rtnl.linkSetMtu(ifx, 50), "RTM_NEWLINK", Errno.EINVAL, "mtu below the minimum");

            rtnl.addAddress(ifx, AF_INET, V4_ADDR, 24);
            rtnl.addAddress(ifx, AF_INET6, V6_ADDR, 64);
            LinuxException dup = expect(() -> rtnl.addAddress(ifx, AF_INET, V4_ADDR, 24), "RTM_NEWADDR",
                    Errno.EEXIST, "duplicate IPv4 address");
            assertThat(dup.getMessage()).contains("EEXIST", "File exists", "192.0.2.1/24");
            expect(() -> rtnl.addAddress(ifx, AF_INET6, V6_ADDR, 64), "RTM_NEWADDR", Errno.EEXIST,
                    "duplicate IPv6 address");
            expect(() -> rtnl.deleteAddress(ifx, AF_INET, ip("192.0.2.9"), 24), "RTM_DELADDR", Errno.EADDRNOTAVAIL,
                    "deleting an absent address");
            expect(() -> rtnl.addAddress(99999, AF_INET, V4_ADDR, 24), "RTM_NEWADDR", Errno.ENODEV,
                    "address on a missing ifindex");

            Route r = Route.to(AF_INET, V4_ROUTED_NET, 24).dev(ifx);
            rtnl.addRoute(r);
            expect(() -> rtnl.addRoute(r), "RTM_NEWROUTE", Errno.EEXIST, "duplicate route");
            rtnl.deleteRoute(r);
            expect(() -> rtnl.deleteRoute(r), "RTM_DELROUTE", Errno.ESRCH, "deleting an absent route");
            expect(() -> rtnl.addRoute(Route.to(AF_INET, ip("198.51.100.1"), 24).dev(ifx)), "RTM_NEWROUTE",
                    Errno.EINVAL, "host bits set");
            expect(() -> rtnl.addRoute(Route.to(AF_INET, V4_ROUTED_NET, 24).dev(99999)), "RTM_NEWROUTE",
                    Errno.ENODEV, "route through a missing ifindex");
            expect(() -> rtnl.deleteProxyNeighbor(ifx, PROXY), "RTM_DELNEIGH", Errno.ENOENT,
                    "deleting an absent proxy entry");

            expect(() -> Tun.create("lo", 1, 0), "ioctl(TUNSETIFF)", Errno.EINVAL, "TUNSETIFF on a non-TUN device");
            expect(() -> Tun.create("siit0", 1, 0), "ioctl(TUNSETIFF)", Errno.EBUSY,
                    "second queue of a single-queue TUN");
            expect(() -> Tun.create("siit0", 1, Tun.IFF_MULTI_QUEUE), "ioctl(TUNSETIFF)", Errno.EINVAL,
                    "multi-queue open of a single-queue TUN");
            assertThat(run("ip", "link", "show", "dev", "siit0").exit()).as("failed opens left it alone").isZero();

            Sysctl sysctl = new Sysctl();
            NoSuchFileException missing = catchThrowableOfType(NoSuchFileException.class,
                    () -> sysctl.read("net.ipv6.conf.nosuch0.forwarding"));
            assertThat(missing).isNotNull();
            IOException refused = catchThrowableOfType(IOException.class,
                    () -> sysctl.write("net.ipv4.ip_forward", "banana"));
            assertThat(refused).hasMessageContaining("net.ipv4.ip_forward");
            assertThat(sysctl.read("net.ipv4.ip_forward")).isEqualTo("0");
            ok("sysctl: missing key -> NoSuchFileException; refused value -> " + refused.getMessage());
        }

        // No descriptor leaks, on success or failure paths.
        long fdsBefore = openFds();
        for (int i = 0; i < 25; i++) {
            Rtnetlink.open().close();
            Tun.create("siitleak", 2, Tun.IFF_MULTI_QUEUE).close();
            try (TunDevice held = Tun.create("siitleak", 1, 0)) {
                catchThrowableOfType(LinuxException.class, () -> Tun.create("siitleak", 1, 0)); // EBUSY
                catchThrowableOfType(LinuxException.class, () -> Tun.create("lo", 1, 0));       // EINVAL
                try (Rtnetlink r = Rtnetlink.open()) {
                    catchThrowableOfType(LinuxException.class, () -> r.linkIndex("nosuch0"));   // ENODEV
                    r.listAddresses(0);
                }
            }
        }
        assertThat(openFds()).as("open descriptors after 25 rounds of opening and failing").isEqualTo(fdsBefore);
        ok("no descriptor leaked over 25 rounds (" + fdsBefore + " open)");
    }

    private static long openFds() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** The undo stack removes everything, continuing past a failing action; a half-way start-up is undone. */
    static void undo() throws Exception {
        Sysctl sysctl = new Sysctl();
        String fwd6 = sysctl.read("net.ipv6.conf.all.forwarding");
        String fwd4 = sysctl.read("net.ipv4.ip_forward");
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            // A: the TUN stays open outside the stack, so each removal is the stack's own doing.
            try (TunDevice tun = Tun.create("siit0", 2, Tun.IFF_MULTI_QUEUE)) {
                Cleanup undo = new Cleanup();
                configureAll(rtnl, sysctl, tun, undo, true);
                assertThat(addrInfo("siit0")).contains("inet 192.0.2.1/24", "inet6 2001:db8::1/64");
                assertThat(sysctl.read("net.ipv6.conf.all.forwarding")).isEqualTo("1");
                assertThat(sysctl.read("net.ipv6.conf.siit0.proxy_ndp")).isEqualTo("1");
                ok("configured; undo stack: " + undo.pending());
                List<Cleanup.Failure> failures = undo.runAll();
                assertThat(failures).singleElement()
                        .satisfies(f -> assertThat(f.description()).isEqualTo("a deliberately failing undo"));
                assertThat(undo.size()).isZero();
                Map<String, Object> link = single(ipJson("link", "show", "dev", "siit0"));
                assertThat(link.get("mtu")).isEqualTo(1500L);
                assertThat(list(link.get("flags"))).doesNotContain("UP");
                assertThat(addrInfo("siit0")).doesNotContain("inet 192.0.2.1/24", "inet6 2001:db8::1/64");
                assertThat(routeDsts(ipJson("route", "show", "table", "all"))).doesNotContain("198.51.100.0/24");
                assertThat(routeDsts(ipJson("-6", "route", "show", "table", "all"))).doesNotContain("64:ff9b::/96");
                assertThat(sh("ip", "-6", "neigh", "show", "proxy")).doesNotContain("2001:db8::5");
                assertThat(sysctl.read("net.ipv6.conf.all.forwarding")).isEqualTo(fwd6);
                assertThat(sysctl.read("net.ipv4.ip_forward")).isEqualTo(fwd4);
                assertThat(sysctl.read("net.ipv6.conf.siit0.proxy_ndp")).isEqualTo("0");
                ok("undo ran past its failure (" + failures.getFirst() + ") and removed everything else");
            }

            // B: the TUN itself on the stack.
            Cleanup undo = new Cleanup();
            TunDevice tun = undo.pushClose("close TUN", Tun.create("siit0", 2, Tun.IFF_MULTI_QUEUE));
            configureAll(rtnl, sysctl, tun, undo, false);
            undo.close();
            assertThat(run("ip", "link", "show", "dev", "siit0").exit()).isNotZero();
            assertThat(undo.runAll()).isEmpty();
            ok("stack with the TUN on it: interface gone; running it again does nothing");

            // C: a start-up that fails half-way undoes what it did.
            Cleanup half = new Cleanup();
            LinuxException failure = null;
            try {
                TunDevice t = half.pushClose("close TUN", Tun.create("siit0", 1, 0));
                rtnl.linkSetUp(t.ifindex(), true);
                rtnl.addAddress(t.ifindex(), AF_INET, V4_ADDR, 24);
                half.push("delete 192.0.2.1/24", () -> rtnl.deleteAddress(t.ifindex(), AF_INET, V4_ADDR, 24));
                sysctl.set("net.ipv4.ip_forward", "1", half);
                rtnl.addAddress(t.ifindex(), AF_INET, V4_ADDR, 24); // fails: EEXIST
            } catch (LinuxException e) {
                failure = half.abort(e);
            }
            assertThat(failure).isNotNull();
            assertThat(failure.errnoName()).isEqualTo("EEXIST");
            assertThat(failure.getSuppressed()).isEmpty();
            assertThat(run("ip", "link", "show", "dev", "siit0").exit()).isNotZero();
            assertThat(sysctl.read("net.ipv4.ip_forward")).isEqualTo(fwd4);
            ok("half-way start-up failed with " + failure.errnoName() + " and was undone");
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void configureAll(Rtnetlink rtnl, Sysctl sysctl, TunDevice tun, Cleanup undo, boolean failing)
            throws Exception {
        int ifx = tun.ifindex();
        boolean wasUp = rtnl.linkSetUp(ifx, true);
        undo.push("restore link state", () -> rtnl.linkSetUp(ifx, wasUp));
        int mtu = rtnl.linkSetMtu(ifx, 1400);
        undo.push("restore mtu " + mtu, () -> rtnl.linkSetMtu(ifx, mtu));
        rtnl.addAddress(ifx, AF_INET, V4_ADDR, 24);
        undo.push("delete 192.0.2.1/24", () -> rtnl.deleteAddress(ifx, AF_INET, V4_ADDR, 24));
        rtnl.addAddress(ifx, AF_INET6, V6_ADDR, 64);
        undo.push("delete 2001:db8::1/64", () -> rtnl.deleteAddress(ifx, AF_INET6, V6_ADDR, 64));
        if (failing) {
            undo.push("a deliberately failing undo", () -> {
                throw new IllegalStateException("boom");
            });
        }
        Route r4 = Route.to(AF_INET, V4_ROUTED_NET, 24).dev(ifx).mtu(1260);
        rtnl.addRoute(r4);
        undo.push("delete route " + r4, () -> rtnl.deleteRoute(r4));
        Route r6 = Route.to(AF_INET6, ip("64:ff9b::"), 96).dev(ifx).mtu(1280).table(100);
        rtnl.addRoute(r6);
        undo.push("delete route " + r6, () -> rtnl.deleteRoute(r6));
        rtnl.addProxyNeighbor(ifx, PROXY);
        undo.push("delete proxy 2001:db8::5", () -> rtnl.deleteProxyNeighbor(ifx, PROXY));
        sysctl.set("net.ipv6.conf.all.forwarding", "1", undo);
        sysctl.set("net.ipv4.ip_forward", "1", undo);
        sysctl.set("net.ipv6.conf." + tun.name() + ".proxy_ndp", "1", undo);
    }

    /** A TUN "siit0" that is up with 192.0.2.1/24 and 2001:db8::1/64. */
    static TunDevice upTun(Rtnetlink rtnl, int queues) throws IOException {
        TunDevice tun = Tun.create("siit0", queues, queues > 1 ? Tun.IFF_MULTI_QUEUE : 0);
        try {
            rtnl.linkSetUp(tun.ifindex(), true);
            rtnl.linkSetMtu(tun.ifindex(), 1400);
            rtnl.addAddress(tun.ifindex(), AF_INET, V4_ADDR, 24);
            rtnl.addAddress(tun.ifindex(), AF_INET6, V6_ADDR, 64);
            return tun;
        } catch (IOException | RuntimeException e) {
            tun.close();
            throw e;
        }
    }

    /**
     * Sends a datagram from a socket to {@code peer}:7777 (routed into the TUN), reads it from the TUN
     * into the middle of a heap buffer, writes the answer from the peer through queue {@code writeQueue}
     * and checks the socket receives it.
     */
    private static void udpRoundTrip(TunDevice tun, byte[] peer, int writeQueue, int vnetHdr) throws Exception {
        boolean v6 = peer.length == 16;
        InetAddress peerAddr = InetAddress.getByAddress(peer);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(v6 ? "::" : "0.0.0.0", 0))) {
            socket.setSoTimeout(3000);
            byte[] hello = ("hello over IPv" + (v6 ? 6 : 4)).getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(hello, hello.length, peerAddr, 7777));
            Read got = readMatching(tun, vnetHdr, p -> Packets.isUdpTo(p, peer, 7777), 3000);
            byte[] request = got.packet();
            assertThat(Packets.udpPayload(request)).isEqualTo(hello);
            int localPort = Packets.udpSourcePort(request);
            assertThat(localPort).isEqualTo(socket.getLocalPort());
            byte[] local = Packets.source(request);
            assertThat(local).isEqualTo(v6 ? V6_ADDR : V4_ADDR);

            byte[] answer = ("answer over IPv" + (v6 ? 6 : 4)).getBytes(StandardCharsets.US_ASCII);
            byte[] reply = Packets.udp(peer, local, 7777, localPort, answer);
            // Written from the middle of a larger heap array, after the virtio_net_hdr (all zero: no offload).
            int off = 100;
            byte[] frame = new byte[off + vnetHdr + reply.length + 50];
            Arrays.fill(frame, (byte) 0x5a);
            Arrays.fill(frame, off, off + vnetHdr, (byte) 0);
            System.arraycopy(reply, 0, frame, off + vnetHdr, reply.length);
            int len = vnetHdr + reply.length;
            assertThat(tun.queue(writeQueue).write(frame, off, len)).isEqualTo(len);

            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            socket.receive(in);
            assertThat(Arrays.copyOf(in.getData(), in.getLength())).isEqualTo(answer);
            assertThat(in.getAddress()).isEqualTo(peerAddr);
            assertThat(in.getPort()).isEqualTo(7777);
            ok("UDP over IPv" + (v6 ? 6 : 4) + ": read on queue " + got.queue() + (vnetHdr > 0
                    ? " after a virtio_net_hdr " + hex(got.header()) : "")
                    + ", answer written on queue " + writeQueue + " reached the socket");
        }
    }

    record Read(int queue, byte[] header, byte[] packet) {
    }

    private static Read readMatching(TunDevice tun, Predicate<byte[]> wanted, int timeoutMs) throws IOException {
        return readMatching(tun, 0, wanted, timeoutMs);
    }

    /**
     * Reads from every queue (a flow may land on any) into the middle of a heap buffer until a packet
     * matches; others (router solicitations, MLD reports) are skipped.
     */
    private static Read readMatching(TunDevice tun, int vnetHdr, Predicate<byte[]> wanted, int timeoutMs)
            throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        byte[] buf = new byte[64 * 1024];
        int off = 17;
        Set<String> skipped = new HashSet<>();
        while (System.nanoTime() < deadline) {
            for (int q = 0; q < tun.queues().size(); q++) {
                Tun queue = tun.queue(q);
                if (!queue.poll(10)) {
                    continue;
                }
                int n = queue.read(buf, off, buf.length - off);
                if (n <= vnetHdr) {
                    continue;
                }
                byte[] header = Arrays.copyOfRange(buf, off, off + vnetHdr);
                byte[] packet = Arrays.copyOfRange(buf, off + vnetHdr, off + n);
                if (wanted.test(packet)) {
                    return new Read(q, header, packet);
                }
                skipped.add("IPv" + Packets.version(packet) + " proto " + Packets.protocol(packet));
            }
        }
        throw new AssertionError("no matching packet within " + timeoutMs + " ms; skipped: " + skipped);
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call}, expecting a LinuxException from {@code syscall} with {@code errno}. */
    private static LinuxException expect(Call call, String syscall, int errno, String what) {
        LinuxException e = catchThrowableOfType(LinuxException.class, call::run);
        assertThat(e).as(what).isNotNull();
        assertThat(e.syscall()).as(what).isEqualTo(syscall);
        assertThat(e.errno()).as(what + ": " + e.getMessage()).isEqualTo(errno);
        assertThat(e.errnoName()).isEqualTo(Errno.name(errno));
        assertThat(e.getMessage()).contains(syscall, Errno.name(errno), "errno " + errno, e.strerror());
        ok(what + " -> " + e.getMessage());
        return e;
    }

    static void ok(String what) {
        System.out.println("OK " + what);
    }

    static byte[] ip(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    /** "inet 192.0.2.1/24" per address of {@code dev}, from ip -j addr show. */
    private static List<String> addrInfo(String dev) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (Object a : list(single(ipJson("addr", "show", "dev", dev)).get("addr_info"))) {
            Map<String, Object> info = map(a);
            out.add(info.get("family") + " " + info.get("local") + "/" + info.get("prefixlen"));
        }
        return out;
    }

    private static Map<String, Object> routeTo(List<Map<String, Object>> routes, String dst) {
        return routes.stream().filter(r -> dst.equals(r.get("dst"))).findFirst()
                .orElseThrow(() -> new AssertionError("no route to " + dst + " in " + routes));
    }

    private static List<Object> routeDsts(List<Map<String, Object>> routes) {
        return routes.stream().map(r -> r.get("dst")).toList();
    }

    static List<Map<String, Object>> ipJson(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-j"));
        cmd.addAll(List.of(args));
        return MiniJson.objects(sh(cmd.toArray(String[]::new)));
    }

    private static Map<String, Object> single(List<Map<String, Object>> objects) {
        assertThat(objects).hasSize(1);
        return objects.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    record Result(int exit, String out) {
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), out);
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Result r = run(cmd);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out());
        }
        return r.out();
    }
}
