package dev.siitdc.cli;

import dev.siitdc.daemon.explain.Addr;
import dev.siitdc.daemon.explain.Explainer;
import dev.siitdc.daemon.explain.Node;
import dev.siitdc.daemon.explain.Probe;
import dev.siitdc.daemon.explain.View;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.siitdc.cli.CliRun.siitdc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc explain} on the RFC 7756 Figure 5 and Figure 6 examples (test configurations in
 * src/test/resources/explain reproduce the addressing of s5.1 and s5.2), and its drop reasons and
 * errors.
 */
class ExplainCommandTest {
    @TempDir
    Path dir;


    static String res(String name) {
        try {
            return Path.of(ExplainCommandTest.class.getResource("/explain/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the explainer itself, for the packets of each hop. */
    static Explainer.Result explain(String src, String dst, String... configs) throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (String c : configs) nodes.add(Node.load(res(c)));
        byte[] p = Probe.build(Addr.parse(src).bytes(), Addr.parse(dst).bytes(), Probe.Proto.UDP, 53,
                Probe.defaultSize(src.contains(":") ? 6 : 4, Probe.Proto.UDP), true);
        return new Explainer(nodes).run(p);
    }

    /** {@link #explain}, which must deliver the packet after {@code packets} packets (the first one included). */
    static Explainer.Result delivered(int packets, String src, String dst, String... configs) throws Exception {
        Explainer.Result r = explain(src, dst, configs);
        assertThat(r.outcome()).isEqualTo(Explainer.Outcome.DELIVERED);
        assertThat(r.packets()).hasSize(packets);
        return r;
    }

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Packet {@code p} has the SRC and DST the RFC prints. */
    static void assertPacket(View p, int version, String src, String dst) {
        assertThat(p.version).as("version").isEqualTo(version);
        int n = version == 4 ? 4 : 16, s = version == 4 ? 12 : 8;
        assertThat(Arrays.copyOfRange(p.b, s, s + n)).as("SRC " + src).isEqualTo(addr(src));
        assertThat(Arrays.copyOfRange(p.b, s + n, s + 2 * n)).as("DST " + dst).isEqualTo(addr(dst));
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String figure(String out) {
        int from = out.indexOf("\n\n") + 2;
        return out.substring(from, out.indexOf("\n\n", from) + 1);
    }

    // ------------------------------------------------------------------ RFC 7756 Figure 5

    @Test
    void figure5HairpinnedThroughTheBorderRelay() throws Exception {
        Explainer.Result r = delivered(4, "192.0.2.1", "192.0.2.2", "fig5/er-a.toml", "fig5/br.toml", "fig5/er-b.toml");
        // the addresses RFC 7756 Figure 5 prints in Pkt#1 .. Pkt#4
        assertPacket(r.packets().get(0), 4, "192.0.2.1", "192.0.2.2");
        assertPacket(r.packets().get(1), 6, "2001:db8:a::", "2001:db8:46::192.0.2.2");
        assertPacket(r.packets().get(2), 6, "2001:db8:46::192.0.2.1", "2001:db8:b::");
        assertPacket(r.packets().get(3), 4, "192.0.2.1", "192.0.2.2");
    }

    @Test
    void figure5Output() {
        CliRun r = siitdc("explain", "--config", res("fig5/er-a.toml"), "--config", res("fig5/br.toml"),
                "--config", res("fig5/er-b.toml"), "192.0.2.1", "192.0.2.2");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(figure(r.out())).isEqualTo("""
                +-[Pkt#1: IPv4]-+             +-[Pkt#2: IPv6]--------------+
                | SRC 192.0.2.1 |  (XLAT#1)   | SRC 2001:db8:a::           |
                | DST 192.0.2.2 |--(@ ER A)-->| DST 2001:db8:46::192.0.2.2 |---\\
                +---------------+             +----------------------------+   |
                                                                            (XLAT#2)
                +-[Pkt#4: IPv4]-+             +-[Pkt#3: IPv6]--------------+ (@ BR)
                | SRC 192.0.2.1 |  (XLAT#3)   | SRC 2001:db8:46::192.0.2.1 |   |
                | DST 192.0.2.2 |<--(@ ER B)--| DST 2001:db8:b::           |<--/
                +---------------+             +----------------------------+
                """);
        String out = r.out();
        // XLAT#1 @ ER A: source by its EAM, destination by pool6
        assertThat(out).contains("XLAT#1 @ ER A")
                .containsPattern("SRC +192\\.0\\.2\\.1 -> 2001:db8:a::\n +by EAM eamt\\[1\\] 192\\.0\\.2\\.1/32 <-> "
                        + "2001:db8:a::/128 \\(.*er-a\\.toml:9\\)")
                .containsPattern("DST +192\\.0\\.2\\.2 -> 2001:db8:46::192\\.0\\.2\\.2\n +by pool6 2001:db8:46::/96 "
                        + "\\(.*er-a\\.toml:6\\): no EAM covers 192\\.0\\.2\\.2");
        // XLAT#2 @ BR: hairpinned, the second pass's source by pool6 although an EAM covers it
        assertThat(out).contains("XLAT#2 @ BR", "hairpinned", "192.0.2.2 is inside eamt[2] 192.0.2.2/32 <-> 2001:db8:b::/128",
                        "eam-hairpin-mode = \"intrinsic\"")
                .containsPattern("SRC +192\\.0\\.2\\.1 -> 2001:db8:46::192\\.0\\.2\\.1\n +by pool6 .*: a hairpinned "
                        + "packet's source skips the EAMT \\(RFC 7757 s4.2.2\\)")
                .containsPattern("DST +192\\.0\\.2\\.2 -> 2001:db8:b::\n +by EAM eamt\\[2\\]");
        // XLAT#3 @ ER B: the s6 filter passes, delivered to the application
        assertThat(out).contains("XLAT#3 @ ER B", "RFC 7756 s6: pass",
                "delivered: DST 192.0.2.2 is a local IPv4 Service Address of ER B",
                "the IPv4 route MTU siitdc run gives the applications is 1260 = lowest-ipv6-mtu 1280",
                "result: delivered after 3 translations (XLAT#1 @ ER A, XLAT#2 @ BR, XLAT#3 @ ER B)");
    }

    @Test
    void figure5ReturnTrafficIsHairpinnedTheSameWay() throws Exception {
        Explainer.Result r = delivered(4, "192.0.2.2", "192.0.2.1", "fig5/er-b.toml", "fig5/br.toml", "fig5/er-a.toml");
        assertPacket(r.packets().get(1), 6, "2001:db8:b::", "2001:db8:46::192.0.2.1");
        assertPacket(r.packets().get(2), 6, "2001:db8:46::192.0.2.2", "2001:db8:a::");
        assertPacket(r.packets().get(3), 4, "192.0.2.2", "192.0.2.1");
    }

    @Test
    void withoutHairpinningTheSourceComesOutAsItsEamAndErBRefusesIt() throws Exception {
        String br = Files.readString(Path.of(res("fig5/br.toml"))).replace("\"intrinsic\"", "\"off\"");
        Path off = file("br.toml", br);
        CliRun r = siitdc("explain", "--config", res("fig5/er-a.toml"), "--config", off.toString(),
                "--config", res("fig5/er-b.toml"), "192.0.2.1", "192.0.2.2");
        assertThat(r.exit()).isZero();
        // the BR emits IPv4 192.0.2.1 -> 192.0.2.2, routes it back into itself (EAM route), and the second
        // translation uses the source's EAM: ER B has no mapping for 2001:db8:a::
        assertThat(r.out()).contains("hairpin not done", "eam-hairpin-mode = \"off\"", "routed back into BR",
                "SRC 2001:db8:a:: is in no EAM and outside pool6 2001:db8:46::/96",
                "result: dropped at XLAT#4 @ ER B: drop-6to4-source-untranslatable");
    }

    // ------------------------------------------------------------------ RFC 7756 Figure 6

    @Test
    void figure6StraightAcrossTheIpv6Network() throws Exception {
        Explainer.Result r = delivered(3, "192.0.2.1", "192.0.2.2", "fig6/er-a.toml", "fig6/er-b.toml");
        // the addresses RFC 7756 Figure 6 prints in Pkt#1 .. Pkt#3
        assertPacket(r.packets().get(0), 4, "192.0.2.1", "192.0.2.2");
        assertPacket(r.packets().get(1), 6, "2001:db8:a::", "2001:db8:b::");
        assertPacket(r.packets().get(2), 4, "192.0.2.1", "192.0.2.2");
    }

    @Test
    void figure6Output() {
        CliRun r = siitdc("explain", "--config", res("fig6/er-a.toml"), "--config", res("fig6/er-b.toml"),
                "192.0.2.1", "192.0.2.2", "tcp", "443");
        assertThat(r.exit()).isZero();
        assertThat(figure(r.out())).isEqualTo("""
                +-[Pkt#1: IPv4]-+             +-[Pkt#2: IPv6]----+
                | SRC 192.0.2.1 |  (XLAT#1)   | SRC 2001:db8:a:: |
                | DST 192.0.2.2 |--(@ ER A)-->| DST 2001:db8:b:: |
                +---------------+             +------------------+
                                                        |
                +-[Pkt#3: IPv4]-+                       |
                | SRC 192.0.2.1 |       (XLAT#2)        |
                | DST 192.0.2.2 |<-------(@ ER B)-------/
                +---------------+
                """);
        assertThat(r.out()).contains("IPv4 TCP 192.0.2.1:49152 -> 192.0.2.2:443")
                .containsPattern("DST +192\\.0\\.2\\.2 -> 2001:db8:b::\n +by EAM eamt\\[2\\] 192\\.0\\.2\\.2/32 <-> "
                        + "2001:db8:b::/128 \\(.*er-a\\.toml:12\\)")
                .containsPattern("SRC +2001:db8:a:: -> 192\\.0\\.2\\.1\n +by EAM eamt\\[1\\]")
                .contains("result: delivered after 2 translations (XLAT#1 @ ER A, XLAT#2 @ ER B)");
    }

    @Test
    void figure6LeavesTheBorderRelayOutOfThePath() throws Exception {
        Explainer.Result r = explain("192.0.2.1", "192.0.2.2", "fig6/er-a.toml", "fig5/br.toml", "fig6/er-b.toml");
        assertThat(r.packets()).hasSize(3);
        assertPacket(r.packets().get(1), 6, "2001:db8:a::", "2001:db8:b::");
        assertThat(r.text()).contains("note: BR (").contains(") is not on this path");
    }

    // ------------------------------------------------------------------ drop reasons

    @Test
    void untranslatableIpv6Source() {
        CliRun r = siitdc("explain", "--config", res("fig5/br.toml"), "2001:db8:ffff::1", "2001:db8:46::198.51.100.7");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("DROP    drop-6to4-source-untranslatable:",
                "SRC 2001:db8:ffff::1 is in no EAM and outside pool6 2001:db8:46::/96",
                "answer  none:", "no own-ipv6-address is set",
                "result: dropped at XLAT#1 @ BR: drop-6to4-source-untranslatable");
    }

    @Test
    void untranslatableSourceIsAnsweredWhenTheTranslatorHasAnAddress() {
        CliRun r = siitdc("explain", "--config", res("wkp-br.toml"), "2001:db8:eeee::1", "64:ff9b::8.8.8.8");
        assertThat(r.out()).contains("drop-6to4-source-untranslatable",
                "answer  IPv6 ICMPv6 destination-unreachable (code 5) 2001:db8:ffff::1 -> 2001:db8:eeee::1");
    }

    @Test
    void wellKnownPrefixWithANonGlobalAddress() {
        CliRun six = siitdc("explain", "--config", res("wkp-br.toml"), "2001:db8:c::10", "64:ff9b::10.1.2.3");
        assertThat(six.exit()).isZero();
        assertThat(six.out()).contains("drop-6to4-wkp-non-global",
                "DST 64:ff9b::10.1.2.3 embeds 10.1.2.3, in 10.0.0.0/8, private-use (RFC 1918), not a global address",
                "RFC 6052 s3.1");
        CliRun four = siitdc("explain", "--config", res("wkp-br.toml"), "192.168.1.1", "198.51.100.10", "tcp", "22");
        assertThat(four.out()).contains("drop-4to6-wkp-non-global",
                "SRC 192.168.1.1 is in 192.168.0.0/16, private-use (RFC 1918), not a global address");
        // a global address passes the same prefix
        CliRun ok = siitdc("explain", "--config", res("wkp-br.toml"), "8.8.8.8", "198.51.100.10");
        assertThat(ok.out()).contains("8.8.8.8 -> 64:ff9b::8.8.8.8", "leaves on the IPv6 network toward DST 2001:db8:c::10");
    }

    @Test
    void spoofedIpv4SourceOnAnEdgeRelay() {
        CliRun r = siitdc("explain", "--config", res("fig5/er-a.toml"), "--config", res("fig5/br.toml"),
                "--config", res("fig5/er-b.toml"), "192.0.2.99", "192.0.2.2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("DROP    er-drop-ipv4-source-without-eam:",
                "SRC 192.0.2.99 is covered by no EAM of ER A", "spoofed IPv4 source",
                "result: dropped at XLAT#1 @ ER A: er-drop-ipv4-source-without-eam")
                .contains("| by ER A                         |");
    }

    @Test
    void ipv6SourceThatIsOrMapsToALocalServiceAddress() {
        CliRun same = siitdc("explain", "--config", res("fig5/er-b.toml"), "2001:db8:b::", "2001:db8:b::");
        assertThat(same.out()).contains("er-drop-ipv6-source-is-local-service-address",
                "SRC 2001:db8:b:: is the IPv6 Service Address of 192.0.2.2");
        CliRun maps = siitdc("explain", "--config", res("fig5/er-b.toml"), "2001:db8:46::192.0.2.2", "2001:db8:b::");
        assertThat(maps.out()).contains("er-drop-ipv6-source-maps-to-local-service-address",
                "SRC 2001:db8:46::192.0.2.2 translates to 192.0.2.2 by pool6 2001:db8:46::/96");
    }

    @Test
    void deniedDestination() {
        CliRun r = siitdc("explain", "--config", res("fig5/er-a.toml"), "192.0.2.1", "224.0.0.1");
        assertThat(r.out()).contains("drop-4to6-destination-untranslatable",
                "DST 224.0.0.1 is in 224.0.0.0/4, multicast (RFC 5771): never translated (RFC 1812 s5.3.7)");
        CliRun loop = siitdc("explain", "--config", res("fig5/br.toml"), "2001:db8:a::", "2001:db8:46::127.0.0.1");
        assertThat(loop.out()).contains("drop-6to4-destination-untranslatable",
                "maps to 127.0.0.1", "127.0.0.0/8, loopback");
    }

    @Test
    void mtuFragmentationNeededAndFragmentation() {
        CliRun df = siitdc("explain", "--config", res("fig5/er-a.toml"), "--size", "1500", "192.0.2.1", "192.0.2.2");
        assertThat(df.out()).contains("drop-4to6-fragmentation-needed",
                "IPv4 1500 bytes with DF set become 1520 bytes of IPv6 > ipv6-mtu 1500",
                "answer  IPv4 ICMP destination-unreachable (code 4)", "MTU 1480 (the translator's own error",
                "the IPv4 route MTU is 1260");
        CliRun frag = siitdc("explain", "--config", res("fig5/er-a.toml"), "--size", "1500", "--no-df",
                "192.0.2.1", "192.0.2.2");
        assertThat(frag.out()).contains("DF clear: fragmented into 2 IPv6 packets of at most "
                + "min(lowest-ipv6-mtu, ipv6-mtu) = 1280 bytes");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void badConfigIsFileLineKeyReason() {
        CliRun r = siitdc("explain", "--config", res("bad.toml"), "192.0.2.1", "192.0.2.2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).matches("(?s).*bad\\.toml:2: pool6: prefix length /95 is not one RFC 6052 .*\n")
                .doesNotContain("Exception");
    }

    @Test
    void missingConfig() {
        CliRun r = siitdc("explain", "--config", dir.resolve("nope.toml").toString(), "192.0.2.1", "192.0.2.2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.toml:1: file: cannot read");
    }

    @Test
    void badAddressesAndArguments() {
        String a = res("fig5/er-a.toml");
        CliRun src = siitdc("explain", "--config", a, "300.1.2.3", "192.0.2.2");
        assertThat(src.exit()).isEqualTo(2);
        assertThat(src.err()).isEqualTo("siitdc explain: SRC: \"300.1.2.3\" is not an IP address "
                + "(octet 300 is greater than 255)\n");
        CliRun dst = siitdc("explain", "--config", a, "192.0.2.1", "example.org");
        assertThat(dst.exit()).isEqualTo(2);
        assertThat(dst.err()).startsWith("siitdc explain: DST: \"example.org\" is not an IP address");
        CliRun mixed = siitdc("explain", "--config", a, "192.0.2.1", "2001:db8::1");
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.err()).contains("DST: \"2001:db8::1\" is an IPv6 address and SRC \"192.0.2.1\" an IPv4 one");
        CliRun prefix = siitdc("explain", "--config", a, "192.0.2.0/24", "192.0.2.2");
        assertThat(prefix.err()).contains("SRC: \"192.0.2.0/24\" is a prefix; give one address");
        CliRun proto = siitdc("explain", "--config", a, "192.0.2.1", "192.0.2.2", "sctp");
        assertThat(proto.exit()).isEqualTo(2);
        assertThat(proto.err()).contains("PROTO: \"sctp\" is not udp, tcp or icmp");
        CliRun port = siitdc("explain", "--config", a, "192.0.2.1", "192.0.2.2", "udp", "70000");
        assertThat(port.err()).contains("PORT: \"70000\" is not a port number (1 to 65535)");
        CliRun icmpPort = siitdc("explain", "--config", a, "192.0.2.1", "192.0.2.2", "icmp", "7");
        assertThat(icmpPort.err()).contains("PORT: icmp has no ports");
        CliRun size = siitdc("explain", "--config", a, "--size", "20", "192.0.2.1", "192.0.2.2");
        assertThat(size.exit()).isEqualTo(2);
        assertThat(size.err()).contains("--size: 20 does not fit an IPv4 UDP packet: give 28 to 65535 bytes");
    }

    @Test
    void labels() {
        assertThat(Node.defaultLabel("x/er-a.toml")).isEqualTo("ER A");
        assertThat(Node.defaultLabel("br.toml")).isEqualTo("BR");
        assertThat(Node.defaultLabel("/etc/siitdc/edge.toml")).isEqualTo("edge");
        CliRun r = siitdc("explain", "--config", "EDGE=" + res("fig6/er-a.toml"), "--config", res("fig6/er-b.toml"),
                "192.0.2.1", "192.0.2.2", "icmp");
        assertThat(r.out()).contains("--(@ EDGE)-->", "XLAT#1 @ EDGE", "IPv4 ICMP echo-request 192.0.2.1 -> 192.0.2.2",
                "IPv6 ICMPv6 echo-request 2001:db8:a:: -> 2001:db8:b::");
    }
}
