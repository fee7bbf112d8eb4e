package dev.siitdc.dataplane.log;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.xlat.Counter;
import dev.siitdc.core.xlat.Counters;
import dev.siitdc.dataplane.RelayCounter;
import dev.siitdc.dataplane.RelayCounters;
import java.util.Arrays;

/**
 * Per-packet drop logging, switched on and off at run time ({@link #setEnabled}: the control socket,
 * SIGUSR1). When it is on, each worker's {@link Probe} notes the packet's first bytes and the drop counters
 * before the packet is handled, and after it logs one line per drop counter that moved:
 *
 * <pre>
 * siitdc: drop: reason=drop-4to6-ttl-expired queue=0 proto=icmp src=198.51.100.2 dst=192.0.2.10 len=84
 * siitdc: drop: reason=er-drop-ipv4-source-without-eam queue=1 proto=udp src=203.0.113.9:4000 dst=198.51.100.10:53 len=40
 * </pre>
 *
 * (reason is the counter's name, as in the stats file and the {@code siitdc_drops_total} metric; the
 * addresses and ports are those of the packet as it arrived). Lines are limited per reason by a
 * {@link RateLimitedLog}; what it suppresses is reported as a count.
 *
 * <p>When it is off a worker pays one volatile read per packet and allocates nothing.
 */
public final class DropLog {
    /** The {@link RateLimitedLog} kind of a reason's lines is this followed by the reason. */
    public static final String KIND_PREFIX = "drop reason=";
    /** Bytes of each packet kept for its line: an IPv4 header with options and the ports after it. */
    static final int HEAD = 64;

    private static final Counter[] TRANSLATOR_DROPS = Arrays.stream(Counter.values())
            .filter(c -> isDrop(c.operatorName())).toArray(Counter[]::new);
    private static final RelayCounter[] RELAY_DROPS = Arrays.stream(RelayCounter.values())
            .filter(c -> isDrop(c.operatorName())).toArray(RelayCounter[]::new);
    private static final String[] TRANSLATOR_KINDS = Arrays.stream(TRANSLATOR_DROPS)
            .map(c -> KIND_PREFIX + c.operatorName()).toArray(String[]::new);
    private static final String[] RELAY_KINDS = Arrays.stream(RELAY_DROPS)
            .map(c -> KIND_PREFIX + c.operatorName()).toArray(String[]::new);

    private final RateLimitedLog log;
    private volatile boolean enabled;

    /** @param log where the lines go, and how many */
    public DropLog(RateLimitedLog log) {
        this.log = log;
    }

    /** True for a counter that counts dropped packets ("drop-...", "er-drop-..."). */
    public static boolean isDrop(String counterName) {
        return counterName.startsWith("drop-") || counterName.contains("-drop-");
    }

    public boolean enabled() {
        return enabled;
    }

    /** Switches drop logging on or off; returns whether it was on. */
    public boolean setEnabled(boolean on) {
        boolean was = enabled;
        enabled = on;
        return was;
    }

    /** The rate limiter of the lines. */
    public RateLimitedLog log() {
        return log;
    }

    /** A probe for one worker, which owns it (not thread-safe). */
    public Probe probe(int queue, Counters translator, RelayCounters relay) {
        return new Probe(queue, translator, relay);
    }

    /**
     * One worker's view: {@code if (probe.on()) probe.before(buf, off, len);} before it handles a packet,
     * {@code probe.after()} after, both on the worker's thread.
     */
    public final class Probe {
        private final int queue;
        private final Counters translator;
        private final RelayCounters relay;
        private final long[] translatorBefore = new long[TRANSLATOR_DROPS.length];
        private final long[] relayBefore = new long[RELAY_DROPS.length];
        private final byte[] head = new byte[HEAD];
        private int headLen;
        private int len;
        private boolean armed;

        private Probe(int queue, Counters translator, RelayCounters relay) {
            this.queue = queue;
            this.translator = translator;
            this.relay = relay;
        }

        /** Whether drop logging is on (one volatile read). */
        public boolean on() {
            return enabled;
        }

        /** Notes the packet at {@code b[off, off+len)} and the drop counters, before it is handled. */
        public void before(byte[] b, int off, int len) {
            this.len = len;
            headLen = Math.max(0, Math.min(HEAD, len));
            System.arraycopy(b, off, head, 0, headLen);
            for (int i = 0; i < TRANSLATOR_DROPS.length; i++) {
                translatorBefore[i] = translator.get(TRANSLATOR_DROPS[i]);
            }
            for (int i = 0; i < RELAY_DROPS.length; i++) {
                relayBefore[i] = relay.get(RELAY_DROPS[i]);
            }
            armed = true;
        }

