package dev.siitdc.core.xlat;

import dev.siitdc.core.testutil.PacketView;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.RefChecksum;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.siitdc.core.testutil.PacketExpect.expect;
import static dev.siitdc.core.xlat.Net.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * RFC 4884 ICMP extensions through the translator (RFC 7915 s4.2, s5.2; checklist 49, 93, 130-133;
 * CONFIG.md 5.6): the length attribute recomputed in the other unit, padding to at least 128 bytes,
 * the extension copied opaque, kept or removed whole under the 1280 / 576 caps, and removed when the
 * ICMPv6 type cannot carry one.
 */
class Rfc4884Test {
    /** A 20-byte extension structure (one 16-byte object), checksum valid. */
    static final byte[] EXT = Pkt.extensionStructure(Pkt.extensionObject(2, 1, Pkt.pattern(12)));

    static byte[] ext(int objectData) { return Pkt.extensionStructure(Pkt.extensionObject(3, 2, Pkt.pattern(objectData))); }

    static void assertExtensionCopied(PacketView v, byte[] ext) {
        assertThat(v.extension()).as("extension copied as opaque bytes").isEqualTo(ext);
        assertThat(RefChecksum.extensionValid(v.extension())).isTrue();
    }

    // ------------------------------------------------------------------ 4 -> 6

