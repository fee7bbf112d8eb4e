package dev.siitdc.core.xlat;

import dev.siitdc.core.addr.SpecialAddresses;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.packet.Bytes;
import dev.siitdc.core.packet.Checksum;
import dev.siitdc.core.packet.Ipv6HeaderChain;

/**
 * RFC 7915 stateless translation of one packet at a time, with RFC 7757 EAMs and RFC 6052 pool6.
 * Pure: no I/O and no threads. Not thread-safe: one instance per worker thread, all sharing one
 * {@link SettingsRef}. No allocation per packet: packets are translated in place where possible,
 * else into this instance's scratch buffers.
 *
 * <p>Buffer contract: the packet is {@code buf[off, off+len)} with at least {@link #HEADROOM} free
 * bytes before {@code off} (4->6 grows the header by 20 bytes, 28 with a Fragment header).
 */
public final class Translator {
    /**
     * Offload flag: a GSO/TSO super-packet (virtio-net gso_type != NONE). It is larger than the MTU
     * on purpose and is segmented after translation, so no MTU rule applies to it.
     */
    public static final int OFFLOAD_GSO = 1;
    /**
     * Offload flag: the TCP/UDP checksum field holds only the pseudo-header sum (virtio-net
     * NEEDS_CSUM); it is updated as such and completed by the kernel or the NIC.
     */
    public static final int OFFLOAD_CSUM_PARTIAL = 2;

    /** Bytes the caller must leave free in front of {@code off}. */
    public static final int HEADROOM = 64;
    /** The largest packet handed in (an IPv6 packet may be 40 + 65535 bytes). */
    public static final int MAX_PACKET = 65535 + 40;

    static final int ICMP4_ERROR_MAX = 576;    // RFC 1812 s4.3.2.3
    static final int ICMP6_ERROR_MAX = 1280;   // RFC 4443 s2.4 (c)
    static final int OWN_ERROR_TTL = 64;

    static final int PROTO_ICMP = 1;
    static final int PROTO_IGMP = 2;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMP6 = 58;
    static final int NH_FRAGMENT = Ipv6HeaderChain.FRAGMENT;

    /** map46 results. */
    static final int MAP_NONE = 0;
    static final int MAP_WKP_REFUSED = -1;
    static final int MAP_EAM = 1;
    static final int MAP_POOL6 = 2;

    private final SettingsRef ref;
    final Counters counters;
    Settings s;
    private PacketSink sink;

    private final byte[] scratchA = new byte[HEADROOM + MAX_PACKET + 64];
    private final byte[] scratchB = new byte[HEADROOM + MAX_PACKET + 64];
    final byte[] errBuf = new byte[HEADROOM + ICMP6_ERROR_MAX + 64];
    /** Mapped addresses of the packet being translated: outer src, outer dst, inner src, inner dst. */
    final byte[] addrs = new byte[64];
    private int idState;
    /** OFFLOAD_ flags of the packet being translated. */
    int offload;
    private boolean originating;
    private IcmpRateLimiter icmpLimiter = IcmpRateLimiter.UNLIMITED;
    private java.util.function.LongSupplier clock = System::nanoTime;

    /** The one IPv6 extension-header walker of this translator (outer, quoted and error checks). */
    final Ipv6HeaderChain chain = new Ipv6HeaderChain();

    private final Xlat46 x46 = new Xlat46(this);
    private final Xlat64 x64 = new Xlat64(this);
    private final OwnAddress own = new OwnAddress(this);

    public Translator(TranslatorConfig config) {
        this(new SettingsRef(Settings.compile(config)), new Counters());
    }

    public Translator(SettingsRef ref, Counters counters) {
        this.ref = ref;
        this.counters = counters;
        this.idState = (int) System.nanoTime() ^ System.identityHashCode(this) | 1;
    }

    public Counters counters() { return counters; }

    /**
     * Limits the ICMP errors this translator originates (translated errors are not limited).
     * The default sends every error, as the offline {@code translate} command needs.
     */
    public void setIcmpRateLimit(IcmpRateLimiter limiter, java.util.function.LongSupplier nanoClock) {
        this.icmpLimiter = limiter.copy();
        this.clock = nanoClock;
    }

    public SettingsRef settings() { return ref; }

    /** Translates the packet in buf[off, off+len), by the version in its first nibble. */
    public void translate(byte[] buf, int off, int len, PacketSink sink) {
        checkBounds(buf, off, len);
        if (len < 1) {
            counters.inc(Counter.DROP_UNKNOWN_VERSION);
            return;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4) translate4(buf, off, len, sink, 0);
        else if (version == 6) translate6(buf, off, len, sink, 0);
        else counters.inc(Counter.DROP_UNKNOWN_VERSION);
    }