        /** Logs the drop counters that moved since {@link #before}. */
        public void after() {
            if (!armed) {
                return;
            }
            armed = false;
            for (int i = 0; i < TRANSLATOR_DROPS.length; i++) {
                long d = translator.get(TRANSLATOR_DROPS[i]) - translatorBefore[i];
                if (d > 0) {
                    report(TRANSLATOR_KINDS[i], TRANSLATOR_DROPS[i].operatorName(), d);
                }
            }
            for (int i = 0; i < RELAY_DROPS.length; i++) {
                long d = relay.get(RELAY_DROPS[i]) - relayBefore[i];
                if (d > 0) {
                    report(RELAY_KINDS[i], RELAY_DROPS[i].operatorName(), d);
                }
            }
        }

        private void report(String kind, String reason, long count) {
            if (!log.permit(kind, Level.INFO)) {
                return;
            }
            StringBuilder sb = new StringBuilder(160).append("siitdc: drop: reason=").append(reason)
                    .append(" queue=").append(queue).append(' ');
            describe(head, headLen, len, sb);
            if (count > 1) {
                sb.append(" count=").append(count);
            }
            LogWriter.log(log.out(), Level.INFO, sb.toString());
        }
    }

    /**
     * Appends {@code proto=P src=A dst=A len=N} for the packet whose first {@code headLen} bytes are in
     * {@code h} (ports for TCP and UDP, type/code for ICMP, "fragment" for a non-first fragment).
     */
    static void describe(byte[] h, int headLen, int len, StringBuilder sb) {
        int version = headLen > 0 ? (h[0] & 0xff) >>> 4 : 0;
        if (version == 4 && headLen >= 20) {
            int ihl = (h[0] & 0x0f) * 4;
            int proto = h[9] & 0xff;
            int frag = ((h[6] & 0x1f) << 8) | (h[7] & 0xff);
            boolean first = frag == 0;
            transport(sb, proto, ihl, first, h, headLen, Ipv4Prefix.format(Ipv4Prefix.read(h, 12)),
                    Ipv4Prefix.format(Ipv4Prefix.read(h, 16)), false);
            if (!first) {
                sb.append(" fragment");
            }
        } else if (version == 6 && headLen >= 40) {
            int nh = h[6] & 0xff;
            int at = 40;
            boolean first = true, fragment = false;
            if (nh == 44 && headLen >= 48) {     // a Fragment header first: the usual case for a fragment
                fragment = true;
                first = (((h[42] & 0xff) << 8 | (h[43] & 0xf8)) >>> 3) == 0;
                nh = h[40] & 0xff;
                at = 48;
            }
            transport(sb, nh, at, first, h, headLen, Ipv6Prefix.format(Ipv6Prefix.readHi(h, 8), Ipv6Prefix.readLo(h, 8)),
                    Ipv6Prefix.format(Ipv6Prefix.readHi(h, 24), Ipv6Prefix.readLo(h, 24)), true);
            if (fragment) {
                sb.append(" fragment");
            }
        } else {
            sb.append("proto=? version=").append(version);
        }
        sb.append(" len=").append(len);
    }

    private static void transport(StringBuilder sb, int proto, int at, boolean first, byte[] h, int headLen,
            String src, String dst, boolean v6) {
        sb.append("proto=").append(protoName(proto));
        boolean ports = first && (proto == 6 || proto == 17) && headLen >= at + 4;
        if (ports) {
            int sp = (h[at] & 0xff) << 8 | (h[at + 1] & 0xff), dp = (h[at + 2] & 0xff) << 8 | (h[at + 3] & 0xff);
            sb.append(" src=").append(v6 ? "[" + src + "]" : src).append(':').append(sp)
                    .append(" dst=").append(v6 ? "[" + dst + "]" : dst).append(':').append(dp);
        } else {
            sb.append(" src=").append(src).append(" dst=").append(dst);
        }
        if (first && (proto == 1 || proto == 58) && headLen >= at + 2) {
            sb.append(" type=").append(h[at] & 0xff).append('/').append(h[at + 1] & 0xff);
        }
    }

    private static String protoName(int p) {
        return switch (p) {
            case 1 -> "icmp";
            case 2 -> "igmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            default -> Integer.toString(p);
        };
    }
}
