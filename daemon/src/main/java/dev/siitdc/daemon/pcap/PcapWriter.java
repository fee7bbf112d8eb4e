package dev.siitdc.daemon.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap file: little-endian, version 2.4, microsecond timestamps, snaplen 65535,
 * link type RAW (101) unless told otherwise. Each packet is written whole.
 */
public final class PcapWriter implements Closeable {
    public static final int SNAPLEN = 65535;

    private final String name;
    private final OutputStream out;
    private final byte[] hdr = new byte[24];
    private long packets;

    /** Creates (or truncates) FILE and writes a RAW file header. */
    public static PcapWriter create(Path file) throws IOException {
        OutputStream out = PcapException.opened(file, "create", Files::newOutputStream);
        return new PcapWriter(out, file.toString(), PcapReader.LINKTYPE_RAW);
    }

    /** Writes a file header with {@code linkType} to {@code out}; {@code name} names the file in messages. */
    public PcapWriter(OutputStream out, String name, int linkType) throws IOException {
        this.name = name;
        this.out = new BufferedOutputStream(out, 1 << 16);
        le32(0, 0xa1b2c3d4);
        le16(4, 2);
        le16(6, 4);
        le32(8, 0);          // thiszone
        le32(12, 0);         // sigfigs
        le32(16, SNAPLEN);
        le32(20, linkType);
        put(hdr, 24);
    }

    /** Appends one packet with the given timestamp (nanoseconds are rounded down to microseconds). */
    public void write(byte[] buf, int off, int len, long seconds, long nanos) throws IOException {
        le32(0, (int) seconds);
        le32(4, (int) (nanos / 1000));
        le32(8, len);
        le32(12, len);
        put(hdr, 16);
        try {
            out.write(buf, off, len);
        } catch (IOException e) {
            throw PcapException.io(name, "write", e);
        }
        packets++;
    }

    /** Packets written so far. */
    public long packets() { return packets; }

    private void put(byte[] b, int len) throws IOException {
        try {
            out.write(b, 0, len);
        } catch (IOException e) {
            throw PcapException.io(name, "write", e);
        }
    }

    private void le16(int off, int v) {
        hdr[off] = (byte) v;
        hdr[off + 1] = (byte) (v >>> 8);
    }

    private void le32(int off, int v) {
        le16(off, v);
        le16(off + 2, v >>> 16);
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw PcapException.io(name, "write", e);
        }
    }
}