    /** An IPv4 packet arriving on the IPv4 side (RFC 7915 s4). */
    public void translate4(byte[] buf, int off, int len, PacketSink sink) {
        translate4(buf, off, len, sink, 0);
    }

    /** {@link #translate4} of a packet that carries the given {@code OFFLOAD_} flags. */
    public void translate4(byte[] buf, int off, int len, PacketSink sink, int offloadFlags) {
        checkBounds(buf, off, len);
        begin(sink);
        offload = offloadFlags;
        counters.inc(Counter.RECEIVED4);
        if (!own.handle4(buf, off, len)) x46.translate(buf, off, len, false);
    }

    /** An IPv6 packet arriving on the IPv6 side (RFC 7915 s5). */
    public void translate6(byte[] buf, int off, int len, PacketSink sink) {
        translate6(buf, off, len, sink, 0);
    }

    /** {@link #translate6} of a packet that carries the given {@code OFFLOAD_} flags. */
    public void translate6(byte[] buf, int off, int len, PacketSink sink, int offloadFlags) {
        checkBounds(buf, off, len);
        begin(sink);
        offload = offloadFlags;
        counters.inc(Counter.RECEIVED6);
        if (!own.handle6(buf, off, len)) x64.translate(buf, off, len);
    }

    private void begin(PacketSink sink) {
        this.s = ref.get();
        this.sink = sink;
    }

    private static void checkBounds(byte[] buf, int off, int len) {
        if (off < HEADROOM || len < 0 || len > buf.length - off || len > MAX_PACKET)
            throw new IllegalArgumentException("packet must be buf[off, off+len) with off >= HEADROOM and len <= "
                    + MAX_PACKET + ": off=" + off + " len=" + len + " buf=" + buf.length);
    }

    // ------------------------------------------------------------------ shared helpers

    /** The 4->6 hairpin pass (RFC 7757 s4.2) of a packet the 6->4 pass produced. */
    void hairpin(byte[] b, int off, int len) {
        counters.inc(Counter.HAIRPINNED);
        x46.translate(b, off, len, true);
    }

    void emit(byte[] b, int off, int len) {
        sink.emit(b, off, len);
    }

    /**
     * Emits a packet the translator built itself (an ICMP error, an echo reply, a RST): complete, with
     * no offload of the packet that caused it ({@link #isOriginating()} is true meanwhile).
     */
    void emitOriginated(byte[] b, int off, int len) {
        originating = true;
        try {
            sink.emit(b, off, len);
        } finally {
            originating = false;
        }
    }

    /**
     * True while the sink receives a packet the translator originated: its checksums are complete and
     * the offloads (GSO, partial checksum) of the packet being translated do not apply to it.
     */
    public boolean isOriginating() { return originating; }

    /** A scratch buffer that is not {@code in}. */
    byte[] scratchFor(byte[] in) {
        return in == scratchA ? scratchB : scratchA;
    }

    /** IPv4 Identification for packets the translator builds (RFC 7915 s5.1; RFC 6864). */
    int nextIpv4Id() {
        int x = idState;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        idState = x;
        return x & 0xffff;
    }

    /**
     * Maps an IPv4 address to IPv6 at dst[off..off+16): the EAMT first (when useEam), then pool6
     * (RFC 7757 s3.2).
     */
    int map46(int v4, boolean useEam, byte[] dst, int off) {
        Settings st = s;
        if (useEam && st.eamt.translate4to6(v4, dst, off)) return MAP_EAM;
        if (st.pool6 == null) return MAP_NONE;
        if (st.pool6.isWellKnown() && !SpecialAddresses.isGlobal(v4)) return MAP_WKP_REFUSED; // RFC 6052 s3.1
        st.pool6.embed(v4, dst, off);
        return MAP_POOL6;
    }

    static final long MAP64_NONE = -1;
    static final long MAP64_WKP_REFUSED = -2;
    static final long MAP64_POOL6_BIT = 1L << 32;