    @ParameterizedTest(name = "inner {0} bytes, datagram field {1} -> ICMPv6 length {2} (64-bit words)")
    @CsvSource({
            "128, 128, 18",     // 148 translated bytes -> 144 (Jool ib3: no padding in, padding out)
            "126, 128, 18",     // sender padding is data (Jool ib2)
            "200, 200, 27",     // 220 -> 216
            "96, 96, 16",       // non-compliant < 128: padded to 128 (Jool idk, issue #396)
            "60, 60, 16",
    })
    @DisplayName("RFC 7915 s4.2 + RFC 4884 s4.1: ICMPv4 length attribute (32-bit words) -> ICMPv6 length (64-bit words), >= 128 bytes")
    void length46(int innerLen, int datagram, int length6) {
        byte[] quoted = tcpFromA4(innerLen - 40).build();
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 1, quoted).extension(EXT, datagram).build();
        assertThat(PacketView.of(in).lengthAttribute()).isEqualTo(datagram / 4);
        PacketView v = run(in).only();
        expect(v).icmp(1, 0);
        assertThat(v.lengthAttribute()).isEqualTo(length6);
        assertThat(v.length).isEqualTo(48 + length6 * 8 + EXT.length);
        assertExtensionCopied(v, EXT);
        int translated = Math.min(innerLen, datagram) + 20;
        byte[] body = v.icmpBody();
        for (int i = translated; i < length6 * 8; i++) assertThat(body[i]).as("zero padding at %d", i).isZero();
        assertThat(v.inner().src).isEqualTo(SERVER_A6);
        expect(v).l4Valid();
    }

    static Stream<Arguments> timeExceeded() {
        return Stream.of(
                arguments("RFC 7915 s4.2 + RFC 4884: ICMPv4 Time Exceeded with an extension -> ICMPv6 Time Exceeded with it",
                        Pkt.v4(ROUTER4, SERVER_A4).icmpError(11, 0, tcpFromA4(88).build()), 3, 18),
                arguments("RFC 7915 s5.2 + RFC 4884: ICMPv6 Time Exceeded with an extension -> ICMPv4 Time Exceeded with it",
                        Pkt.v6(SERVER_A6, CLIENT6).icmpError(3, 0, tcpToA6(68).build()), 11, 32));
    }

    /** The Time Exceeded {@code error} with {@link #EXT} becomes type {@code type} with the length attribute and EXT. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("timeExceeded")
    @DisplayName("RFC 7915 s4.2 / s5.2 + RFC 4884: Time Exceeded with an extension keeps it, 4->6 and 6->4")
    void timeExceeded(String name, Pkt error, int type, int lengthAttribute) {
        PacketView v = run(error.extension(EXT).build()).only();
        assertThat(v.icmpType).isEqualTo(type);
        assertThat(v.lengthAttribute()).isEqualTo(lengthAttribute);
        assertExtensionCopied(v, EXT);
    }

    @ParameterizedTest(name = "ICMPv4 {0}/{1} -> ICMPv6 {2}/{3}")
    @CsvSource({"3, 4, 2, 0", "3, 2, 4, 1", "12, 0, 4, 0", "12, 2, 4, 0"})
    @DisplayName("RFC 7915 s4.2 + RFC 4884: the extension is removed for ICMPv4 3/4, 3/2 and 12 (Packet Too Big / Parameter Problem cannot carry it)")
    void removedForPtbAndParameterProblem(int type, int code, int type6, int code6) {
        Pkt p = Pkt.v4(ROUTER4, SERVER_A4).icmpError(type, code, tcpFromA4(88).build());
        if (type == 3 && code == 4) p.mtu(1400);
        if (type == 12) p.pointer(9);
        byte[] in = p.extension(EXT).build();
        PacketView v = run(in).only();
        expect(v).icmp(type6, code6);
        assertThat(v.length).as("only the translated original datagram").isEqualTo(48 + 148);
        assertThat(v.icmpRest).as("MTU or pointer, no length attribute").isEqualTo(type6 == 2 ? 1420 : 6);
        assertThat(v.icmpBody()).hasSize(148);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s4.2 + CONFIG 5.6: over 1280 bytes, the whole extension is kept and the original datagram cut (Jool id*)")
    void capKeepsExtension46() {
        byte[] ext = ext(300);                                    // 308 bytes
        byte[] quoted = Pkt.cut(tcpFromA4(1460).build(), 1000);   // length attribute 250 (8 bits: at most 1020 bytes)
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, quoted).extension(ext).build();
        PacketView v = run(in).only();
        int datagram = (1232 - ext.length) & ~7;
        assertThat(v.length).isLessThanOrEqualTo(1280);
        assertThat(v.lengthAttribute() * 8).isEqualTo(datagram);
        assertThat(v.length).isEqualTo(48 + datagram + ext.length);
        assertExtensionCopied(v, ext);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s4.2 + CONFIG 5.6: an extension that cannot fit with 128 bytes of datagram is removed whole, length 0 (Jool idh, idi)")
    void capRemovesExtension46() {
        byte[] ext = ext(1116);                                   // 1124 bytes: 128 + 1124 > 1232
        byte[] quoted = tcpFromA4(88).build();
        byte[] in = Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 3, quoted).extension(ext).build();
        PacketView v = run(in).only();
        assertThat(v.lengthAttribute()).isZero();
        assertThat(v.length).isEqualTo(48 + 148);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 4884 s5: length attribute 0 -> no extension, everything after the header is the original datagram")
    void lengthZero46() {
        byte[] quoted = tcpFromA4(160).build();                   // 200 bytes
        PacketView v = run(Pkt.v4(ROUTER4, SERVER_A4).icmpError(3, 1, quoted).build()).only();
        assertThat(v.lengthAttribute()).isZero();
        assertThat(v.length).isEqualTo(48 + 220);
    }

    // ------------------------------------------------------------------ 6 -> 4

    @ParameterizedTest(name = "inner {0} bytes, datagram field {1} -> ICMPv4 length {2} (32-bit words)")
    @CsvSource({
            "128, 128, 32",     // 108 translated bytes -> padded to 128
            "200, 200, 45",     // 180
            "152, 152, 33",     // Jool ia1: ICMPv6 length 19 -> ICMPv4 length 33
            "64, 64, 32",       // non-compliant < 128: padded (Jool ic7)
    })
    @DisplayName("RFC 7915 s5.2 + RFC 4884 s4.1: ICMPv6 length attribute (64-bit words) -> ICMPv4 length (32-bit words), >= 128 bytes")
    void length64(int innerLen, int datagram, int length4) {
        byte[] quoted = tcpToA6(innerLen - 60).build();
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).extension(EXT, datagram).build();
        PacketView v = run(in).only();
        expect(v).icmp(3, 3);
        assertThat(v.lengthAttribute()).isEqualTo(length4);
        assertThat(v.length).isEqualTo(28 + length4 * 4 + EXT.length);
        assertExtensionCopied(v, EXT);
        byte[] body = v.icmpBody();
        for (int i = innerLen - 20; i < length4 * 4; i++) assertThat(body[i]).as("zero padding at %d", i).isZero();
        assertThat(v.inner().src).isEqualTo(CLIENT4);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s5.2 + CONFIG 5.6: over 576 bytes, the whole extension is kept and the original datagram cut (Jool ic1-4)")
    void capKeepsExtension64() {
        byte[] ext = ext(32);                                     // 40 bytes
        byte[] quoted = Pkt.cut(tcpToA6(1000).build(), 600);
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).extension(ext).build();
        PacketView v = run(in).only();
        int datagram = (548 - ext.length) & ~3;
        assertThat(v.length).isEqualTo(576);
        assertThat(v.lengthAttribute() * 4).isEqualTo(datagram);
        assertExtensionCopied(v, ext);
        expect(v).l4Valid();
    }

    @Test
    @DisplayName("RFC 7915 s5.2 + CONFIG 5.6: an extension that cannot fit with 128 bytes of datagram is removed whole, length 0 (Jool ic5, ic6)")
    void capRemovesExtension64() {
        byte[] ext = ext(492);                                    // 500 bytes: 128 + 500 > 548
        byte[] quoted = Pkt.cut(tcpToA6(1000).build(), 600);
        byte[] in = Pkt.v6(SERVER_A6, CLIENT6).icmpError(1, 4, quoted).extension(ext).build();
        PacketView v = run(in).only();
        assertThat(v.lengthAttribute()).isZero();
        assertThat(v.length).isEqualTo(576);
        assertThat(v.inner().src).isEqualTo(CLIENT4);
        expect(v).l4Valid();
    }
}
