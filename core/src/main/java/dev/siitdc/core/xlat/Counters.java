package dev.siitdc.core.xlat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.ObjLongConsumer;

/**
 * One translator's counters. Single writer (the translator's thread); readers on other threads
 * see each value atomically (opaque reads) but not a consistent snapshot across counters.
 */
public final class Counters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final Counter[] ALL = Counter.values();
    private final long[] values = new long[ALL.length];

    public void inc(Counter c) { add(c, 1); }

    public void add(Counter c, long n) {
        int i = c.ordinal();
        LONGS.setOpaque(values, i, (long) LONGS.getOpaque(values, i) + n);
    }

    public long get(Counter c) { return (long) LONGS.getOpaque(values, c.ordinal()); }

    /** Calls {@code f} for every counter with a non-zero value, in declaration order. */
    public void forEachNonZero(ObjLongConsumer<Counter> f) {
        for (Counter c : ALL) {
            long v = get(c);
            if (v != 0) f.accept(c, v);
        }
    }

    /** Adds this translator's values into {@code total} (aggregation across workers). */
    public void addTo(Counters total) {
        for (Counter c : ALL) total.add(c, get(c));
    }
}
