package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PacketSocket} against the real kernel: a veth pair between two fresh namespaces (deleted after
 * each test, even when it fails), the socket opened inside the first through setns(2) from this JVM,
 * which stays in its own namespace. Needs root and iproute2 (and bash, for its /dev/udp), else skipped
 * loudly.
 */
class PacketSocketTest {
    @RegisterExtension
    static final KernelSuite SUITE = new KernelSuite("packet socket tests", "root, /dev/net/tun and iproute2", true, 2);

    /** tcpdump -dd -i VETH 'ip and udp': Ethernet type IPv4, protocol 17, else drop. */
    private static final int[] IP_AND_UDP_ETHERNET = {
            0x28, 0, 0, 0x0000000c,
            0x15, 0, 3, 0x00000800,
            0x30, 0, 0, 0x00000017,
            0x15, 0, 1, 0x00000011,
            0x6, 0, 0, 0x00040000,
            0x6, 0, 0, 0x00000000,
    };

    private static final String V0 = "pkt0", V1 = "pkt1", A0 = "192.0.2.1", A1 = "192.0.2.2";

    private static Path netns(Netns ns) {
        return Path.of("/run/netns", ns.name());
    }

    /** veth V0 (A0) in namespace 0, its peer V1 (A1) in namespace 1, both up. */
    private static void veth() throws Exception {
        Netns a = SUITE.ns(0), b = SUITE.ns(1);
        ok(a, "ip", "link", "add", V0, "type", "veth", "peer", "name", V1, "netns", b.name());
        ok(a, "ip", "addr", "add", A0 + "/24", "dev", V0);
        ok(b, "ip", "addr", "add", A1 + "/24", "dev", V1);
        ok(a, "ip", "link", "set", V0, "up");
        ok(b, "ip", "link", "set", V1, "up");
    }

    private static void ok(Netns ns, String... cmd) throws Exception {
        Netns.Result r = ns.exec(List.of(cmd), 20);
        assertThat(r.exit()).as("%s: %s", String.join(" ", cmd), r.out()).isZero();
    }

    /** One UDP datagram of {@code text} from A0 to A1 port 9 (the first one also ARPs for A1). */
    private static void sendUdp(String text) throws Exception {
        ok(SUITE.ns(0), "bash", "-c", "printf %s " + text + " > /dev/udp/" + A1 + "/9");
    }

    private static List<byte[]> drain(PacketSocket s, int room, List<Integer> lengths) throws Exception {
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[room];
        int n;
        while ((n = s.receive(buf, 0, room, 1000)) > 0) {
            out.add(java.util.Arrays.copyOf(buf, n));
            lengths.add(s.lastLength());
        }
        return out;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    @Test
    void capturesOnlyWhatTheFilterAcceptsOnTheVethInsideTheNamespace() throws Exception {
        veth();
        try (PacketSocket s = PacketSocket.openIn(netns(SUITE.ns(0)), V0)) {
            assertThat(s.hardwareType()).isEqualTo(PacketSocket.ARPHRD_ETHER);
            assertThat(s.ethernet()).isTrue();
            s.start(IP_AND_UDP_ETHERNET, 1 << 20);
            sendUdp("hello");
            List<Integer> lengths = new ArrayList<>();
            List<byte[]> frames = drain(s, 2048, lengths);
            // The ARP exchange that came first is not there: only the datagram, Ethernet + IPv4 + UDP + 5 bytes.
            assertThat(frames).hasSize(1);
            byte[] f = frames.get(0);
            assertThat(f).hasSize(14 + 20 + 8 + 5);
            assertThat(lengths).containsExactly(47);
            assertThat(u16(f, 12)).isEqualTo(0x0800);
            assertThat(f[14 + 9]).isEqualTo((byte) 17);
            assertThat(u16(f, 14 + 20 + 2)).isEqualTo(9);
            assertThat(new String(f, 42, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello");
            // Nothing more: a receive times out with 0.
            assertThat(s.receive(new byte[64], 0, 64, 200)).isZero();
        }
    }

    @Test
    void aPacketLongerThanTheRoomIsCutAndItsFullLengthKept() throws Exception {
        veth();
        try (PacketSocket s = PacketSocket.openIn(netns(SUITE.ns(0)), V0)) {
            s.start(IP_AND_UDP_ETHERNET, 0);
            sendUdp("0123456789abcdefghij");
            List<Integer> lengths = new ArrayList<>();
            List<byte[]> frames = drain(s, 20, lengths);
            assertThat(frames).hasSize(1);
            assertThat(frames.get(0)).hasSize(20);
            assertThat(lengths).containsExactly(14 + 20 + 8 + 20);
        }
    }

    @Test
    void aTunIsRawIpAndTheHostNamespaceDoesNotHaveTheDevice() throws Exception {
        ok(SUITE.ns(0), "ip", "tuntap", "add", "mode", "tun", "name", "pkttun0");
        try (PacketSocket s = PacketSocket.openIn(netns(SUITE.ns(0)), "pkttun0")) {
            assertThat(s.hardwareType()).isEqualTo(PacketSocket.ARPHRD_NONE);
            assertThat(s.ethernet()).isFalse();
        }
        // The socket was made on another thread: this one is still in the JVM's own namespace, which
        // has no pkttun0 (a name no other test uses).
        assertThatThrownBy(() -> PacketSocket.open("pkttun0"))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
    }

    @Test
    void failuresNameTheirStep() throws Exception {
        veth();
        Path missing = Path.of("/run/netns", SUITE.ns(0).name() + "-nosuch");
        assertThatThrownBy(() -> PacketSocket.openIn(missing, V0))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.syscall()).isEqualTo("open");
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                });
        assertThatThrownBy(() -> PacketSocket.openIn(netns(SUITE.ns(0)), "nosuch0"))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
        try (PacketSocket s = PacketSocket.openIn(netns(SUITE.ns(0)), V0)) {
            assertThatThrownBy(() -> s.start(new int[] {0x6, 0, 0}, 0)).isInstanceOf(IllegalArgumentException.class);
            // A jump past the end: the kernel's checker refuses it.
            assertThatThrownBy(() -> s.start(new int[] {0x15, 5, 5, 0, 0x6, 0, 0, 0}, 0))
                    .isInstanceOfSatisfying(LinuxException.class, e -> {
                        assertThat(e.syscall()).contains("SO_ATTACH_FILTER");
                        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    });
        }
    }
}
