package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.testutil.Pkt;
import dev.siitdc.core.testutil.XlatRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** 0x0000 and 0xffff are both one's complement zero: which one comes out matters for exactness and validity. */
class ZeroChecksumTest {

    @Test
    @DisplayName("RFC 1624 s3: an ICMPv4 checksum of 0x0000 quoted in an error survives 4->6->4 unchanged")
    void quotedZeroChecksumRoundTrips() {
        byte[] quoted = Pkt.v4(Net.SERVER_A4, Net.CLIENT4).ttl(63).echoRequest(0x4b4e, 0x28fa).payload(40)
                .checksum(0).build();
        byte[] in = Pkt.v4(Net.ROUTER4, Net.SERVER_A4).icmpError(11, 0, quoted).build();
        Translator t = Net.translator();
        XlatRun six = Net.run(t, in);
        XlatRun back = Net.run(t, six.onlyBytes());
        byte[] out = back.onlyBytes();
        assertThat(Bytes.u16(out, 28 + 20 + 2)).as("quoted ICMPv4 checksum").isZero();
    }

    @Test
    @DisplayName("RFC 1624 s3: without a pseudo-header, 0x0000 stays unless the rest of the message is all zero (then 0xffff)")
    void noPseudoHeader() {
        byte[] zero = new byte[8];
        assertThat(Checksum.noPseudoHeader(0, zero, 0, 8, 2)).isEqualTo(0xffff);
        byte[] data = {8, 0, 0, 0, 0, 1, 0, 0};
        assertThat(Checksum.noPseudoHeader(0, data, 0, 8, 2)).isZero();
        assertThat(Checksum.noPseudoHeader(0x1234, zero, 0, 8, 2)).isEqualTo(0x1234);
    }
}
