package dev.siitdc.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code tracepath -n} and reads its hops. */
public final class Tracepath {
    private static final Pattern HOP = Pattern.compile("^\\s*(\\d+)\\??:\\s+(\\S+)(.*)$");

    /** One hop: its TTL, who answered (null: no reply) and whether that was the destination. */
    public record Hop(int ttl, String address, boolean reached) {}

    /** The result of one run: its hops in order, and tracepath's own output. */
    public record Trace(List<Hop> hops, String output) {
        public boolean reached() {
            return !hops.isEmpty() && hops.getLast().reached();
        }
    }

    private Tracepath() {}

    public static Trace run(Lab lab, Lab.Node from, String to) {
        Shell.Result r = lab.exec(from, 60, "tracepath", "-n", "-m", "12", to);
        return new Trace(parse(r.out()), r.out());
    }

    /**
     * The hops of tracepath's output, one per TTL. tracepath probes a TTL again after it learnt a smaller path
     * MTU (the first answer is then the Fragmentation Needed's source): the last answer of a TTL wins, and
     * "no reply" (a null address) only when nothing answered.
     */
    public static List<Hop> parse(String out) {
        Map<Integer, Hop> hops = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            Matcher m = HOP.matcher(line);
            if (!m.matches() || line.contains("[LOCALHOST]")) continue;
            int ttl = Integer.parseInt(m.group(1));
            String who = m.group(2);
            boolean reached = m.group(3).contains("reached");
            Hop h = who.equals("no") ? new Hop(ttl, null, false) : new Hop(ttl, who, reached);
            Hop old = hops.get(ttl);
            if (old == null || h.address() != null) {
                hops.put(ttl, h);
            }
        }
        return new ArrayList<>(hops.values());
    }
}
