package dev.siitdc.dataplane;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.ObjLongConsumer;

/**
 * One worker's {@link RelayCounter}s. Single writer (the worker thread); other threads read each value
 * atomically (opaque reads), not a consistent snapshot across counters. Allocation-free.
 */
public final class RelayCounters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final RelayCounter[] ALL = RelayCounter.values();
    private final long[] values = new long[ALL.length];

    public void inc(RelayCounter c) {
        add(c, 1);
    }

    public void add(RelayCounter c, long n) {
        int i = c.ordinal();
        LONGS.setOpaque(values, i, (long) LONGS.getOpaque(values, i) + n);
    }

    public long get(RelayCounter c) {
        return (long) LONGS.getOpaque(values, c.ordinal());
    }

    /** Calls {@code f} for every counter with a non-zero value, in declaration order. */
    public void forEachNonZero(ObjLongConsumer<RelayCounter> f) {
        for (RelayCounter c : ALL) {
            long v = get(c);
            if (v != 0) {
                f.accept(c, v);
            }
        }
    }

    /** Adds these values into {@code total}. */
    public void addTo(RelayCounters total) {
        for (RelayCounter c : ALL) {
            total.add(c, get(c));
        }
    }
}
