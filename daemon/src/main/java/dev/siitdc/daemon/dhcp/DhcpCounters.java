package dev.siitdc.daemon.dhcp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.ObjLongConsumer;

/**
 * The {@link DhcpCounter}s of one {@link DhcpServer}. Single writer (the thread that owns the server); other
 * threads read each value atomically (opaque reads), not a consistent snapshot across counters.
 * Allocation-free.
 */
public final class DhcpCounters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final DhcpCounter[] ALL = DhcpCounter.values();
    private final long[] values = new long[ALL.length];

    void inc(DhcpCounter c) {
        int i = c.ordinal();
        LONGS.setOpaque(values, i, (long) LONGS.getOpaque(values, i) + 1);
    }

    public long get(DhcpCounter c) {
        return (long) LONGS.getOpaque(values, c.ordinal());
    }

    /** Calls {@code f} for every counter with a non-zero value, in declaration order. */
    public void forEachNonZero(ObjLongConsumer<DhcpCounter> f) {
        for (DhcpCounter c : ALL) {
            long v = get(c);
            if (v != 0) {
                f.accept(c, v);
            }
        }
    }
}
