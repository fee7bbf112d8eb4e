package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.config.NodeAddresses;
import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.linux.IfAddress;
import dev.siitdc.linux.Rtnetlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code siitdc check-config} on each bad configuration of issue 10 items 6, 7 and 9: exit status 2,
 * one line {@code FILE:LINE: KEY: REASON}, no stack trace; and {@code siitdc run} on the same file stops with
 * the same line before it changes anything (check-config and run apply one validation).
 */
class CheckConfigRefusalsTest {
    private static final String POOL6 = "[translator]\npool6 = \"64:ff9b::/96\"\n";
    private static final String EAM = "\n[[eamt]]\nipv4 = \"198.51.100.10\"\nipv6 = \"2001:db8:a::10\"\n";
    private static final String RELAY = "\n[relay]\nrole = \"border-relay\"\n";

    @TempDir
    Path dir;

    /** Bad file name -> {its text, "LINE: KEY: " its refusal starts with, a word of the reason}. */
    private static Map<String, String[]> badFiles() {
        Map<String, String[]> m = new LinkedHashMap<>();
        // item 6: an EAM equal to own-ipv4-address (run stopped at the route, check-config said OK)
        m.put("eam-is-own-ipv4.toml", new String[] {POOL6 + "own-ipv4-address = \"192.0.2.1\"\n" + EAM
                + "\n[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"2001:db8:a::1\"\n" + RELAY,
                "10: eamt[2].ipv4: ", "is own-ipv4-address"});
        // item 7
        m.put("own6-unspecified.toml", new String[] {POOL6 + "own-ipv6-address = \"::\"\n", "3: own-ipv6-address: ",
                "unspecified"});
        m.put("rfc6791v4-zero.toml", new String[] {POOL6 + "rfc6791v4-prefix = \"0.0.0.0/0\"\n", "3: rfc6791v4-prefix: ",
                "/0"});
        m.put("rfc6791v6-zero.toml", new String[] {POOL6 + "rfc6791v6-prefix = \"::/0\"\n", "3: rfc6791v6-prefix: ",
                "/0"});
        m.put("own4-zero.toml", new String[] {POOL6 + "own-ipv4-address = \"0.0.0.0\"\n" + RELAY,
                "3: own-ipv4-address: ", "unspecified"});
        m.put("own4-multicast.toml", new String[] {POOL6 + "own-ipv4-address = \"224.0.0.5\"\n", "3: own-ipv4-address: ",
                "multicast"});
        m.put("own4-broadcast.toml", new String[] {POOL6 + "own-ipv4-address = \"255.255.255.255\"\n",
                "3: own-ipv4-address: ", "broadcast"});
        m.put("eam-v4-zero.toml", new String[] {POOL6 + EAM + "\n[[eamt]]\nipv4 = \"0.0.0.0/0\"\nipv6 = \"2001:db8::/96\"\n",
                "9: eamt[2].ipv4: ", "whole IPv4"});
        m.put("eam-v6-zero.toml", new String[] {POOL6 + "\n[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"::/0\"\n" + RELAY,
                "6: eamt[1].ipv6: ", "whole IPv6"});
        m.put("eam-in-pool6.toml", new String[] {POOL6 + "\n[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"64:ff9b::1:2\"\n",
                "6: eamt[1].ipv6: ", "inside pool6"});
        m.put("eam-loopback.toml", new String[] {POOL6 + "\n[[eamt]]\nipv4 = \"127.0.0.0/8\"\nipv6 = \"2001:db8::/104\"\n",
                "5: eamt[1].ipv4: ", "loopback"});
        m.put("eam-link-local.toml", new String[] {POOL6 + "\n[[eamt]]\nipv4 = \"192.0.2.1\"\nipv6 = \"fe80::1\"\n" + RELAY,
                "6: eamt[1].ipv6: ", "link-local"});
        m.put("eam-multicast.toml", new String[] {POOL6 + "\n[[eamt]]\nipv4 = \"239.0.0.0/24\"\nipv6 = \"2001:db8::/120\"\n",
                "5: eamt[1].ipv4: ", "multicast"});
        // item 9: the TOML reader never throws
        m.put("deep-arrays.toml", new String[] {POOL6 + "x = " + "[".repeat(100_000) + "\n", "3: syntax: ",
                "nested more than 64 deep"});
        m.put("deep-inline-tables.toml", new String[] {POOL6 + "\n\nx = " + "{a = ".repeat(100_000) + "\n",
                "5: syntax: ", "nested more than 64 deep"});
        m.put("deep-in-relay.toml", new String[] {POOL6 + RELAY + "service-addresses = " + "[".repeat(65) + "\n",
                "6: syntax: ", "nested more than 64 deep"});
        m.put("deep-closed.toml", new String[] {POOL6 + "x = " + "[".repeat(70) + "]".repeat(70) + "\n", "3: syntax: ",
                "nested more than 64 deep"});
        return m;
    }

