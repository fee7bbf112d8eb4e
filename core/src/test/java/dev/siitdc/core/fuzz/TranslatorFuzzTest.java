package dev.siitdc.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.prop.PacketKit;
import dev.siitdc.core.xlat.Translator;

import java.util.Arrays;

/**
 * Jazzer fuzz targets, one per direction. Input layout: byte 0 selects the configuration
 * ({@link FuzzConfigs}), the rest is the packet, placed at {@link Translator#HEADROOM} of a buffer with
 * no tail room and with its version nibble forced to 4 (resp. 6).
 *
 * <p>Oracles: no exception escapes the translator; every emitted packet is well formed
 * ({@link PacketKit#malformation}: version 4 or 6, IPv4 Total Length == emitted length with a valid
 * header checksum, IPv6 Payload Length + 40 == emitted length, at most 65535 + 40 bytes); IPv6 packets
 * fit ipv6-mtu, IPv4 packets fit max(ipv4-mtu, 576); at most {@link #MAX_EMITTED} packets per call;
 * and when the input's TCP/UDP/ICMP checksum is valid, no unfragmented emitted packet has an
 * invalid one.
 *
 * <p>{@code ./mvnw test} replays src/test/resources/dev/siitdc/core/fuzz/TranslatorFuzzTestInputs/&lt;method&gt;/
 * (regression mode); {@code .ci/fuzz.sh} fuzzes (JAZZER_FUZZ=1).
 */
class TranslatorFuzzTest {
    /** Generous bound: 4->6 splits into at most ~54 fragments, 6->4 (<= 1260 bytes, MTU >= 68) into ~27. */
    static final int MAX_EMITTED = 64;

    @FuzzTest(maxDuration = "60s")
    void fuzz4to6(byte[] data) {
        run(data, 4);
    }

    @FuzzTest(maxDuration = "60s")
    void fuzz6to4(byte[] data) {
        run(data, 6);
    }

    static void run(byte[] data, int version) {
        if (data.length < 1) return;
        int sel = data[0] & 0xff;
        Translator t = FuzzConfigs.translator(sel);
        TranslatorConfig cfg = t.settings().get().config();
        int len = Math.min(data.length - 1, Translator.MAX_PACKET);
        byte[] buf = new byte[Translator.HEADROOM + len];
        System.arraycopy(data, 1, buf, Translator.HEADROOM, len);
        if (len > 0) buf[Translator.HEADROOM] = (byte) ((version << 4) | (buf[Translator.HEADROOM] & 0x0f));
        byte[] input = Arrays.copyOfRange(buf, Translator.HEADROOM, buf.length);
        boolean inputChecksumValid = inputTransportChecksumValid(input);

        int[] emitted = {0};
        t.translate(buf, Translator.HEADROOM, len, (b, off, n) -> {
            String why = PacketKit.malformation(b, off, n);
            if (why == null) why = mtuViolation(cfg, b, off, n);
            if (why == null && ++emitted[0] > MAX_EMITTED) why = "more than " + MAX_EMITTED + " packets emitted";
            if (why == null && inputChecksumValid
                    && PacketKit.l4Checksum(b, off, n) == PacketKit.L4.INVALID)
                why = "invalid transport checksum although the input's was valid";
            if (why != null)
                throw new AssertionError(why + " (config " + sel + ")\n  input:   " + PacketKit.hex(input)
                        + "\n  emitted: " + (off >= 0 && n >= 0 && off + n <= b.length ? PacketKit.hex(b, off, n) : "?"));
        });
    }

    private static String mtuViolation(TranslatorConfig cfg, byte[] b, int off, int n) {
        int v = (b[off] & 0xff) >>> 4;
        if (v == 6 && n > cfg.ipv6Mtu()) return "IPv6 packet of " + n + " > ipv6-mtu " + cfg.ipv6Mtu();
        if (v == 4 && n > Math.max(cfg.ipv4Mtu(), 576)) return "IPv4 packet of " + n + " > ipv4-mtu " + cfg.ipv4Mtu();
        return null;
    }


    /**
     * Whether the input is an unfragmented IPv4 or extension-header-free IPv6 packet with a valid L4 checksum.
     * A UDP checksum field of zero is never a computed checksum (RFC 768: a computed zero is sent as
     * 0xffff), so it counts as "no checksum" in IPv6 too, even where the sum happens to come out right:
     * forward-udp-checksum-zero forwards it as zero, which is then no longer arithmetically valid.
     */
    static boolean inputTransportChecksumValid(byte[] p) {
        if (p.length < 1) return false;
        int v = (p[0] & 0xff) >>> 4;
        if (v == 4) {
            if (p.length < 20) return false;
            int ihl = (p[0] & 0xf) * 4;
            int tot = PacketKit.u16(p, 2);
            if (ihl < 20 || tot < ihl || tot > p.length) return false;
            if (!PacketKit.sumIsValid(PacketKit.sum(p, 0, ihl))) return false;
            return PacketKit.l4Checksum(p, 0, tot) == PacketKit.L4.VALID;
        }
        if (p.length < 40) return false;
        int nh = PacketKit.u8(p, 6);
        int tot = 40 + PacketKit.u16(p, 4);
        if (tot > p.length || (nh != PacketKit.TCP && nh != PacketKit.UDP && nh != PacketKit.ICMP6)) return false;
        if (nh == PacketKit.UDP && tot >= 48 && PacketKit.u16(p, 46) == 0) return false;   // see below
        return PacketKit.l4Checksum(p, 0, tot) == PacketKit.L4.VALID;
    }
}
