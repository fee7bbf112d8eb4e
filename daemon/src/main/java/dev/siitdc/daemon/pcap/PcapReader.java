package dev.siitdc.daemon.pcap;

import dev.siitdc.core.packet.Bytes;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the IP packets of a classic pcap file: either byte order, microsecond or nanosecond timestamps,
 * link types RAW (101), IPv4 (228), IPv6 (229), Ethernet (1, with any number of 802.1Q / 802.1ad tags)
 * and Linux cooked captures (113, 276). Frames that carry no IP packet are skipped and counted. pcapng
 * is refused. Every length is checked: a damaged file gives a {@link PcapException} naming the file and
 * the record, never an exception from array indexing.
 *
 * <p>{@link #next(byte[], int)} copies each packet into the caller's buffer; the reader allocates only
 * when a record is bigger than any seen before.
 */
public final class PcapReader implements Closeable {
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_LINUX_SLL = 113;
    public static final int LINKTYPE_IPV4 = 228;
    public static final int LINKTYPE_IPV6 = 229;
    public static final int LINKTYPE_LINUX_SLL2 = 276;

    /** The largest IP packet {@link #next} returns: an IPv6 header plus the largest Payload Length. */
    public static final int MAX_PACKET = 40 + 65535;
    /** The largest record libpcap itself accepts (its MAXIMUM_SNAPLEN); larger means a corrupt file. */
    public static final int MAX_RECORD = 262144;

    private static final int ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd;

    private final String name;
    private final InputStream in;
    private final boolean bigEndian;
    private final boolean nanos;
    private final int linkType;
    private final long snaplen;
    private final byte[] hdr = new byte[24];
    private byte[] frame = new byte[2048];

    private long record;
    private long skipped;
    private long tsSeconds;
    private long tsNanos;
    private long originalLength;
    private int capturedLength;

    /** Opens FILE and reads its header. */
    public static PcapReader open(Path file) throws IOException {
        InputStream in = PcapException.opened(file, "open", Files::newInputStream);
        try {
            return new PcapReader(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads the file header from {@code in}; {@code name} names the file in messages. */
    public PcapReader(InputStream in, String name) throws IOException {
        this.name = name;
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        int n = readFully(hdr, 24);
        if (n >= 4 && Bytes.u32(hdr, 0) == 0x0a0d0d0aL)
            throw new PcapException(name + ": is a pcapng file; siitdc reads classic pcap "
                    + "(convert it with: editcap -F pcap IN OUT, or tcpdump -r IN -w OUT)");
        if (n < 24)
            throw new PcapException(name + ": not a pcap file: " + n + " bytes, shorter than a pcap file header (24)");
        long magic = Bytes.u32(hdr, 0);
        if (magic == 0xa1b2c3d4L || magic == 0xa1b23c4dL) bigEndian = true;
        else if (magic == 0xd4c3b2a1L || magic == 0x4d3cb2a1L) bigEndian = false;
        else throw new PcapException(name + ": not a pcap file (magic number " + String.format("%08x", magic) + ")");
        nanos = magic == 0xa1b23c4dL || magic == 0x4d3cb2a1L;
        int major = hdr16(4);
        if (major != 2)
            throw new PcapException(name + ": pcap format version " + major + "." + hdr16(6)
                    + " is not supported (2.x is)");
        snaplen = hdr32(16);
        linkType = (int) (hdr32(20) & 0xffff);  // upper bits: FCS length flags, not the link type
        switch (linkType) {
            case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL,
                 LINKTYPE_LINUX_SLL2 -> { }
            default -> throw new PcapException(name + ": link type " + linkType + " is not supported "
                    + "(RAW 101, IPv4 228, IPv6 229, Ethernet 1 and Linux cooked 113/276 are)");
        }
    }

    public int linkType() { return linkType; }

    public boolean nanosecondTimestamps() { return nanos; }

    public long snaplen() { return snaplen; }

    /** Records read so far, including skipped ones: the number of the current record. */
    public long recordNumber() { return record; }

    /** Records skipped because they carry no IP packet (ARP, other EtherTypes, runt frames). */
    public long skipped() { return skipped; }

    /** Timestamp of the current record: seconds since the epoch. */
    public long timestampSeconds() { return tsSeconds; }

    /** Timestamp of the current record: nanoseconds after {@link #timestampSeconds()}. */
    public long timestampNanos() { return tsNanos; }

    /** Length of the current record on the wire. */
    public long originalLength() { return originalLength; }

    /** Bytes of the current record in the file (less than {@link #originalLength()} when the capture cut it). */
    public int capturedLength() { return capturedLength; }

    /**
     * Copies the next IP packet into {@code dst} at {@code off} and returns its length, or -1 at the end of
     * the file. {@code dst} must have room for {@link #MAX_PACKET} bytes after {@code off}.
     */
    public int next(byte[] dst, int off) throws IOException {
        if (dst.length - off < MAX_PACKET) throw new IllegalArgumentException("buffer too small");
        while (true) {
            int n = readFully(hdr, 16);
            if (n == 0) return -1;
            record++;
            if (n < 16)
                throw err("record header truncated (the file ends " + n + " bytes into its 16)");
            long sec = hdr32(0), frac = hdr32(4), incl = hdr32(8);
            originalLength = hdr32(12);
            if (incl > MAX_RECORD)
                throw err("claims " + incl + " bytes, more than any pcap record holds (" + MAX_RECORD
                        + "): the file is damaged");
            int len = (int) incl;
            if (frame.length < len) frame = new byte[Math.max(len, frame.length * 2)];
            int got = readFully(frame, len);
            if (got < len)
                throw err("truncated: the file ends " + got + " bytes into its " + len);
            tsSeconds = sec;
            tsNanos = nanos ? frac : frac * 1000;
            capturedLength = len;

            int ipOff = ipOffset(len);
            if (ipOff < 0) {
                skipped++;
                continue;
            }
            int ipLen = len - ipOff;
            if (linkType != LINKTYPE_RAW && linkType != LINKTYPE_IPV4 && linkType != LINKTYPE_IPV6)
                ipLen = withoutPadding(ipOff, ipLen);
            if (ipLen > MAX_PACKET)
                throw err(ipLen + "-byte packet is larger than the largest IP packet (" + MAX_PACKET + " bytes)");
            System.arraycopy(frame, ipOff, dst, off, ipLen);
            return ipLen;
        }
    }

    /** Offset of the IP packet in the current frame, or -1 if it carries none. */
    private int ipOffset(int len) {
        switch (linkType) {
            case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6:
                return 0;
            case LINKTYPE_ETHERNET: {
                int hl = 14;
                if (len < hl) return -1;
                int type = Bytes.u16(frame, 12);
                while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {  // 802.1Q / 802.1ad tags
                    hl += 4;
                    if (len < hl) return -1;
                    type = Bytes.u16(frame, hl - 2);
                }
                return isIp(type) ? hl : -1;
            }
            case LINKTYPE_LINUX_SLL:
                return len >= 16 && isIp(Bytes.u16(frame, 14)) ? 16 : -1;
            case LINKTYPE_LINUX_SLL2:
                return len >= 20 && isIp(Bytes.u16(frame, 0)) ? 20 : -1;
            default:
                return -1;
        }
    }

    private static boolean isIp(int etherType) {
        return etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6;
    }

    /** Drops link-layer padding (and a trailing FCS) after the length the IP header states. */
    private int withoutPadding(int ipOff, int ipLen) {
        if (ipLen >= 20 && (frame[ipOff] & 0xf0) == 0x40) {
            int total = Bytes.u16(frame, ipOff + 2);
            if (total >= 20 && total < ipLen) return total;
        } else if (ipLen >= 40 && (frame[ipOff] & 0xf0) == 0x60) {
            int payload = Bytes.u16(frame, ipOff + 4);
            if (payload != 0 && 40 + payload < ipLen) return 40 + payload;
        }
        return ipLen;
    }

    private PcapException err(String what) {
        return new PcapException(name + ": record " + record + ": " + what);
    }

    /** Reads up to {@code len} bytes into b[0..len); returns how many there were before the end of the file. */
    private int readFully(byte[] b, int len) throws IOException {
        int n = 0;
        try {
            while (n < len) {
                int r = in.read(b, n, len - n);
                if (r < 0) break;
                n += r;
            }
        } catch (IOException e) {
            if (e instanceof PcapException) throw e;
            throw PcapException.io(name, "read", e);
        }
        return n;
    }

    /** A 16-bit field of the file or record header, in the file's byte order. */
    private int hdr16(int off) {
        return bigEndian ? Bytes.u16(hdr, off) : (hdr[off] & 0xff) | (hdr[off + 1] & 0xff) << 8;
    }

    /** A 32-bit field of the file or record header, in the file's byte order. */
    private long hdr32(int off) {
        return bigEndian ? Bytes.u32(hdr, off) : Integer.reverseBytes(Bytes.i32(hdr, off)) & 0xffffffffL;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
