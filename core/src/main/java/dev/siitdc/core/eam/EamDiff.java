package dev.siitdc.core.eam;

import dev.siitdc.core.addr.Ipv4Prefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between two EAM tables (RFC 7757 s3.1), keyed by the IPv4 prefix: an entry whose IPv4 prefix
 * is only in the new table is <em>added</em>, one only in the old table <em>removed</em>, one in both with
 * another IPv6 prefix <em>changed</em>; identical entries are unchanged. Added and changed entries are listed
 * in the new table's order, removed ones in the old table's.
 */
public record EamDiff(List<Eam> added, List<Eam> removed, List<Change> changed, int unchanged) {

    /** One IPv4 prefix mapped to another IPv6 prefix. */
    public record Change(Eam before, Eam after) {
        public Change {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            if (!before.ipv4().equals(after.ipv4()))
                throw new IllegalArgumentException("a change keeps the IPv4 prefix: " + before + " / " + after);
        }
    }

    public EamDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /** What turns {@code before} into {@code after}. An IPv4 prefix listed twice in one table is refused. */
    public static EamDiff of(List<Eam> before, List<Eam> after) {
        Map<Ipv4Prefix, Eam> old = new HashMap<>(2 * before.size());
        for (Eam e : before) {
            if (old.putIfAbsent(e.ipv4(), e) != null)
                throw new IllegalArgumentException("the IPv4 prefix " + e.ipv4() + " is listed twice");
        }
        List<Eam> added = new ArrayList<>(), removed = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        Set<Ipv4Prefix> seen = new HashSet<>(2 * after.size());
        int same = 0;
        for (Eam e : after) {
            if (!seen.add(e.ipv4()))
                throw new IllegalArgumentException("the IPv4 prefix " + e.ipv4() + " is listed twice");
            Eam o = old.get(e.ipv4());
            if (o == null) {
                added.add(e);
            } else if (o.equals(e)) {
                same++;
            } else {
                changed.add(new Change(o, e));
            }
        }
        for (Eam e : before) {
            if (!seen.contains(e.ipv4())) removed.add(e);
        }
        return new EamDiff(added, removed, changed, same);
    }

    /** Whether the two tables hold the same entries (their order aside). */
    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /**
     * One line per difference: {@code "+ IPV4 IPV6"} (added), {@code "- IPV4 IPV6"} (removed),
     * {@code "~ IPV4 OLD_IPV6 -> NEW_IPV6"} (changed); removed first, then changed, then added.
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>(added.size() + removed.size() + changed.size());
        for (Eam e : removed) out.add("- " + e.ipv4() + " " + e.ipv6());
        for (Change c : changed) out.add("~ " + c.after().ipv4() + " " + c.before().ipv6() + " -> " + c.after().ipv6());
        for (Eam e : added) out.add("+ " + e.ipv4() + " " + e.ipv6());
        return out;
    }

    /** The count line: "2 added, 1 removed, 1 changed, 7 unchanged". */
    public String summary() {
        return added.size() + " added, " + removed.size() + " removed, " + changed.size() + " changed, " + unchanged
                + " unchanged";
    }
}
