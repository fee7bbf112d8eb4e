package dev.siitdc.daemon.control;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.daemon.LiveConfig;
import dev.siitdc.daemon.LiveConfigException;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code eamt apply} requests of one connection ({@link ControlProtocol}): a table is staged over several
 * request lines, then applied as one atomic swap ({@link LiveConfig#applyEams}); the other requests go to the
 * shared {@link ControlService}. The staged table lives as long as the connection, and only in it.
 */
final class EamtApplySession implements ControlServer.Handler {
    /** The most entries one connection may stage (a table of this size needs some 400 MB in the daemon). */
    static final int MAX_STAGED = 4 << 20;

    private final ControlServer.Handler shared;
    private final LiveConfig live;
    /** The staged entries, or null (no {@code eamt apply begin} yet, or applied). */
    private List<Eam> staged;
    /** Why the staged table cannot be applied (an entry was refused), or null. */
    private String broken;

    EamtApplySession(ControlServer.Handler shared, LiveConfig live) {
        this.shared = shared;
        this.live = live;
    }

    @Override
    public Reply handle(String request) {
        String r = request.strip();
        if (!r.equals("eamt apply") && !r.startsWith("eamt apply ")) {
            return shared.handle(request);
        }
        String[] w = r.split(" +");
        String verb = w.length > 2 ? w[2] : "";
        try {
            return switch (verb) {
                case "begin" -> begin(w);
                case "entries" -> entries(w);
                case "commit" -> commit(w);
                default -> Reply.refused("eamt apply takes begin, entries IPV4 IPV6 ... or commit [add] [dry-run]");
            };
        } catch (LiveConfigException e) {
            return e.kind() == LiveConfigException.Kind.REFUSED ? Reply.refused(e.getMessage())
                    : Reply.failed(e.getMessage());
        }
    }

    private Reply begin(String[] w) {
        if (w.length != 3) return Reply.refused("eamt apply begin takes no arguments");
        staged = new ArrayList<>();
        broken = null;
        return Reply.ok("staging a table on this connection");
    }

    /** "eamt apply entries IPV4 IPV6 [IPV4 IPV6]...": adds pairs; a bad one is refused and spoils the table. */
    private Reply entries(String[] w) {
        if (staged == null) return Reply.refused("no table is staged: send \"eamt apply begin\" first");
        int pairs = (w.length - 3) / 2;
        if (pairs == 0 || (w.length - 3) % 2 != 0) {
            return spoil("eamt apply entries needs pairs of an IPv4 prefix and an IPv6 prefix, got " + (w.length - 3)
                    + " words");
        }
        if (staged.size() + pairs > MAX_STAGED) return spoil("more than " + MAX_STAGED + " entries staged");
        for (int i = 3; i + 1 < w.length; i += 2) {
            int n = staged.size() + 1;
            String s4 = w[i], s6 = w[i + 1];
            if (s4.indexOf(':') >= 0 && s6.indexOf(':') < 0) {
                s4 = w[i + 1];
                s6 = w[i];
            }
            try {
                Ipv4Prefix v4 = ControlService.ipv4(s4);
                Ipv6Prefix v6 = ControlService.ipv6(s6);
                try {
                    staged.add(new Eam(v4, v6));
                } catch (IllegalArgumentException e) {
                    return spoil("entry " + n + ": cannot pair " + v4 + " with " + v6 + ": " + e.getMessage());
                }
            } catch (LiveConfigException e) {
                return spoil("entry " + n + ": " + e.getMessage());
            }
        }
        return Reply.ok(staged.size() + " staged");
    }

    private Reply spoil(String why) {
        if (broken == null) broken = why;
        return Reply.refused(why);
    }

    /** "eamt apply commit [add] [dry-run]": the diff as data lines, then the swap unless dry-run. */
    private Reply commit(String[] w) throws LiveConfigException {
        boolean add = false, dryRun = false;
        for (int i = 3; i < w.length; i++) {
            switch (w[i]) {
                case "add" -> add = true;
                case "dry-run" -> dryRun = true;
                default -> {
                    return Reply.refused("eamt apply commit takes add and dry-run, not \"" + w[i] + "\"");
                }
            }
        }
        if (staged == null) return Reply.refused("no table is staged: send \"eamt apply begin\" first");
        List<Eam> eams = staged;
        String why = broken;
        staged = null;
        broken = null;
        if (why != null) return Reply.refused("the staged table had a refused entry (" + why + "): nothing changed");
        long t0 = System.nanoTime();
        LiveConfig.Applied a = live.applyEams(eams, add, dryRun);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String counts = a.diff().summary() + " (" + a.eamCount() + (a.eamCount() == 1 ? " EAM" : " EAMs") + ")";
        String text = dryRun ? "dry run: " + counts + "; nothing changed"
                : a.change() == null ? "no change: " + counts : "applied: " + counts + " in " + ms + " ms";
        return new Reply(Status.OK, text, a.diff().lines(), a.change() == null ? List.of() : a.change().warnings());
    }
}
