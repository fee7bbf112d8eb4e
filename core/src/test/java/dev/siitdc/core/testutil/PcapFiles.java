package dev.siitdc.core.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Classic pcap files of raw IP packets (LINKTYPE_RAW, 101), little-endian, for the test vectors. */
public final class PcapFiles {
    private static final int MAGIC = 0xa1b2c3d4;
    private static final int LINKTYPE_RAW = 101;

    private PcapFiles() {}

    public static void write(Path file, List<byte[]> packets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_RAW);
        out.write(h.array());
        int i = 0;
        for (byte[] p : packets) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(1_800_000_000).putInt(i++).putInt(p.length).putInt(p.length);
            out.write(r.array());
            out.write(p);
        }
        Files.write(file, out.toByteArray());
    }

    public static List<byte[]> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 24 || b.getInt() != MAGIC) throw new IOException(file + ": not a little-endian pcap file");
        b.position(20);
        if (b.getInt() != LINKTYPE_RAW) throw new IOException(file + ": link type is not RAW (101)");
        List<byte[]> packets = new ArrayList<>();
        while (b.remaining() >= 16) {
            b.getInt();
            b.getInt();
            int caplen = b.getInt();
            b.getInt();
            if (caplen > b.remaining()) throw new IOException(file + ": truncated record");
            byte[] p = new byte[caplen];
            b.get(p);
            packets.add(p);
        }
        return packets;
    }
}
