package dev.siitdc.core.packet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

/** The straight-line sums of {@link Checksum} agree with the generic RFC 1071 sum, at any offset. */
class ChecksumShortcutsTest {
    /** RFC 1071 word by word: the reference. */
    static int reference(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2)
            s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    @Property
    void addAgreesWithWordByWord(@ForAll @Size(max = 300) byte[] b, @ForAll @IntRange(max = 299) int off) {
        off = Math.min(off, b.length);
        int len = b.length - off;
        assertThat(Checksum.fold(Checksum.add(0, b, off, len))).isEqualTo(reference(b, off, len));
    }

    @Property
    void ipv6AddressPair(@ForAll @Size(min = 40, max = 40) byte[] b, @ForAll @IntRange(max = 8) int off) {
        assertThat(Checksum.fold(Checksum.addIpv6Addresses(b, off))).isEqualTo(reference(b, off, 32));
    }

    @Property
    void ipv4HeaderChecksumAndItsCheck(@ForAll @Size(min = 30, max = 30) byte[] b, @ForAll @IntRange(max = 10) int off,
                                       @ForAll boolean corrupt) {
        b[off] = (byte) Ipv4Header.VERSION_IHL_NO_OPTIONS;
        b[off + Ipv4Header.CHECKSUM] = 0;
        b[off + Ipv4Header.CHECKSUM + 1] = 0;
        int expected = ~reference(b, off, Ipv4Header.MIN_LENGTH) & 0xffff;
        assertThat(Checksum.ipv4Header(b, off, Ipv4Header.MIN_LENGTH)).isEqualTo(expected);
        Bytes.put16(b, off + Ipv4Header.CHECKSUM, expected);
        if (corrupt) b[off + Ipv4Header.TTL] ^= 0x01;
        boolean valid = reference(b, off, Ipv4Header.MIN_LENGTH) == 0xffff;
        assertThat(Checksum.ipv4HeaderValid(b, off, Ipv4Header.MIN_LENGTH)).isEqualTo(valid).isEqualTo(!corrupt);
    }
}
