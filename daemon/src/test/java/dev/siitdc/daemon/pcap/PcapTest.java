package dev.siitdc.daemon.pcap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.siitdc.daemon.pcap.SamplePackets.bytes;
import static dev.siitdc.daemon.pcap.SamplePackets.concat;
import static dev.siitdc.daemon.pcap.SamplePackets.icmp4Echo;
import static dev.siitdc.daemon.pcap.SamplePackets.icmp6EchoReply;
import static dev.siitdc.daemon.pcap.SamplePackets.pcap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PcapTest {
    static final byte[] V4 = icmp4Echo("198.51.100.7", "192.0.2.1", 7, 1, "hello".getBytes());
    static final byte[] V6 = icmp6EchoReply("2001:db8::1", "2001:db8::2", 7, 1, "hello".getBytes());
    static final byte[] MAC = bytes(2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2);

    private static List<byte[]> readAll(byte[] file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file), "x.pcap")) {
            byte[] buf = new byte[100 + PcapReader.MAX_PACKET];
            int len;
            while ((len = r.next(buf, 100)) >= 0) out.add(Arrays.copyOfRange(buf, 100, 100 + len));
        }
        return out;
    }

    private static String failure(byte[] file) {
        try {
            readAll(file);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(PcapException.class);
            return e.getMessage();
        }
        throw new AssertionError("read without error");
    }

    @Test
    void writerRoundTripsThroughReader(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("rt.pcap");
        try (PcapWriter w = PcapWriter.create(f)) {
            w.write(concat(new byte[3], V4), 3, V4.length, 1_700_000_000L, 123_456_789L);
            w.write(V6, 0, V6.length, 4_000_000_000L, 999_999_999L);
            assertThat(w.packets()).isEqualTo(2);
        }
        byte[] file = Files.readAllBytes(f);
        // little-endian v2.4 header, snaplen 65535, link type RAW
        assertThat(Arrays.copyOf(file, 24)).containsExactly(
                0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0);
        try (PcapReader r = PcapReader.open(f)) {
            assertThat(r.linkType()).isEqualTo(PcapReader.LINKTYPE_RAW);
            assertThat(r.nanosecondTimestamps()).isFalse();
            byte[] buf = new byte[PcapReader.MAX_PACKET + 64];
            int n = r.next(buf, 64);
            assertThat(Arrays.copyOfRange(buf, 64, 64 + n)).isEqualTo(V4);
            assertThat(r.timestampSeconds()).isEqualTo(1_700_000_000L);
            assertThat(r.timestampNanos()).isEqualTo(123_456_000L);
            assertThat(r.recordNumber()).isEqualTo(1);
            n = r.next(buf, 64);
            assertThat(Arrays.copyOfRange(buf, 64, 64 + n)).isEqualTo(V6);
            assertThat(r.timestampSeconds()).isEqualTo(4_000_000_000L);  // unsigned 32-bit seconds
            assertThat(r.timestampNanos()).isEqualTo(999_999_000L);
            assertThat(r.next(buf, 64)).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void bothByteOrdersAndTimestampResolutions(boolean bigEndian, boolean nanos) throws IOException {
        byte[] file = pcap(101, bigEndian, nanos, List.of(V4, V6));
        assertThat(readAll(file)).containsExactly(V4, V6);
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file), "x.pcap")) {
            r.next(new byte[PcapReader.MAX_PACKET], 0);
            assertThat(r.nanosecondTimestamps()).isEqualTo(nanos);
            assertThat(r.timestampSeconds()).isEqualTo(1_700_000_000L);
            assertThat(r.timestampNanos()).isEqualTo(nanos ? 123_456_789L : 123_456_000L);
        }
    }

    @Test
    void ipv4AndIpv6LinkTypes() throws IOException {
        assertThat(readAll(pcap(228, false, false, List.of(V4)))).containsExactly(V4);
        assertThat(readAll(pcap(229, true, false, List.of(V6)))).containsExactly(V6);
    }

    @Test
    void ethernetHeaderAndVlanTagsAreStrippedAndOtherFramesSkipped() throws IOException {
        byte[] plain = concat(MAC, bytes(0x08, 0x00), V4);
        byte[] vlan = concat(MAC, bytes(0x81, 0x00, 0x00, 0x64, 0x86, 0xdd), V6);
        byte[] qinq = concat(MAC, bytes(0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20, 0x08, 0x00), V4);
        byte[] arp = concat(MAC, bytes(0x08, 0x06), new byte[28]);
        byte[] runt = bytes(1, 2, 3);
        byte[] file = pcap(1, false, false, List.of(arp, plain, runt, vlan, qinq));
        assertThat(readAll(file)).containsExactly(V4, V6, V4);
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file), "x.pcap")) {
            byte[] buf = new byte[PcapReader.MAX_PACKET];
            r.next(buf, 0);
            assertThat(r.recordNumber()).isEqualTo(2);
            while (r.next(buf, 0) >= 0) { }
            assertThat(r.skipped()).isEqualTo(2);
        }
    }

    @Test
    void ethernetPaddingAfterTheIpPacketIsDropped() throws IOException {
        byte[] small = icmp4Echo("198.51.100.7", "192.0.2.1", 1, 1, new byte[0]);  // 28 bytes: padded to 46
        byte[] frame = concat(MAC, bytes(0x08, 0x00), small, new byte[46 - small.length], bytes(0xde, 0xad, 0xbe, 0xef));
        byte[] frame6 = concat(MAC, bytes(0x86, 0xdd), V6, bytes(0xde, 0xad, 0xbe, 0xef));
        assertThat(readAll(pcap(1, false, false, List.of(frame, frame6)))).containsExactly(small, V6);
    }

    @Test
    void linuxCookedCaptures() throws IOException {
        byte[] sll = concat(new byte[14], bytes(0x08, 0x00), V4);
        byte[] sllArp = concat(new byte[14], bytes(0x08, 0x06), new byte[28]);
        assertThat(readAll(pcap(113, false, false, List.of(sll, sllArp)))).containsExactly(V4);
        byte[] sll2 = concat(bytes(0x86, 0xdd), new byte[18], V6);
        assertThat(readAll(pcap(276, false, false, List.of(sll2)))).containsExactly(V6);
    }

    @Test
    void emptyCaptureHasNoPackets() throws IOException {
        assertThat(readAll(pcap(101, false, false, List.of()))).isEmpty();
    }

    @Test
    void pcapngIsRefused() {
        byte[] ng = bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a);
        assertThat(failure(ng)).startsWith("x.pcap: is a pcapng file");
    }

    @Test
    void notAPcapFile() {
        assertThat(failure("hello, this is not a capture file".getBytes()))
                .isEqualTo("x.pcap: not a pcap file (magic number 68656c6c)");
        assertThat(failure(bytes(0xd4, 0xc3, 0xb2)))
                .isEqualTo("x.pcap: not a pcap file: 3 bytes, shorter than a pcap file header (24)");
        assertThat(failure(new byte[0])).contains("0 bytes");
    }

    @Test
    void unsupportedLinkTypeAndVersion() {
        assertThat(failure(pcap(105, false, false, List.of(V4)))).startsWith("x.pcap: link type 105 is not supported");
        byte[] v3 = pcap(101, false, false, List.of(V4));
        v3[4] = 3;
        assertThat(failure(v3)).startsWith("x.pcap: pcap format version 3.4 is not supported");
    }

    @Test
    void linkTypeFlagBitsAreIgnored() throws IOException {
        byte[] file = pcap(1, false, false, List.of(concat(MAC, bytes(0x08, 0x00), V4)));
        file[23] = 0x10;  // FCS-present flag in the upper bits of the link type field
        assertThat(readAll(file)).containsExactly(V4);
    }

    @Test
    void truncatedFilesNameTheRecord() {
        byte[] full = pcap(101, false, false, List.of(V4, V6));
        int secondHeader = 24 + 16 + V4.length;
        assertThat(failure(Arrays.copyOf(full, secondHeader + 7)))
                .isEqualTo("x.pcap: record 2: record header truncated (the file ends 7 bytes into its 16)");
        assertThat(failure(Arrays.copyOf(full, full.length - 1)))
                .isEqualTo("x.pcap: record 2: truncated: the file ends " + (V6.length - 1) + " bytes into its " + V6.length);
    }

    @Test
    void absurdRecordLengthIsDamage() {
        byte[] file = pcap(101, false, false, List.of(V4));
        file[24 + 8 + 3] = 0x7f;  // captured length 0x7f00002c
        assertThat(failure(file)).startsWith("x.pcap: record 1: claims " + (0x7f000000L + V4.length) + " bytes");
    }

    @Test
    void packetLargerThanAnyIpPacketIsRefused() throws IOException {
        byte[] file = pcap(101, false, false, List.of(new byte[65576]));
        assertThat(failure(file)).isEqualTo("x.pcap: record 1: 65576-byte packet is larger than the largest IP "
                + "packet (65575 bytes)");
        assertThat(readAll(pcap(101, false, false, List.of(new byte[65575])))).hasSize(1);
    }

    @Test
    void capturedLengthBelowOriginalIsReported() throws IOException {
        byte[] file = pcap(101, false, false, List.of(V4));
        file[24 + 12] = (byte) 200;  // original length 200 > captured
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file), "x.pcap")) {
            assertThat(r.next(new byte[PcapReader.MAX_PACKET], 0)).isEqualTo(V4.length);
            assertThat(r.capturedLength()).isEqualTo(V4.length);
            assertThat(r.originalLength()).isEqualTo(200);
        }
    }

    @Test
    void missingFileAndUncreatableOutput(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pcap");
        assertThatThrownBy(() -> PcapReader.open(missing))
                .isInstanceOf(PcapException.class)
                .hasMessage(missing + ": cannot open: no such file or directory");
        Path bad = dir.resolve("no/such/dir/out.pcap");
        assertThatThrownBy(() -> PcapWriter.create(bad))
                .isInstanceOf(PcapException.class)
                .hasMessage(bad + ": cannot create: no such file or directory");
    }

    @Test
    void writerCanWriteOtherLinkTypes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] frame = concat(MAC, bytes(0x08, 0x00), V4);
        try (PcapWriter w = new PcapWriter(out, "mem", PcapReader.LINKTYPE_ETHERNET)) {
            w.write(frame, 0, frame.length, 0, 0);
        }
        assertThat(readAll(out.toByteArray())).containsExactly(V4);
    }
}
