package dev.siitdc.dataplane;


import dev.siitdc.core.xlat.Counters;
import dev.siitdc.core.xlat.IcmpRateLimiter;
import dev.siitdc.core.xlat.PacketSink;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.core.xlat.Translator;
import dev.siitdc.linux.Errno;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Tun;
import dev.siitdc.dataplane.log.DropLog;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.RateLimitedLog;
import java.io.PrintWriter;

/**
 * One TUN queue's worker: waits for packets with poll (100 ms, so that a stop is noticed promptly),
 * reads each into a reusable buffer at {@link Translator#HEADROOM}, filters it ({@link RelayFilter}),
 * translates it and writes every packet the translator emits back to the same queue. Nothing is
 * allocated per packet. The queue's flow hash keeps each flow on one queue, hence in order
 * (RFC 7915 s4: "SHOULD" keep the order of a flow).
 *
 * <p>On a queue opened with IFF_VNET_HDR (offload on) every packet is preceded by a
 * {@link VirtioNetHeader}: it is read at {@code HEADROOM - 10} so that the packet still starts at
 * HEADROOM, and its NEEDS_CSUM flag and gso_type become the translator's OFFLOAD_ flags. A GSO
 * super-packet is translated once and written back as one, with the header {@link VirtioNetHeader#writeFor}
 * gives it, so that the kernel segments it after translation. Every emitted packet has at least 32 free
 * bytes in front of it (the translator's buffer contract), where its header is written.
 */
public final class Worker implements Runnable, PacketSink {
    static final int POLL_MILLIS = 100;
    /** Packets read per poll before looking at the stop flag again. */
    static final int BATCH = 64;
    /** Room after the packet, as the offline translate command leaves. */
    static final int TAILROOM = 1024;

    private final int index;
    private final Tun queue;
    private final Translator translator;
    private final SettingsRef settings;
    private final RelayFilter filter;
    private final RelayCounters counters = new RelayCounters();
    private final StopSignal stop;
    private final PrintWriter err;
    private final byte[] buf = new byte[Translator.HEADROOM + Translator.MAX_PACKET + TAILROOM];
    /** Whether each packet read and written is preceded by a virtio_net_hdr. */
    private final boolean vnet;
    /** The virtio_net_hdr of the packet being translated (flags, gso_type, gso_size). */
    private int inFlags;
    private int inGsoType;
    private int inGsoSize;
    /** Segments the super-packets whose translated segments could not stay one (RFC 7915 s4 MTU rule). */
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final GsoSegmenter.SegmentSink translateSegment = this::translateSegment;
    /** The IPv6 size limit of the packet being translated ({@link GsoSegmenter#ipv6Limit}). */
    private int ipv6Limit;
    /** The one IPv6 extension-header walker of this worker's offload checks. */
    private final dev.siitdc.core.packet.Ipv6HeaderChain chain = new dev.siitdc.core.packet.Ipv6HeaderChain();
    /** A write failure that means the queue is unusable (EBADF), raised out of {@link #emit}. */
    private LinuxException fatalWrite;
    private volatile Throwable failure;
    /** Per-packet drop logging and the limit of this worker's warnings; set before the thread starts. */
    private DropLog.Probe drops;
    private RateLimitedLog warnings;
    private volatile boolean finished;

    public Worker(int index, Tun queue, SettingsRef settings, RelayFilter filter, IcmpRateLimiter icmpLimit, StopSignal stop,
            PrintWriter err) {
        this.index = index;
        this.queue = queue;
        this.settings = settings;
        this.translator = new Translator(settings, new Counters());
        this.translator.setIcmpRateLimit(icmpLimit, System::nanoTime);
        this.filter = filter;
        this.stop = stop;
        this.err = err;
        this.vnet = queue.vnetHdr();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (LinuxException e) {
            if (e.errno() == Errno.EBADFD) {
                // The interface is gone (ip link delete): every queue reads EBADFD from now on.
                TunDeletedException gone = new TunDeletedException(queue.name(), e);
                failure = gone;
                stop.request(gone.getMessage());
            } else {
                failure = e;
                stop.request("worker " + index + " failed: " + e);
            }
        } catch (Throwable t) {
            failure = t;
            stop.request("worker " + index + " failed: " + t);
        } finally {
            finished = true;
        }
    }

