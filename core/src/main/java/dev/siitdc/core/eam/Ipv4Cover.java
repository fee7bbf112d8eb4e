package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The fewest IPv4 prefixes whose union is exactly the union of some others: what a Border Relay routes into its
 * TUN for the EAMT's IPv4 prefixes (RFC 7755 s4, RFC 7757 s3.1). Contiguous and nested prefixes merge
 * (10.0.0.0/32 ... 10.0.0.255/32 become 10.0.0.0/24); no address outside the given prefixes is covered.
 */
public final class Ipv4Cover {
    private Ipv4Cover() {}

    /** The cover of {@code prefixes}, in address order. */
    public static List<Ipv4Prefix> of(Collection<Ipv4Prefix> prefixes) {
        int n = prefixes.size();
        long[] starts = new long[n], ends = new long[n];
        int i = 0;
        for (Ipv4Prefix p : prefixes) {
            long start = Integer.toUnsignedLong(p.address()) & maskOf(p.length());
            starts[i] = start;
            ends[i] = start + (1L << (32 - p.length())) - 1;
            i++;
        }
        // sort the ranges by start: pack (start, index) into one long (start < 2^32, index < 2^31)
        long[] order = new long[n];
        for (int k = 0; k < n; k++) order[k] = (starts[k] << 31) | k;
        Arrays.sort(order);
        List<Ipv4Prefix> out = new ArrayList<>();
        long curStart = -1, curEnd = -2;
        for (long o : order) {
            int k = (int) (o & 0x7fffffffL);
            long s = starts[k], e = ends[k];
            if (s <= curEnd + 1) {
                curEnd = Math.max(curEnd, e);
            } else {
                if (curStart >= 0) blocks(curStart, curEnd, out);
                curStart = s;
                curEnd = e;
            }
        }
        if (curStart >= 0) blocks(curStart, curEnd, out);
        return out;
    }

    /** The range [start, end] as the fewest aligned blocks, appended to {@code out}. */
    private static void blocks(long start, long end, List<Ipv4Prefix> out) {
        while (start <= end) {
            int size = start == 0 ? 32 : Long.numberOfTrailingZeros(start);   // the largest block aligned at start
            if (size > 32) size = 32;
            while (start + (1L << size) - 1 > end) size--;
            out.add(new Ipv4Prefix((int) start, 32 - size));
            start += 1L << size;
        }
    }

    private static long maskOf(int len) {
        return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
    }
}
