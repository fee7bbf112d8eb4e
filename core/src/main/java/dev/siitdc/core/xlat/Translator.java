package dev.siitdc.core.xlat;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6Header;
import dev.siitdc.core.packet.Ipv6HeaderChain;

/**
 * RFC 7915 stateless translation of one packet at a time, with RFC 7757 EAMs and RFC 6052 pool6.
 * Pure: no I/O and no threads. Not thread-safe: one instance per worker thread, all sharing one
 * {@link SettingsRef}. No allocation per packet: packets are translated in place where possible,
 * else into this instance's scratch buffers; each direction has one {@link XlatContext}, reused.
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
    public static final int MAX_PACKET = Ipv6Header.MAX_PAYLOAD_LENGTH + Ipv6Header.LENGTH;

    private static final int VERSION_SHIFT = 4;

    private final SettingsRef ref;
    private final Counters counters;
    private final PacketOutput out;
    private final IcmpErrorOrigin errors;
    private final Ipv4To6Steps x46;
    private final Ipv6To4Steps x64;
    private final OwnAddress own;
    private final XlatContext ctx46;
    private final XlatContext ctx64;

    public Translator(TranslatorConfig config) {
        this(new SettingsRef(Settings.compile(config)), new Counters());
    }

    public Translator(SettingsRef ref, Counters counters) {
        this.ref = ref;
        this.counters = counters;
        this.out = new PacketOutput(counters);
        Ipv4Identification ids = new Ipv4Identification((int) System.nanoTime() ^ System.identityHashCode(this));
        // the one IPv6 extension-header walker of this translator (outer, quoted and error checks)
        Ipv6HeaderChain chain = new Ipv6HeaderChain();
        this.errors = new IcmpErrorOrigin(counters, out, ids, chain);
        this.x46 = new Ipv4To6Steps(counters, out, errors);
        this.x64 = new Ipv6To4Steps(counters, out, errors, ids, chain, x46);
        this.own = new OwnAddress(counters, out, errors, ids, chain);
        this.ctx46 = new XlatContext(counters, false);
        this.ctx64 = new XlatContext(counters, false);
    }

    public Counters counters() { return counters; }

    /**
     * Limits the ICMP errors this translator originates (translated errors are not limited).
     * The default sends every error, as the offline {@code translate} command needs.
     */
    public void setIcmpRateLimit(IcmpRateLimiter limiter, java.util.function.LongSupplier nanoClock) {
        errors.setRateLimit(limiter, nanoClock);
    }

    public SettingsRef settings() { return ref; }

    /** Translates the packet in buf[off, off+len), by the version in its first nibble. */
    public void translate(byte[] buf, int off, int len, PacketSink sink) {
        checkBounds(buf, off, len);
        int version = len < 1 ? 0 : (buf[off] & 0xff) >>> VERSION_SHIFT;
        switch (version) {
            case Ipv4Header.VERSION -> translate4(buf, off, len, sink, 0);
            case Ipv6Header.VERSION -> translate6(buf, off, len, sink, 0);
            default -> ctx46.drop(Counter.DROP_UNKNOWN_VERSION);
        }
    }

    /** An IPv4 packet arriving on the IPv4 side (RFC 7915 s4). */
    public void translate4(byte[] buf, int off, int len, PacketSink sink) { translate4(buf, off, len, sink, 0); }

    /** An IPv6 packet arriving on the IPv6 side (RFC 7915 s5). */
    public void translate6(byte[] buf, int off, int len, PacketSink sink) { translate6(buf, off, len, sink, 0); }

    /** {@link #translate4} of a packet that carries the given {@code OFFLOAD_} flags. */
    public void translate4(byte[] buf, int off, int len, PacketSink sink, int offloadFlags) {
        Settings s = begin(buf, off, len, sink, Counter.RECEIVED4);
        ctx46.begin(s, offloadFlags, buf, off, len, false);
        if (!own.handle4(ctx46)) x46.translate(ctx46);
    }

    /** {@link #translate6} of a packet that carries the given {@code OFFLOAD_} flags. */
    public void translate6(byte[] buf, int off, int len, PacketSink sink, int offloadFlags) {
        Settings s = begin(buf, off, len, sink, Counter.RECEIVED6);
        ctx64.begin(s, offloadFlags, buf, off, len, false);
        if (!own.handle6(ctx64)) x64.translate(ctx64);
    }

    /** Checks the buffer contract, counts the packet, and returns the settings it is translated with. */
    private Settings begin(byte[] buf, int off, int len, PacketSink sink, Counter received) {
        checkBounds(buf, off, len);
        out.begin(sink);
        counters.inc(received);
        return ref.get();
    }

    private static void checkBounds(byte[] buf, int off, int len) {
        if (off < HEADROOM || len < 0 || len > buf.length - off || len > MAX_PACKET)
            throw new IllegalArgumentException("packet must be buf[off, off+len) with off >= HEADROOM and len <= "
                    + MAX_PACKET + ": off=" + off + " len=" + len + " buf=" + buf.length);
    }

    /**
     * True while the sink receives a packet the translator originated: its checksums are complete and
     * the offloads (GSO, partial checksum) of the packet being translated do not apply to it.
     */
    public boolean isOriginating() { return out.isOriginating(); }

    /** RFC 1812 s5.3.7 and Jool's implicit denylist: never translate these as source or destination. */
    public static boolean isDenied4(int v4) {
        return AddressMapper.isDenied4(v4);
    }
}