    private void loop() throws LinuxException {
        final int hdr = vnet ? VirtioNetHeader.LEN : 0;
        final int at = Translator.HEADROOM - hdr;
        final int maxRead = Translator.MAX_PACKET + hdr;
        while (!stop.requested()) {
            if (!queue.poll(POLL_MILLIS)) {
                continue;
            }
            for (int i = 0; i < BATCH && !stop.requested(); i++) {
                int n = queue.read(buf, at, maxRead);
                if (n < 0) {
                    break;
                }
                counters.inc(RelayCounter.TUN_READ);
                DropLog.Probe d = drops;
                boolean logDrops = d != null && d.on();     // off: one volatile read, nothing allocated
                if (logDrops) {
                    d.before(buf, Translator.HEADROOM, n - hdr);
                }
                if (vnet) {
                    handleWithHeader(n - VirtioNetHeader.LEN);
                } else {
                    handle(n);
                }
                if (logDrops) {
                    d.after();
                }
                if (fatalWrite != null) {
                    throw fatalWrite;
                }
            }
        }
    }

    /** Filters and translates the packet at buf[HEADROOM, HEADROOM + len), read without a header. */
    void handle(int len) {
        inFlags = 0;
        inGsoType = VirtioNetHeader.GSO_NONE;
        inGsoSize = 0;
        translate(len, 0);
    }

