package dev.siitdc.dataplane;

import dev.siitdc.core.packet.Ipv6HeaderChain;
import dev.siitdc.core.xlat.Translator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 10-byte {@code struct virtio_net_hdr} that precedes every packet on a TUN opened with
 * {@code IFF_VNET_HDR} (linux/virtio_net.h), in host byte order (a TUN is "legacy" virtio unless
 * TUNSETVNETLE/BE says otherwise): {@code flags u8, gso_type u8, hdr_len u16, gso_size u16,
 * csum_start u16, csum_offset u16}.
 *
 * <p>Static helpers over a byte array, allocation-free. {@link #writeFor} is the relay's rule for the
 * header of a packet the translator emitted, given the header the input packet came with: the
 * translated packet keeps its offloads (GSO, partial checksum) with the offsets of its new IP header,
 * and everything else (ICMP errors, fragments) goes out with an all-zero header.
 */
final class VirtioNetHeader {
    /** Bytes of the header (TUNSETVNETHDRSZ). */
    static final int LEN = 10;

    /** flags: csum_start/csum_offset describe a checksum the device must finish (CHECKSUM_PARTIAL). */
    static final int F_NEEDS_CSUM = 1;
    /** flags: the checksum was verified (receive only; ignored here). */
    static final int F_DATA_VALID = 2;

    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    /** UFO: one UDP datagram to be split into IP fragments (never offered: TUN_F_UFO is not set). */
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    /** USO: UDP datagrams of gso_size payload bytes each. */
    static final int GSO_UDP_L4 = 5;
    /** gso_type bit: the TCP segments carry ECN (CWR must be set on the first segment only). */
    static final int GSO_ECN = 0x80;

    static final int TCP = 6;
    static final int UDP = 17;
    static final int IPV6_FRAGMENT = 44;
    /** The smallest gso_size {@link #writeFor} writes, whatever the MTU says. */
    static final int MIN_GSO_SIZE = 8;

    /** The byte order of the 16-bit fields: the host's. */
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ORDER);

    private VirtioNetHeader() {}

    static int flags(byte[] b, int at) {
        return b[at] & 0xff;
    }

    static int gsoType(byte[] b, int at) {
        return b[at + 1] & 0xff;
    }

    static int hdrLen(byte[] b, int at) {
        return u16(b, at + 2);
    }

    static int gsoSize(byte[] b, int at) {
        return u16(b, at + 4);
    }

    static int csumStart(byte[] b, int at) {
        return u16(b, at + 6);
    }

    static int csumOffset(byte[] b, int at) {
        return u16(b, at + 8);
    }

    /** Writes a whole header at b[at, at+10). */
    static void write(byte[] b, int at, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        b[at] = (byte) flags;
        b[at + 1] = (byte) gsoType;
        U16.set(b, at + 2, (short) hdrLen);
        U16.set(b, at + 4, (short) gsoSize);
        U16.set(b, at + 6, (short) csumStart);
        U16.set(b, at + 8, (short) csumOffset);
    }

    /** Writes an all-zero header (no offload) at b[at, at+10). */
    static void clear(byte[] b, int at) {
        b[at] = 0;
        b[at + 1] = 0;
        U16.set(b, at + 2, (short) 0);
        U16.set(b, at + 4, (short) 0);
        U16.set(b, at + 6, (short) 0);
        U16.set(b, at + 8, (short) 0);
    }

    /**
     * The {@link Translator} {@code OFFLOAD_} flags of a packet with this header: NEEDS_CSUM is
     * {@link Translator#OFFLOAD_CSUM_PARTIAL}, any gso_type but NONE is {@link Translator#OFFLOAD_GSO}.
     */
    static int offloadFlags(int flags, int gsoType) {
        return ((flags & F_NEEDS_CSUM) != 0 ? Translator.OFFLOAD_CSUM_PARTIAL : 0)
                | (gsoType != GSO_NONE ? Translator.OFFLOAD_GSO : 0);
    }

    /**
     * Whether a NEEDS_CSUM input is one the translator can carry as partial: the checksum is the TCP or
     * UDP one, right after the IP header (IPv4 header of any length; IPv6 after Hop-by-Hop, Routing and
     * Destination Options headers, where the translator looks for it too), not in a fragment. Anything else must be finished ({@link #finishChecksum}) before translation.
     */
    static boolean partialChecksumCarried(byte[] b, int off, int len, int csumStart, int csumOffset,
            Ipv6HeaderChain chain) {
        if (len < 1) return false;
        int version = (b[off] & 0xff) >>> 4;
        int l4, proto;
        if (version == 4) {
            if (len < 20) return false;
            l4 = (b[off] & 0xf) << 2;
            proto = b[off + 9] & 0xff;
            if ((u16be(b, off + 6) & 0x3fff) != 0) return false;       // MF or an offset: a fragment
        } else if (version == 6) {
            if (len < 40) return false;
            // the translator's own walker: Hop-by-Hop, Routing and Destination Options lie before the
            // transport header; a Fragment header (or a chain past its bound) does not lead to one
            if (chain.walk(b, off, off + len) != Ipv6HeaderChain.OK || chain.fragmentHeader() >= 0) return false;
            l4 = chain.upperOffset() - off;
            proto = chain.upperProtocol();
        } else {
            return false;
        }
        if (csumStart != l4) return false;
        if (proto == TCP) return csumOffset == 16 && l4 + 20 <= len;
        if (proto == UDP) return csumOffset == 6 && l4 + 8 <= len;
        return false;
    }

    /**
     * Finishes a partial checksum in software, as the kernel's skb_checksum_help does: the one's
     * complement sum of b[off+csumStart, off+len) (whose checksum field holds the pseudo-header sum) goes
     * into the field at csumStart+csumOffset; 0 becomes 0xffff.
     *
     * @return false when the offsets do not lie inside the packet (then nothing is written)
     */
    static boolean finishChecksum(byte[] b, int off, int len, int csumStart, int csumOffset) {
        if (csumStart > len || csumStart + csumOffset + 2 > len) return false;
        int sum = dev.siitdc.core.packet.Checksum.add(0, b, off + csumStart, len - csumStart);
        int c = dev.siitdc.core.packet.Checksum.finish(sum);
        dev.siitdc.core.packet.Bytes.put16(b, off + csumStart + csumOffset, c == 0 ? 0xffff : c);
        return true;
    }

    /**
     * Writes at b[off-10, off) the header for the packet b[off, off+len) the translator emitted, when the
     * input packet came with {@code inFlags} and {@code inGsoType}/{@code inGsoSize}:
     * <ul>
     *   <li>the translated packet itself (TCP or UDP right after an IPv6 header without extension headers
     *       or an IPv4 header without options, not a fragment) keeps NEEDS_CSUM, with csum_start = the
     *       new IP header's length (20 or 40) and csum_offset 16 (TCP) or 6 (UDP); hdr_len = csum_start +
     *       the transport header's length;</li>
     *   <li>its gso_type follows the output's IP version: TCPV4 and TCPV6 swap (the ECN bit stays),
     *       UDP_L4 stays; gso_size shrinks so that each TCP segment, grown by the translation, fits the
     *       next hop: at most {@code ipv6Mtu} - 40 - TCP header for IPv6 (the caller passes the packet's
     *       limit, {@link GsoSegmenter#ipv6Limit}: min(lowest-ipv6-mtu, ipv6-mtu) when the IPv4 input had
     *       DF=0), ipv4-mtu - 20 - TCP header for IPv4.
     *       A UDP gso_size is kept: it is where one datagram ends and the next begins; a segment too large
     *       for the next hop meets the kernel's own MTU checks after segmentation (ICMP Packet Too Big);</li>
     *   <li>an IPv6 atomic fragment (Fragment header, offset 0, M 0: the translator adds one when
     *       atomic-fragments is on) keeps NEEDS_CSUM past its Fragment header, without GSO;</li>
     *   <li>everything else, and anything emitted for an input without offloads, gets an all-zero header
     *       (the translator finished a partial checksum itself before it fragmented).</li>
     * </ul>
     * Needs {@code off >= 10}.
     *
     * @return the gso_type written (GSO_NONE when the packet goes out whole)
     */
    static int writeFor(byte[] b, int off, int len, int inFlags, int inGsoType, int inGsoSize, int ipv4Mtu,
            int ipv6Mtu) {
        int at = off - LEN;
        boolean csum = (inFlags & F_NEEDS_CSUM) != 0;
        if (!csum && inGsoType == GSO_NONE || len < 1) {
            clear(b, at);
            return GSO_NONE;
        }
        int version = (b[off] & 0xff) >>> 4;
        int l4, proto, mtu;
        boolean gsoAllowed = true;
        if (version == 6 && len >= 40) {
            proto = b[off + 6] & 0xff;
            l4 = 40;
            mtu = ipv6Mtu;
            if (proto == IPV6_FRAGMENT && len >= 48 && u16be(b, off + 42) == 0) {   // atomic fragment
                proto = b[off + 40] & 0xff;
                l4 = 48;
                gsoAllowed = false;
            }
        } else if (version == 4 && len >= 20 && (b[off] & 0xf) == 5 && (u16be(b, off + 6) & 0x3fff) == 0) {
            proto = b[off + 9] & 0xff;
            l4 = 20;
            mtu = ipv4Mtu;
        } else {
            clear(b, at);
            return GSO_NONE;
        }
        int thl, csumOffset;
        if (proto == TCP && l4 + 20 <= len) {
            thl = ((b[off + l4 + 12] & 0xff) >>> 4) << 2;
            csumOffset = 16;
            if (thl < 20 || l4 + thl > len) {
                clear(b, at);
                return GSO_NONE;
            }
        } else if (proto == UDP && l4 + 8 <= len) {
            thl = 8;
            csumOffset = 6;
        } else {
            clear(b, at);
            return GSO_NONE;
        }
        int gsoType = GSO_NONE, gsoSize = 0;
        if (inGsoType != GSO_NONE && gsoAllowed) {
            int base = inGsoType & ~GSO_ECN;
            if (proto == TCP && (base == GSO_TCPV4 || base == GSO_TCPV6)) {
                gsoType = (version == 6 ? GSO_TCPV6 : GSO_TCPV4) | (inGsoType & GSO_ECN);
                gsoSize = Math.max(MIN_GSO_SIZE, Math.min(inGsoSize, mtu - l4 - thl));
            } else if (proto == UDP && (base == GSO_UDP_L4 || base == GSO_UDP)) {
                gsoType = inGsoType;
                gsoSize = inGsoSize;
            }
        }
        if (!csum && gsoType == GSO_NONE) {
            clear(b, at);
            return GSO_NONE;
        }
        write(b, at, csum ? F_NEEDS_CSUM : 0, gsoType, l4 + thl, gsoSize, csum ? l4 : 0, csum ? csumOffset : 0);
        return gsoType;
    }

    private static int u16(byte[] b, int at) {
        return (short) U16.get(b, at) & 0xffff;
    }

    private static int u16be(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