    @Test
    void everyBadFileIsRefusedWithFileLineAndExitStatusTwo() throws IOException {
        for (Map.Entry<String, String[]> c : badFiles().entrySet()) {
            Path f = Files.writeString(dir.resolve(c.getKey()), c.getValue()[0]);
            CliRun r = CliRun.siitdc("check-config", f.toString());
            assertThat(r.exit()).as(c.getKey() + ": " + r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(r.out()).as(c.getKey()).isEmpty();
            assertThat(r.err()).as(c.getKey()).startsWith(f + ":" + c.getValue()[1]).contains(c.getValue()[2])
                    .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error:");
            assertThat(r.err().strip().lines().filter(l -> !l.contains("note: own-ipv4-address was not checked")))
                    .as(c.getKey() + ": one line").hasSize(1);
        }
    }

    @Test
    void runStopsOnEachBadFileWithTheSameLineAsCheckConfig() throws IOException {
        for (Map.Entry<String, String[]> c : badFiles().entrySet()) {
            Path f = Files.writeString(dir.resolve(c.getKey()), c.getValue()[0]);
            String check = CliRun.siitdc("check-config", f.toString()).err().lines()
                    .filter(l -> l.startsWith(f.toString())).findFirst().orElseThrow();
            CliRun r = CliRun.siitdc("run", "--config", f.toString());
            assertThat(r.exit()).as(c.getKey() + ": " + r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(r.err()).as(c.getKey()).contains(check).doesNotContain("\tat ");
        }
    }

    @Test
    void theOverrideAndAByteOrderMarkAreAccepted() throws IOException {
        Path f = Files.writeString(dir.resolve("override.toml"), POOL6 + "allow-special-purpose-eams = true\n"
                + "\n[[eamt]]\nipv4 = \"127.0.0.0/8\"\nipv6 = \"2001:db8::/104\"\n");
        CliRun r = CliRun.siitdc("check-config", f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(f + ": OK\n");

        Path bom = dir.resolve("bom.toml");
        Files.write(bom, ("\uFEFF" + POOL6 + "ipv4-mtu = 20\n").getBytes(StandardCharsets.UTF_8));
        r = CliRun.siitdc("check-config", bom.toString());
        assertThat(r.err()).as("the line count is the file's").startsWith(bom + ":3: ipv4-mtu: ");
        Files.write(bom, ("\uFEFF" + POOL6 + EAM + RELAY).getBytes(StandardCharsets.UTF_8));
        r = CliRun.siitdc("check-config", bom.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(bom + ": OK\n");
    }

    @Test
    void ownIpv4AddressOnAnInterfaceOfThisNodeIsRefused() throws Exception {
        String address = null;
        String ifname = null;
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            for (IfAddress a : rtnl.listAddresses(0)) {
                int v4 = a.ipv6() ? 0 : Ipv4Prefix.read(a.address().getAddress(), 0);
                if (!a.ipv6() && (v4 >>> 24) != 127) {
                    address = Ipv4Prefix.format(v4);
                    ifname = rtnl.link(a.ifindex()).name();
                    break;
                }
            }
        }
        assumeTrue(address != null, "this node has no IPv4 address outside 127/8");
        Path f = Files.writeString(dir.resolve("own4-local.toml"), POOL6 + "own-ipv4-address = \"" + address + "\"\n"
                + EAM + RELAY);
        CliRun r = CliRun.siitdc("check-config", f.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).isEqualTo(f + ":3: own-ipv4-address: " + address + " is an address of this node (on "
                + ifname + "): the kernel would drop the translator's ICMPv4 errors from it as martians; choose an"
                + " address the node does not hold (check-config checks against the node it runs on)\n");
        r = CliRun.siitdc("run", "--config", f.toString());
        assertThat(r.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains(f + ":3: own-ipv4-address: " + address + " is an address of this node");
        // translate and explain work offline, on any node: they do not apply the node's rule
        assertThat(NodeAddresses.read().skipped()).isNull();
    }
}