    /**
     * Maps the IPv6 address at src[off..off+16) to IPv4: EAMT first, then pool6. Returns the address
     * in the low 32 bits, with {@link #MAP64_POOL6_BIT} when pool6 matched, or a negative MAP64_ code.
     */
    long map64(byte[] src, int off) {
        Settings st = s;
        long r = st.eamt.translate6to4(src, off);
        if (r >= 0) return r;
        if (st.pool6 == null || !st.pool6.matches(src, off)) return MAP64_NONE;
        int v4 = st.pool6.extract(src, off);
        if (st.pool6.isWellKnown() && !SpecialAddresses.isGlobal(v4)) return MAP64_WKP_REFUSED;
        return (v4 & 0xffffffffL) | MAP64_POOL6_BIT;
    }

    /** IPv6 multicast (ff00::/8), loopback (::1) or unspecified (::): never the destination of an error. */
    static boolean isNonUnicast6(byte[] b, int off) {
        if (b[off] == (byte) 0xff) return true;
        for (int i = 0; i < 15; i++) if (b[off + i] != 0) return false;
        return (b[off + 15] & 0xfe) == 0;
    }

    /** RFC 1812 s5.3.7 and Jool's implicit denylist: never translate these as source or destination. */
    public static boolean isDenied4(int v4) {
        return SpecialAddresses.isIllegalSource(v4) || (v4 >>> 16) == 0xa9fe;     // and 169.254/16
    }

    /**
     * TCP or UDP checksum after the addresses changed (RFC 1624), if the field lies within the
     * {@code avail} bytes present (a quoted packet may be truncated). A zero UDP checksum stays zero
     * (forward-udp-checksum-zero); an updated one of zero is sent as 0xffff (RFC 768).
     */
    static void updateTransportChecksum(byte[] b, int l4, int avail, int proto, int removed, int added) {
        if (proto == PROTO_TCP) {
            if (avail >= 18) Bytes.put16(b, l4 + 16, Checksum.update(Bytes.u16(b, l4 + 16), removed, added));
        } else if (proto == PROTO_UDP && avail >= 8) {
            int old = Bytes.u16(b, l4 + 6);
            if (old != 0) {
                int csum = Checksum.update(old, removed, added);
                Bytes.put16(b, l4 + 6, csum == 0 ? 0xffff : csum);
            }
        }
    }

    /**
     * A partial (NEEDS_CSUM) TCP/UDP checksum the translator must finish itself, because it splits
     * the packet into fragments that no device can checksum: the field holds the pseudo-header sum,
     * so the sum over the transport bytes as they are is the whole sum.
     */
    void completePartialChecksum(byte[] b, int l4, int l4len, int proto) {
        if ((offload & OFFLOAD_CSUM_PARTIAL) == 0 || (proto != PROTO_TCP && proto != PROTO_UDP)) return;
        int at = l4 + (proto == PROTO_TCP ? 16 : 6);
        int csum = Checksum.finish(Checksum.add(0, b, l4, l4len));
        Bytes.put16(b, at, proto == PROTO_UDP && csum == 0 ? 0xffff : csum);
    }

    /** Sum of the IPv4 pseudo-header (RFC 793 s3.1, RFC 768) of the IPv4 header at b[ip], for {@code length} bytes. */
    static int pseudo4(byte[] b, int ip, int length, int protocol) {
        return Checksum.add(0, b, ip + 12, 8) + protocol + length;
    }

    /** Sum of the IPv6 pseudo-header (RFC 8200 s8.1) over addresses at a[off..off+32). */
    static int pseudo6(byte[] a, int off, int length, int nextHeader) {
        int sum = Checksum.add(0, a, off, 32);
        return sum + (length >>> 16) + (length & 0xffff) + nextHeader;
    }

    // ------------------------------------------------------------------ errors the translator originates

    /** The ICMP error rate limit: true if one more error (or RST) may be sent now, else counted. */
    boolean permitError() {
        if (icmpLimiter.tryAcquire(clock.getAsLong())) return true;
        counters.inc(Counter.ICMP_ERRORS_RATE_LIMITED);
        return false;
    }