    /**
     * The packet at buf[HEADROOM, HEADROOM + len), read after its virtio_net_hdr at
     * buf[HEADROOM - 10, HEADROOM): its offloads become the translator's flags. A partial checksum
     * the translator cannot carry (not TCP/UDP right after the IP header) is finished here first.
     */
    void handleWithHeader(int len) {
        final int off = Translator.HEADROOM;
        final int h = off - VirtioNetHeader.LEN;
        if (len < 0) {
            counters.inc(RelayCounter.DROP_BAD_VNET_HEADER);
            return;
        }
        int flags = VirtioNetHeader.flags(buf, h);
        int gsoType = VirtioNetHeader.gsoType(buf, h);
        if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            int start = VirtioNetHeader.csumStart(buf, h), offset = VirtioNetHeader.csumOffset(buf, h);
            if (!VirtioNetHeader.partialChecksumCarried(buf, off, len, start, offset, chain)) {
                if (gsoType != VirtioNetHeader.GSO_NONE || !VirtioNetHeader.finishChecksum(buf, off, len, start, offset)) {
                    counters.inc(RelayCounter.DROP_BAD_VNET_HEADER);
                    return;
                }
                flags &= ~VirtioNetHeader.F_NEEDS_CSUM;
            }
        }
        inFlags = flags;
        inGsoType = gsoType;
        inGsoSize = VirtioNetHeader.gsoSize(buf, h);
        if (gsoType != VirtioNetHeader.GSO_NONE) {
            counters.inc(RelayCounter.GSO_READ);
        }
        translate(len, VirtioNetHeader.offloadFlags(flags, gsoType));
    }

    private void translate(int len, int offload) {
        final int off = Translator.HEADROOM;
        RelayCounter verdict = filter.check(buf, off, len, settings.get());
        if (verdict != null) {
            counters.inc(verdict);
            return;
        }
        try {
            int version = len > 0 ? (buf[off] & 0xff) >>> 4 : 0;
            // offloads exist only with a virtio_net_hdr: then the IPv6 limit of this packet's segments
            dev.siitdc.core.config.TranslatorConfig tc = vnet ? settings.get().config() : null;
            if (vnet) ipv6Limit = GsoSegmenter.ipv6Limit(buf, off, len, tc);
            if (version == 4 && inGsoType != VirtioNetHeader.GSO_NONE
                    && GsoSegmenter.needed(buf, off, len, inGsoType, inGsoSize, tc)) {
                counters.inc(RelayCounter.GSO_SEGMENTED);
                inFlags = 0;
                inGsoType = VirtioNetHeader.GSO_NONE;
                if (segmenter.segment(buf, off, len, inGsoSize, translateSegment) < 0) {
                    counters.inc(RelayCounter.DROP_BAD_VNET_HEADER);
                }
            } else if (version == 4) {
                translator.translate4(buf, off, len, this, offload);
            } else if (version == 6) {
                translator.translate6(buf, off, len, this, offload);
            } else {
                translator.translate(buf, off, len, this);
            }
        } catch (RuntimeException e) {
            // A bug in the translator; one packet must not take the relay down.
            counters.inc(RelayCounter.DROP_INTERNAL_ERROR);
            long n = counters.get(RelayCounter.DROP_INTERNAL_ERROR);
            if (warnings != null ? warnings.permit("translation failed", Level.WARNING)
                    : Long.bitCount(n) == 1) {    // the 1st, 2nd, 4th, 8th... occurrence
                err.println("siitdc: worker " + index + ": translation failed (occurrence " + n + "), packet dropped: " + e);
                e.printStackTrace(err);
                err.flush();
            }
        }
    }

    /** One segment {@link GsoSegmenter} cut: translated alone, without offloads. */
    private void translateSegment(byte[] b, int off, int len) {
        translator.translate4(b, off, len, this, 0);
    }

    /**
     * Writes one emitted packet back to this worker's queue; with IFF_VNET_HDR, after the header
     * {@link VirtioNetHeader#writeFor} writes in the free bytes in front of it.
     */
    @Override
    public void emit(byte[] b, int off, int len) {
        try {
            int gso = VirtioNetHeader.GSO_NONE;
            int n;
            if (vnet) {
                if (translator.isOriginating()) {
                    VirtioNetHeader.clear(b, off - VirtioNetHeader.LEN);    // complete, no offloads
                } else {
                    gso = VirtioNetHeader.writeFor(b, off, len, inFlags, inGsoType, inGsoSize,
                            settings.get().config().ipv4Mtu(), ipv6Limit);
                }
                n = queue.write(b, off - VirtioNetHeader.LEN, len + VirtioNetHeader.LEN);
            } else {
                n = queue.write(b, off, len);
            }
            if (n < 0) {
                counters.inc(RelayCounter.DROP_TUN_WRITE_BLOCKED);
            } else {
                counters.inc(RelayCounter.TUN_WRITTEN);
                if (gso != VirtioNetHeader.GSO_NONE) {
                    counters.inc(RelayCounter.GSO_WRITTEN);
                }
            }
        } catch (LinuxException e) {
            if (e.errno() == Errno.EBADF || e.errno() == Errno.EBADFD) {
                fatalWrite = e;
                return;
            }
            counters.inc(RelayCounter.DROP_TUN_WRITE_ERROR);
            long n = counters.get(RelayCounter.DROP_TUN_WRITE_ERROR);
            if (warnings != null ? warnings.permit("tun write refused", Level.WARNING) : Long.bitCount(n) == 1) {
                err.println("siitdc: worker " + index + ": the kernel refused an emitted packet (occurrence " + n + "): "
                        + e.getMessage());
                err.flush();
            }
        }
    }

    /** Drop logging and warning limits (the daemon's); before the thread starts. */
    public void logging(DropLog.Probe drops, RateLimitedLog warnings) {
        this.drops = drops;
        this.warnings = warnings;
    }

    int index() {
        return index;
    }

    public Counters translatorCounters() {
        return translator.counters();
    }

    public RelayCounters relayCounters() {
        return counters;
    }

    /** The exception that ended the worker, or null. */
    public Throwable failure() {
        return failure;
    }

    boolean finished() {
        return finished;
    }
}
