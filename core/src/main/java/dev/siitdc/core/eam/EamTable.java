package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The Explicit Address Mapping Table (RFC 7757 s3.1), immutable and thread-safe after construction.
 * Lookups are longest-prefix matches (RFC 7757 s3.3) and allocate nothing.
 *
 * <p>Layout: per side, one open-addressing hash table (linear probing, load at most 1/2) per prefix
 * length in use, keyed by the masked address; lookups probe the lengths present, longest first, so a
 * lookup costs O(number of distinct lengths), independent of the number of entries. A slot is three
 * longs in one primitive array and carries everything the translation needs, so a hit usually costs a
 * single cache miss:
 * <ul>
 *   <li>IPv4 side: {@code key << 32 | (p6 + 1)}, IPv6 prefix hi, IPv6 prefix lo;</li>
 *   <li>IPv6 side: key hi, key lo, {@code ipv4 << 32 | (p4 + 1)}.</li>
 * </ul>
 * A zero in the tag long marks an empty slot. Entry indices sit in a parallel int[] read only by
 * {@link #find4}/{@link #find6} and at build time.
 */
public final class EamTable {
    public static final EamTable EMPTY = new EamTable(new Eam[0]);

    /** Keeps every table array under the JVM array size limit (3 longs per slot, 2 to 4 slots per entry). */
    private static final int MAX_ENTRIES = 1 << 27;

    private final Eam[] eams;
    private final List<Eam> entries;

    private final int[] lens4;          // descending
    private final int[] counts4;        // entries per table
    private final int[] masks4;
    private final int[] slotMasks4;     // slots - 1
    private final long[][] tables4;
    private final int[][] index4;

    private final int[] lens6;          // descending
    private final int[] counts6;
    private final long[] masksHi6, masksLo6;
    private final int[] slotMasks6;
    private final long[][] tables6;
    private final int[][] index6;

    private EamTable(Eam[] eams) {
        int n = eams.length;
        if (n > MAX_ENTRIES) throw new IllegalArgumentException("too many EAMs: " + n + " (at most " + MAX_ENTRIES + ")");
        this.eams = eams;
        this.entries = Collections.unmodifiableList(Arrays.asList(eams));
        int[] count4 = new int[33], count6 = new int[129];
        for (int i = 0; i < n; i++) {
            Eam e = eams[i];
            if (e == null) throw new NullPointerException("EAM #" + i + " is null");
            count4[e.ipv4().length()]++;
            count6[e.ipv6().length()]++;
        }

        // IPv4 side
        lens4 = presentLengths(count4);
        int k4 = lens4.length;
        counts4 = new int[k4]; masks4 = new int[k4]; slotMasks4 = new int[k4];
        tables4 = new long[k4][];
        index4 = new int[k4][];
        int[] table4Of = layOut(lens4, count4, counts4, slotMasks4, tables4, index4);
        for (int k = 0; k < k4; k++) masks4[k] = Ipv4Prefix.maskOf(lens4[k]);
        for (int i = 0; i < n; i++) {
            Eam e = eams[i];
            int k = table4Of[e.ipv4().length()], key = e.ipv4().address(), m = slotMasks4[k];
            long[] t = tables4[k];
            int s = hash(key) & m;
            for (long v; (v = t[3 * s]) != 0; s = (s + 1) & m) {
                if ((int) (v >>> 32) == key) throw duplicate("IPv4", e.ipv4(), eams[index4[k][s]], e);
            }
            t[3 * s] = ((long) key << 32) | (e.ipv6().length() + 1);
            t[3 * s + 1] = e.ipv6().hi();
            t[3 * s + 2] = e.ipv6().lo();
            index4[k][s] = i;
        }

        // IPv6 side
        lens6 = presentLengths(count6);
        int k6 = lens6.length;
        counts6 = new int[k6]; slotMasks6 = new int[k6]; masksHi6 = new long[k6]; masksLo6 = new long[k6];
        int[] table6Of = layOut(lens6, count6, counts6, slotMasks6, tables6 = new long[k6][], index6 = new int[k6][]);
        for (int k = 0; k < k6; k++) {
            masksHi6[k] = Ipv6Prefix.maskHi(lens6[k]);
            masksLo6[k] = Ipv6Prefix.maskLo(lens6[k]);
        }
        for (int i = 0; i < n; i++) {
            Eam e = eams[i];
            int k = table6Of[e.ipv6().length()], m = slotMasks6[k];
            long hi = e.ipv6().hi(), lo = e.ipv6().lo();
            long[] t = tables6[k];
            int s = hash(hi, lo) & m;
            for (; t[3 * s + 2] != 0; s = (s + 1) & m) {
                if (t[3 * s] == hi && t[3 * s + 1] == lo) throw duplicate("IPv6", e.ipv6(), eams[index6[k][s]], e);
            }
            t[3 * s] = hi;
            t[3 * s + 1] = lo;
            t[3 * s + 2] = ((long) e.ipv4().address() << 32) | (e.ipv4().length() + 1);
            index6[k][s] = i;
        }
    }

    /**
     * Sizes one side's hash tables, one per prefix length present ({@code lens}, with {@code count[len]}
     * entries each), into the arrays given; returns the table index of each length.
     */
    private static int[] layOut(int[] lens, int[] count, int[] counts, int[] slotMasks, long[][] tables, int[][] index) {
        int[] tableOf = new int[count.length];
        for (int k = 0; k < lens.length; k++) {
            int slots = capacity(count[lens[k]]);
            counts[k] = count[lens[k]];
            slotMasks[k] = slots - 1;
            tables[k] = new long[3 * slots];
            index[k] = new int[slots];
            tableOf[lens[k]] = k;
        }
        return tableOf;
    }

    /** A table sharing the arrays it is given (for {@link #with} and {@link #without}). */
    private EamTable(Eam[] eams, int[] lens4, int[] counts4, int[] masks4, int[] slotMasks4, long[][] tables4,
            int[][] index4, int[] lens6, int[] counts6, long[] masksHi6, long[] masksLo6, int[] slotMasks6,
            long[][] tables6, int[][] index6) {
        this.eams = eams;
        this.entries = Collections.unmodifiableList(Arrays.asList(eams));
        this.lens4 = lens4;
        this.counts4 = counts4;
        this.masks4 = masks4;
        this.slotMasks4 = slotMasks4;
        this.tables4 = tables4;
        this.index4 = index4;
        this.lens6 = lens6;
        this.counts6 = counts6;
        this.masksHi6 = masksHi6;
        this.masksLo6 = masksLo6;
        this.slotMasks6 = slotMasks6;
        this.tables6 = tables6;
        this.index6 = index6;
    }

    /** A table of the given entries, in that order. Overlapping prefixes are fine; identical ones are not. */
    public static EamTable of(Collection<Eam> eams) {
        return eams.isEmpty() ? EMPTY : new EamTable(eams.toArray(new Eam[0]));
    }

    /**
     * A new table with {@code e} added at the end. This table is unchanged. When both of e's prefix lengths
     * are in use already and their hash tables have room, only those two tables are copied (one copy of
     * their arrays, no rehashing) and the others shared; otherwise the table is rebuilt.
     */
    public EamTable with(Eam e) {
        Objects.requireNonNull(e, "e");
        Eam[] a = Arrays.copyOf(eams, eams.length + 1);
        a[eams.length] = e;
        int k4 = tableOf(lens4, e.ipv4().length()), k6 = tableOf(lens6, e.ipv6().length());
        if (k4 < 0 || k6 < 0 || 2 * (counts4[k4] + 1) > slotMasks4[k4] + 1 || 2 * (counts6[k6] + 1) > slotMasks6[k6] + 1
                || a.length > MAX_ENTRIES) {
            return new EamTable(a);
        }
        int key = e.ipv4().address();
        if (slotOf4(k4, key) >= 0) throw duplicate("IPv4", e.ipv4(), eams[index4[k4][slotOf4(k4, key)]], e);
        long hi = e.ipv6().hi(), lo = e.ipv6().lo();
        if (slotOf6(k6, hi, lo) >= 0) throw duplicate("IPv6", e.ipv6(), eams[index6[k6][slotOf6(k6, hi, lo)]], e);

        long[][] t4 = tables4.clone();
        int[][] i4 = index4.clone();
        t4[k4] = tables4[k4].clone();
        i4[k4] = index4[k4].clone();
        int m = slotMasks4[k4], s = hash(key) & m;
        while (t4[k4][3 * s] != 0) s = (s + 1) & m;
        t4[k4][3 * s] = ((long) key << 32) | (e.ipv6().length() + 1);
        t4[k4][3 * s + 1] = hi;
        t4[k4][3 * s + 2] = lo;
        i4[k4][s] = eams.length;
        int[] c4 = counts4.clone();
        c4[k4]++;

        long[][] t6 = tables6.clone();
        int[][] i6 = index6.clone();
        t6[k6] = tables6[k6].clone();
        i6[k6] = index6[k6].clone();
        m = slotMasks6[k6];
        s = hash(hi, lo) & m;
        while (t6[k6][3 * s + 2] != 0) s = (s + 1) & m;
        t6[k6][3 * s] = hi;
        t6[k6][3 * s + 1] = lo;
        t6[k6][3 * s + 2] = ((long) key << 32) | (e.ipv4().length() + 1);
        i6[k6][s] = eams.length;
        int[] c6 = counts6.clone();
        c6[k6]++;
        return new EamTable(a, lens4, c4, masks4, slotMasks4, t4, i4, lens6, c6, masksHi6, masksLo6, slotMasks6, t6, i6);
    }

    /**
     * A new table without {@code e}; IllegalArgumentException if {@code e} is not in this table. This table
     * is unchanged. Unless e was the last entry of one of its prefix lengths (then the table is rebuilt), the
     * two hash tables that held it are copied and e deleted from them (backward shift), and the entry
     * indices after e's renumbered; the other hash tables are shared.
     */
    public EamTable without(Eam e) {
        int at = indexOf(e);
        if (at < 0) throw new IllegalArgumentException("EAM " + e + " is not in the table");
        Eam[] a = new Eam[eams.length - 1];
        System.arraycopy(eams, 0, a, 0, at);
        System.arraycopy(eams, at + 1, a, at, eams.length - at - 1);
        int k4 = tableOf(lens4, e.ipv4().length()), k6 = tableOf(lens6, e.ipv6().length());
        if (a.length == 0) return EMPTY;
        // A length that empties, or tables left mostly empty (at most 1/8 full), are rebuilt to fit.
        if (counts4[k4] == 1 || counts6[k6] == 1 || 8 * (counts4[k4] - 1) < slotMasks4[k4] + 1 && slotMasks4[k4] >= 15
                || 8 * (counts6[k6] - 1) < slotMasks6[k6] + 1 && slotMasks6[k6] >= 15) {
            return new EamTable(a);
        }

        long[][] t4 = tables4.clone();
        t4[k4] = tables4[k4].clone();
        int[][] i4 = renumbered(index4, at);
        delete(t4[k4], i4[k4], slotMasks4[k4], slotOf4(k4, e.ipv4().address()), true);
        int[] c4 = counts4.clone();
        c4[k4]--;

        long[][] t6 = tables6.clone();
        t6[k6] = tables6[k6].clone();
        int[][] i6 = renumbered(index6, at);
        delete(t6[k6], i6[k6], slotMasks6[k6], slotOf6(k6, e.ipv6().hi(), e.ipv6().lo()), false);
        int[] c6 = counts6.clone();
        c6[k6]--;
        return new EamTable(a, lens4, c4, masks4, slotMasks4, t4, i4, lens6, c6, masksHi6, masksLo6, slotMasks6, t6, i6);
    }

    /** Copies of the index arrays with every entry index above {@code removed} one less. */
    private static int[][] renumbered(int[][] index, int removed) {
        int[][] out = new int[index.length][];
        for (int k = 0; k < index.length; k++) {
            int[] src = index[k], dst = new int[src.length];
            for (int s = 0; s < src.length; s++) dst[s] = src[s] > removed ? src[s] - 1 : src[s];
            out[k] = dst;
        }
        return out;
    }

    /**
     * Deletes slot {@code i} of a linear-probing table (3 longs a slot) by backward shift: each later entry
     * of the cluster moves back unless its home slot lies cyclically in (i, j], so that every remaining key
     * is still found from its home slot without passing an empty slot.
     */
    private static void delete(long[] t, int[] index, int m, int i, boolean v4) {
        for (int j = i; ; ) {
            j = (j + 1) & m;
            long tag = v4 ? t[3 * j] : t[3 * j + 2];
            if (tag == 0) break;
            int home = (v4 ? hash((int) (t[3 * j] >>> 32)) : hash(t[3 * j], t[3 * j + 1])) & m;
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (stays) continue;
            t[3 * i] = t[3 * j];
            t[3 * i + 1] = t[3 * j + 1];
            t[3 * i + 2] = t[3 * j + 2];
            index[i] = index[j];
            i = j;
        }
        t[3 * i] = 0;
        t[3 * i + 1] = 0;
        t[3 * i + 2] = 0;
        index[i] = 0;
    }

    /** The table of prefix length {@code len}, or -1. */
    private static int tableOf(int[] lens, int len) {
        for (int k = 0; k < lens.length; k++) if (lens[k] == len) return k;
        return -1;
    }

    /** The slot of exactly {@code key} in IPv4 table k, or -1. */
    private int slotOf4(int k, int key) {
        long[] t = tables4[k];
        int m = slotMasks4[k];
        for (int s = hash(key) & m; ; s = (s + 1) & m) {
            long v = t[3 * s];
            if (v == 0) return -1;
            if ((int) (v >>> 32) == key) return s;
        }
    }

    /** The slot of exactly (hi, lo) in IPv6 table k, or -1. */
    private int slotOf6(int k, long hi, long lo) {
        long[] t = tables6[k];
        int m = slotMasks6[k];
        for (int s = hash(hi, lo) & m; ; s = (s + 1) & m) {
            if (t[3 * s + 2] == 0) return -1;
            if (t[3 * s] == hi && t[3 * s + 1] == lo) return s;
        }
    }

    public int size() { return eams.length; }

    /** The entry whose IPv4 prefix is exactly {@code p} (its host bits ignored), or null. Not for the packet path. */
    public Eam exact4(Ipv4Prefix p) {
        int k = tableOf(lens4, p.length());
        if (k < 0) return null;
        int s = slotOf4(k, p.address() & masks4[k]);
        return s < 0 ? null : eams[index4[k][s]];
    }

    /** The entry whose IPv6 prefix is exactly {@code p} (its host bits ignored), or null. Not for the packet path. */
    public Eam exact6(Ipv6Prefix p) {
        int k = tableOf(lens6, p.length());
        if (k < 0) return null;
        int s = slotOf6(k, p.hi() & masksHi6[k], p.lo() & masksLo6[k]);
        return s < 0 ? null : eams[index6[k][s]];
    }

    /** The entries in insertion order (unmodifiable). */
    public List<Eam> entries() { return entries; }

    /** 4->6 (RFC 7757 s3.3): writes the IPv6 address of {@code v4} to dst[off, off+16); false if no EAM covers it. */
    public boolean translate4to6(int v4, byte[] dst, int off) {
        long r = slot4(v4);
        if (r < 0) return false;
        int k = (int) (r >>> 32), b = 3 * (int) r;
        long[] t = tables4[k];
        Eam.write46(t[b + 1], t[b + 2], ((int) t[b] & 0xff) - 1, lens4[k], v4, dst, off);
        return true;
    }

    /** 6->4 (RFC 7757 s3.3) of the address at src[off, off+16): the IPv4 address as an unsigned value, or -1. */
    public long translate6to4(byte[] src, int off) {
        return translate6to4(Ipv6Prefix.readHi(src, off), Ipv6Prefix.readLo(src, off));
    }

    /** {@link #translate6to4(byte[], int)} for an address already read as two halves. */
    public long translate6to4(long hi, long lo) {
        long r = slot6(hi, lo);
        if (r < 0) return -1;
        int k = (int) (r >>> 32);
        long tag = tables6[k][3 * (int) r + 2];
        return Eam.extract64((int) (tag >>> 32), ((int) tag & 0xff) - 1, lens6[k], hi, lo) & 0xffff_ffffL;
    }

    public boolean covers4(int v4) { return slot4(v4) >= 0; }

    public boolean covers6(byte[] src, int off) {
        return slot6(Ipv6Prefix.readHi(src, off), Ipv6Prefix.readLo(src, off)) >= 0;
    }

    public boolean covers6(long hi, long lo) { return slot6(hi, lo) >= 0; }

    /** The entry whose IPv4 prefix is the longest match for {@code v4}, or null. */
    public Eam find4(int v4) {
        long r = slot4(v4);
        return r < 0 ? null : eams[index4[(int) (r >>> 32)][(int) r]];
    }

    /** The entry whose IPv6 prefix is the longest match for the address, or null. */
    public Eam find6(long hi, long lo) {
        long r = slot6(hi, lo);
        return r < 0 ? null : eams[index6[(int) (r >>> 32)][(int) r]];
    }

    /** Longest match on the IPv4 side: {@code table << 32 | slot}, or -1. */
    private long slot4(int v4) {
        final int[] masks = masks4, slotMasks = slotMasks4;
        final long[][] tables = tables4;
        for (int k = 0; k < masks.length; k++) {
            int key = v4 & masks[k], m = slotMasks[k];
            long[] t = tables[k];
            for (int s = hash(key) & m; ; s = (s + 1) & m) {
                long v = t[3 * s];
                if (v == 0) break;
                if ((int) (v >>> 32) == key) return ((long) k << 32) | s;
            }
        }
        return -1;
    }

    /** Longest match on the IPv6 side: {@code table << 32 | slot}, or -1. */
    private long slot6(long hi, long lo) {
        final long[] mh = masksHi6, ml = masksLo6;
        final int[] slotMasks = slotMasks6;
        final long[][] tables = tables6;
        for (int k = 0; k < mh.length; k++) {
            long kh = hi & mh[k], kl = lo & ml[k];
            int m = slotMasks[k];
            long[] t = tables[k];
            for (int s = hash(kh, kl) & m; ; s = (s + 1) & m) {
                int b = 3 * s;
                if (t[b + 2] == 0) break;
                if (t[b] == kh && t[b + 1] == kl) return ((long) k << 32) | s;
            }
        }
        return -1;
    }

    /** Index of exactly {@code e}, or -1 (config-time use). */
    private int indexOf(Eam e) {
        int len = e.ipv4().length();
        for (int k = 0; k < lens4.length; k++) {
            if (lens4[k] != len) continue;
            int key = e.ipv4().address(), m = slotMasks4[k];
            long[] t = tables4[k];
            for (int s = hash(key) & m; ; s = (s + 1) & m) {
                long v = t[3 * s];
                if (v == 0) return -1;
                if ((int) (v >>> 32) == key) return eams[index4[k][s]].equals(e) ? index4[k][s] : -1;
            }
        }
        return -1;
    }

    /** Murmur3 fmix32. */
    private static int hash(int h) {
        h ^= h >>> 16;
        h *= 0x85eb_ca6b;
        h ^= h >>> 13;
        h *= 0xc2b2_ae35;
        return h ^ (h >>> 16);
    }

    /** Murmur3 fmix64 of a combination of both halves. */
    private static int hash(long hi, long lo) {
        long h = hi * 0x9e37_79b9_7f4a_7c15L + lo;
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        return (int) (h ^ (h >>> 33));
    }

    /** Slots for {@code count} keys: a power of two, at least twice the count. */
    private static int capacity(int count) {
        return Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1;
    }

    private static int[] presentLengths(int[] counts) {
        int n = 0;
        for (int c : counts) if (c > 0) n++;
        int[] lens = new int[n];
        for (int len = counts.length - 1, k = 0; len >= 0; len--) if (counts[len] > 0) lens[k++] = len;
        return lens;
    }

    private static IllegalArgumentException duplicate(String family, Object prefix, Eam first, Eam second) {
        return new IllegalArgumentException("duplicate " + family + " prefix " + prefix + " in two EAMs: "
                + first + " and " + second);
    }

    @Override
    public String toString() {
        return "EamTable[" + eams.length + " entries]";
    }
}