    /**
     * Originates an ICMPv4 error about the IPv4 packet b[off, off+len), as received (RFC 7915 s4.4,
     * RFC 1812 s4.3.2): source own-ipv4-address, TTL 64, TOS 0, at most 576 bytes.
     */
    void icmp4Error(byte[] b, int off, int len, int type, int code, int rest) {
        int src = Bytes.i32(b, off + 12);
        int dst = Bytes.i32(b, off + 16);
        int fragOffset = Bytes.u16(b, off + 6) & 0x1fff;
        int ihl = (b[off] & 0xf) << 2;
        boolean aboutError = b[off + 9] == PROTO_ICMP && fragOffset == 0 && len > ihl
                && IcmpMaps.isIcmp4Error(b[off + ihl] & 0xff);
        if (aboutError || fragOffset != 0 || isDenied4(src) || src == 0xffffffff || isDenied4(dst)) {
            counters.inc(Counter.ICMP_ERRORS_SUPPRESSED);
            return;
        }
        if (!permitError()) return;
        byte[] o = errBuf;
        int p = HEADROOM;
        int quote = Math.min(len, ICMP4_ERROR_MAX - 28);
        int total = 28 + quote;
        o[p] = 0x45;
        o[p + 1] = 0;
        Bytes.put16(o, p + 2, total);
        Bytes.put16(o, p + 4, nextIpv4Id());
        Bytes.put16(o, p + 6, 0);
        o[p + 8] = OWN_ERROR_TTL;
        o[p + 9] = PROTO_ICMP;
        Bytes.put32(o, p + 12, s.ownIpv4);
        Bytes.put32(o, p + 16, src);
        Bytes.put16(o, p + 10, Checksum.ipv4Header(o, p, 20));
        int icmp = p + 20;
        o[icmp] = (byte) type;
        o[icmp + 1] = (byte) code;
        Bytes.put16(o, icmp + 2, 0);
        Bytes.put32(o, icmp + 4, rest);
        System.arraycopy(b, off, o, icmp + 8, quote);
        Bytes.put16(o, icmp + 2, Checksum.finish(Checksum.add(0, o, icmp, 8 + quote)));
        counters.inc(Counter.ICMP4_ERRORS_SENT);
        emitOriginated(o, p, total);
    }

    /**
     * Originates an ICMPv6 error about the IPv6 packet b[off, off+len), as received (RFC 7915 s5.4,
     * RFC 4443 s2.4): source own-ipv6-address, hop limit 64, traffic class and flow label 0,
     * at most 1280 bytes.
     */
    void icmp6Error(byte[] b, int off, int len, int type, int code, int rest, boolean aboutError) {
        aboutError |= isIcmp6Error(b, off, len);
        byte[] own = s.ownIpv6;
        boolean srcUnusable = b[off + 8] == (byte) 0xff || isUnspecified(b, off + 8);
        boolean dstMulticast = b[off + 24] == (byte) 0xff && !(type == 2 || (type == 4 && code == 2));
        if (own == null || aboutError || srcUnusable || dstMulticast) {
            counters.inc(Counter.ICMP_ERRORS_SUPPRESSED);
            return;
        }
        if (!permitError()) return;
        byte[] o = errBuf;
        int p = HEADROOM;
        int quote = Math.min(len, ICMP6_ERROR_MAX - 48);
        int total = 48 + quote;
        o[p] = 0x60;
        o[p + 1] = 0;
        o[p + 2] = 0;
        o[p + 3] = 0;
        Bytes.put16(o, p + 4, 8 + quote);
        o[p + 6] = PROTO_ICMP6;
        o[p + 7] = OWN_ERROR_TTL;
        System.arraycopy(own, 0, o, p + 8, 16);
        System.arraycopy(b, off + 8, o, p + 24, 16);
        int icmp = p + 40;
        o[icmp] = (byte) type;
        o[icmp + 1] = (byte) code;
        Bytes.put16(o, icmp + 2, 0);
        Bytes.put32(o, icmp + 4, rest);
        System.arraycopy(b, off, o, icmp + 8, quote);
        int sum = pseudo6(o, p + 8, 8 + quote, PROTO_ICMP6);
        Bytes.put16(o, icmp + 2, Checksum.finish(Checksum.add(sum, o, icmp, 8 + quote)));
        counters.inc(Counter.ICMP6_ERRORS_SENT);
        emitOriginated(o, p, total);
    }

    /**
     * True if the IPv6 packet carries an ICMPv6 error behind its extension headers (RFC 4443 s2.4 e.1),
     * or if its chain is too long to tell: then no error is sent about it either.
     */
    boolean isIcmp6Error(byte[] b, int off, int len) {
        int r = chain.walk(b, off, off + len, true);
        if (r == Ipv6HeaderChain.TOO_LONG) return true;
        if (r != Ipv6HeaderChain.OK || chain.upperProtocol() != PROTO_ICMP6) return false;
        int p = chain.upperOffset();
        return (chain.fragmentField(b) & 0xfff8) == 0 && p < off + len && IcmpMaps.isIcmp6Error(b[p] & 0xff);
    }

    private static boolean isUnspecified(byte[] b, int off) {
        for (int i = 0; i < 16; i++) if (b[off + i] != 0) return false;
        return true;
    }
}
