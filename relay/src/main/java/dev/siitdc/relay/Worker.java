package dev.siitdc.relay;

import dev.siitdc.core.xlat.Counters;
import dev.siitdc.core.xlat.IcmpRateLimiter;
import dev.siitdc.core.xlat.PacketSink;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.core.xlat.Translator;
import dev.siitdc.linux.Errno;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Tun;
import java.io.PrintWriter;

/**
 * One TUN queue's worker: waits for packets with poll (100 ms, so that a stop is noticed promptly),
 * reads each into a reusable buffer at {@link Translator#HEADROOM}, filters it ({@link RelayFilter}),
 * translates it and writes every packet the translator emits back to the same queue. Nothing is
 * allocated per packet. The queue's flow hash keeps each flow on one queue, hence in order
 * (RFC 7915 s4: "SHOULD" keep the order of a flow).
 */
final class Worker implements Runnable, PacketSink {
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
    /** A write failure that means the queue is unusable (EBADF), raised out of {@link #emit}. */
    private LinuxException fatalWrite;
    private volatile Throwable failure;
    private volatile boolean finished;

    Worker(int index, Tun queue, SettingsRef settings, RelayFilter filter, IcmpRateLimiter icmpLimit, StopSignal stop,
            PrintWriter err) {
        this.index = index;
        this.queue = queue;
        this.settings = settings;
        this.translator = new Translator(settings, new Counters());
        this.translator.setIcmpRateLimit(icmpLimit, System::nanoTime);
        this.filter = filter;
        this.stop = stop;
        this.err = err;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
            stop.request("worker " + index + " failed: " + t);
        } finally {
            finished = true;
        }
    }

    private void loop() throws LinuxException {
        final int maxRead = Translator.MAX_PACKET;
        while (!stop.requested()) {
            if (!queue.poll(POLL_MILLIS)) {
                continue;
            }
            for (int i = 0; i < BATCH && !stop.requested(); i++) {
                int n = queue.read(buf, Translator.HEADROOM, maxRead);
                if (n < 0) {
                    break;
                }
                counters.inc(RelayCounter.TUN_READ);
                handle(n);
                if (fatalWrite != null) {
                    throw fatalWrite;
                }
            }
        }
    }

    /** Filters and translates the packet at buf[HEADROOM, HEADROOM + len). */
    void handle(int len) {
        RelayCounter verdict = filter.check(buf, Translator.HEADROOM, len, settings.get());
        if (verdict != null) {
            counters.inc(verdict);
            return;
        }
        try {
            translator.translate(buf, Translator.HEADROOM, len, this);
        } catch (RuntimeException e) {
            // A bug in the translator; one packet must not take the relay down.
            counters.inc(RelayCounter.DROP_INTERNAL_ERROR);
            long n = counters.get(RelayCounter.DROP_INTERNAL_ERROR);
            if (Long.bitCount(n) == 1) {    // the 1st, 2nd, 4th, 8th... occurrence
                err.println("siitdc: worker " + index + ": translation failed (occurrence " + n + "), packet dropped: " + e);
                e.printStackTrace(err);
                err.flush();
            }
        }
    }

    /** Writes one emitted packet back to this worker's queue. */
    @Override
    public void emit(byte[] b, int off, int len) {
        try {
            if (queue.write(b, off, len) < 0) {
                counters.inc(RelayCounter.DROP_TUN_WRITE_BLOCKED);
            } else {
                counters.inc(RelayCounter.TUN_WRITTEN);
            }
        } catch (LinuxException e) {
            if (e.errno() == Errno.EBADF) {
                fatalWrite = e;
                return;
            }
            counters.inc(RelayCounter.DROP_TUN_WRITE_ERROR);
            long n = counters.get(RelayCounter.DROP_TUN_WRITE_ERROR);
            if (Long.bitCount(n) == 1) {
                err.println("siitdc: worker " + index + ": the kernel refused an emitted packet (occurrence " + n + "): "
                        + e.getMessage());
                err.flush();
            }
        }
    }

    int index() {
        return index;
    }

    Counters translatorCounters() {
        return translator.counters();
    }

    RelayCounters relayCounters() {
        return counters;
    }

    /** The exception that ended the worker, or null. */
    Throwable failure() {
        return failure;
    }

    boolean finished() {
        return finished;
    }
}
