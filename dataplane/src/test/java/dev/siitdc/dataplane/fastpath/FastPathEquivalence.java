package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.core.xlat.Translator;
import dev.siitdc.linux.bpf.Bpf;
import dev.siitdc.linux.bpf.BpfException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs one packet through the BPF program (BPF_PROG_TEST_RUN, an Ethernet frame, no_forward) and through
 * the Java core, and checks that the program either gives the core's packet byte for byte, or punts
 * explicitly: TC_ACT_OK, the frame unchanged and one punt counter up. The IPv4 Identification of an
 * IPv6 packet without a Fragment header (RFC 7915 s5.1) is a generated field: checked by its rule (DF
 * by the 1260-byte threshold, compared with the core's), not by its value.
 */
final class FastPathEquivalence {
    enum Outcome { TRANSLATED, PUNTED }

    private static FastPath fastPath;
    private static String skip;

    private TranslatorConfig installedConfig;
    private List<Eam> installedEamt;
    private Translator core;
    private long installedAs = -1;
    private FastPathFilter installedFilter = FastPathFilter.NONE;
    private dev.siitdc.dataplane.RelayFilter relayFilter;
    private Settings settings;

    /** The loaded program, or skips the test (not root, no object, no libbpf). */
    static synchronized FastPath fastPath() {
        if (fastPath == null && skip == null) {
            if (!isRoot()) skip = "BPF_PROG_TEST_RUN needs root";
            else if (FastPath.unavailableReason() != null) skip = "fast path unavailable: " + FastPath.unavailableReason();
            else {
                try {
                    fastPath = FastPath.load();
                    fastPath.graceNanos(0);     // a test run is synchronous: no packet is in flight
                } catch (BpfException e) {
                    throw new AssertionError("loading the fast path: " + e.getMessage(), e);
                }
            }
        }
        assumeTrue(skip == null, skip);
        return fastPath;
    }

    /** A configuration that maps nothing the other tests use (after a test that forwards). */
    static TranslatorConfig noopConfig() throws dev.siitdc.core.config.ConfigException {
        TranslatorConfig.Builder b = TranslatorConfig.builder();
        b.pool6 = dev.siitdc.core.addr.Ipv6Prefix.parse("3fff:ffff::/96");
        return b.build();
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("Uid:")) return l.split("\\s+")[1].equals("0");
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Uses this configuration (and EAMT, which may be one the configuration would refuse) from now on. */
    void configure(TranslatorConfig cfg, List<Eam> eamt) throws BpfException {
        configure(cfg, eamt, FastPathFilter.NONE);
    }

    /** With an Edge Relay's RFC 7756 s6 filters: what RelayFilter drops on the TUN path, the program must punt. */
    void configure(TranslatorConfig cfg, List<Eam> eamt, FastPathFilter filter) throws BpfException {
        if (cfg.equals(installedConfig) && eamt.equals(installedEamt) && filter.equals(installedFilter)
                && fastPath().installs() == installedAs) return;
        fastPath().install(cfg, eamt, filter, true);
        installedFilter = filter;
        relayFilter = !filter.edge() ? null : filter.networkBased()
                ? dev.siitdc.dataplane.RelayFilter.networkEdgeRelay(filter.serviceAddresses())
                : dev.siitdc.dataplane.RelayFilter.edgeRelay(filter.serviceAddresses());
        installedAs = fastPath().installs();
        Settings s = Settings.compile(cfg);
        if (!eamt.equals(cfg.eamt())) s = s.withEamTable(EamTable.of(eamt));
        core = new Translator(new SettingsRef(s), new Counters());
        settings = s;
        installedConfig = cfg;
        installedEamt = eamt;
    }

    /** What the core does with the packet: its one translated packet, or null (dropped, an error, fragments). */
    byte[] coreOutput(byte[] packet) {
        byte[] buf = new byte[Translator.HEADROOM + packet.length + 128];
        System.arraycopy(packet, 0, buf, Translator.HEADROOM, packet.length);
        if (relayFilter != null && relayFilter.check(buf, Translator.HEADROOM, packet.length, settings) != null) return null;
        List<byte[]> out = new ArrayList<>();
        boolean[] originated = { false };
        core.translate(buf, Translator.HEADROOM, packet.length, (b, off, len) -> {
            if (core.isOriginating()) originated[0] = true;
            out.add(Arrays.copyOfRange(b, off, off + len));
        });
        if (originated[0] || out.size() != 1) return null;
        byte[] o = out.getFirst();
        if ((o[0] >> 4 & 0xf) == (packet[0] >> 4 & 0xf)) return null;    // 44 / 66: hairpin or own
        return o;
    }

    /** Runs the packet through both; throws AssertionError naming {@code name} when they disagree. */
    Outcome check(String name, byte[] packet) throws BpfException {
        FastPath fp = fastPath();
        byte[] expected = coreOutput(packet);
        byte[] frame = frame(packet);
        Map<FastPathCounter, Long> before = fp.counters();
        Bpf.TestRun r = fp.testRun(frame);
        Map<FastPathCounter, Long> after = fp.counters();
        long punts = 0, translated = 0;
        for (FastPathCounter c : FastPathCounter.values()) {
            long d = after.get(c) - before.get(c);
            if (c.isPunt()) punts += d;
            if (c == FastPathCounter.TRANSLATED46 || c == FastPathCounter.TRANSLATED64) translated += d;
        }
        if (r.retval() != 0) fail(name, "program returned " + r.retval() + ", not TC_ACT_OK", packet, expected, r.data());
        if (Arrays.equals(r.data(), frame)) {
            if (punts != 1 || translated != 0)
                fail(name, "output == input but " + punts + " punt(s) and " + translated + " translation(s) counted",
                        packet, expected, r.data());
            return Outcome.PUNTED;
        }
        if (expected == null) fail(name, "the core does not translate this packet, the BPF program did", packet, null, r.data());
        if (translated != 1 || punts != 0) fail(name, "translated but counted " + translated + "/" + punts, packet, expected, r.data());
        byte[] got = Arrays.copyOfRange(r.data(), 14, r.data().length);
        int etherType = (r.data()[12] & 0xff) << 8 | (r.data()[13] & 0xff);
        int wantType = (expected[0] >> 4 & 0xf) == 6 ? 0x86dd : 0x0800;
        if (etherType != wantType) fail(name, "EtherType " + Integer.toHexString(etherType), packet, expected, r.data());
        if (got.length != expected.length) fail(name, "length " + got.length + " != " + expected.length, packet, expected, got);
        byte[] g = got.clone(), e = expected.clone();
        if ((expected[0] >> 4 & 0xf) == 4) {
            // RFC 7915 s5.1: the Identification is generated; DF (byte 6) is compared; the header checksum verified
            if (!FastPathPackets.checksumOk(got, 0, 20)) fail(name, "IPv4 header checksum wrong", packet, expected, got);
            for (int i : new int[] { 4, 5, 10, 11 }) g[i] = e[i] = 0;
        }
        if (!Arrays.equals(g, e)) fail(name, "output differs from the core's", packet, expected, got);
        return Outcome.TRANSLATED;
    }

    static byte[] frame(byte[] packet) {
        byte[] f = new byte[14 + packet.length];
        byte[] mac = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
        System.arraycopy(mac, 0, f, 0, 12);
        boolean v6 = packet.length > 0 && (packet[0] >> 4 & 0xf) == 6;
        f[12] = (byte) (v6 ? 0x86 : 0x08);
        f[13] = (byte) (v6 ? 0xdd : 0x00);
        System.arraycopy(packet, 0, f, 14, packet.length);
        return f;
    }

    private static void fail(String name, String why, byte[] in, byte[] expected, byte[] got) {
        throw new AssertionError(name + ": " + why + "\n  in:   " + hex(in)
                + "\n  core: " + (expected == null ? "(not translated)" : hex(expected)) + "\n  bpf:  " + hex(got));
    }

    /** The first 96 bytes: the headers. */
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(b.length, 96)) + (b.length > 96 ? "... (" + b.length + " bytes)" : "");
    }
}
