package dev.siitdc.daemon;

import dev.siitdc.linux.Errno;
import dev.siitdc.linux.LinkInfo;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Route;
import dev.siitdc.linux.Rtnetlink;
import dev.siitdc.linux.Sysctl;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * At start-up, before anything else: the {@link StateFile} a previous daemon left. Its daemon still running
 * (its pid alive, started when it says, a siitdc): this one refuses to start. Otherwise the previous one was
 * killed (SIGKILL, a crash, a power cut of the JVM) without undoing its set-up: every line is undone, the
 * last first, one log line per thing undone (a thing already gone is not logged, only counted), then the
 * file is deleted and this daemon starts its own.
 */
public final class CrashRecovery {
    private final Rtnetlink rtnl;
    private final Sysctl sysctl;
    private final java.io.PrintWriter err;
    private int undone, gone, failed;

    private CrashRecovery(Rtnetlink rtnl, Sysctl sysctl, java.io.PrintWriter err) {
        this.rtnl = rtnl;
        this.sysctl = sysctl;
        this.err = err;
    }

    /**
     * Undoes what the dead daemon of {@code rc}'s state file left, then starts this daemon's state file.
     *
     * <p>A directory that cannot be created or written (not root) gives {@link StateFile#none()} quietly: the
     * control socket, in the same directory, fails next with its own message. Another failure to read or write
     * the file is a warning, and this daemon runs without one.
     *
     * @throws StartupException keyed "control-socket" when the daemon of the state file is still running
     */
    public static StateFile recoverAndStart(RelayConfig rc, java.io.PrintWriter err) throws StartupException {
        Path path = StateFile.pathFor(rc);
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            return StateFile.none();
        }
        if (!Files.isWritable(path.getParent())) {
            return StateFile.none();
        }
        try {
            List<String> lines = StateFile.read(path);
            if (lines != null) {
                recover(path, lines, rc.effectiveControlSocket(), err);
            }
            return StateFile.create(path);
        } catch (IOException e) {
            log(err, Level.WARNING, "siitdc: warning: cannot use the state file " + path + ": " + e + " (after a crash,"
                    + " the next start could not undo this one's set-up)");
            return StateFile.none();
        }
    }

    private static void recover(Path path, List<String> lines, Path socket, java.io.PrintWriter err)
            throws StartupException, IOException {
        long pid = -1;
        String started = "-";
        for (String l : lines) {
            String[] w = l.trim().split("\\s+");
            if (w.length >= 2 && w[0].equals("pid")) {
                try {
                    pid = Long.parseLong(w[1]);
                } catch (NumberFormatException e) {
                    pid = -1;
                }
                started = w.length >= 3 ? w[2] : "-";
            }
        }
        if (pid > 0 && alive(pid, started)) {
            throw new StartupException("control-socket", "another siitdc daemon is listening on " + socket
                    + " (pid " + pid + ", state file " + path + "): stop it first, or give this one another [relay]"
                    + " control-socket");
        }
        log(err, Level.WARNING, "siitdc: warning: the previous siitdc daemon" + (pid > 0 ? " (pid " + pid + ")" : "")
                + " did not stop cleanly: undoing what it left (" + path + ")");
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            CrashRecovery r = new CrashRecovery(rtnl, new Sysctl(), err);
            for (int i = lines.size() - 1; i >= 0; i--) {
                r.undo(lines.get(i), i + 1, path);
            }
            log(err, Level.NOTICE, "siitdc: recovery: " + r.undone + " undone, " + r.gone + " already gone"
                    + (r.failed > 0 ? ", " + r.failed + " could not be undone (see the warnings above)" : ""));
        } catch (LinuxException e) {
            throw new StartupException(null, "cannot undo what the previous daemon left (" + path + "): " + e.getMessage(), e);
        }
        Files.deleteIfExists(path);
    }

    /** Whether {@code pid} is a running siitdc that started at {@code started} ("-": unknown). */
    static boolean alive(long pid, String started) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive() || pid == ProcessHandle.current().pid()) {
            return false;
        }
        Optional<String> start = h.get().info().startInstant().map(Object::toString);
        if (!started.equals("-") && start.isPresent() && !start.get().equals(started)) {
            return false;   // the pid was reused
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains("siitdc");
        } catch (IOException e) {
            return h.get().info().commandLine().map(c -> c.contains("siitdc")).orElse(true);
        }
    }

    private void undo(String line, int number, Path path) {
        String[] w = line.trim().split("\\s+");
        if (w.length == 0 || w[0].isEmpty() || w[0].equals("siitdc-state") || w[0].equals("pid")) {
            return;
        }
        try {
            String what = undo(w, line.trim());
            if (what == null) {
                gone++;
            } else {
                undone++;
                log(err, Level.NOTICE, "siitdc: recovery: " + what);
            }
        } catch (IOException | RuntimeException e) {
            failed++;
            log(err, Level.WARNING, "siitdc: warning: recovery: could not undo \"" + line + "\" (" + path + ":" + number
                    + "): " + e.getMessage());
        }
    }

    /** Undoes one line; returns what was done, or null when it was already undone. */
    private String undo(String[] w, String line) throws LinuxException, IOException {
        switch (w[0]) {
            case "socket" -> {
                Path p = Path.of(line.substring("socket ".length()));   // a path may hold spaces
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    return null;
                }
                if (!a.isOther()) {
                    throw new IOException(p + " is not a socket any more: left alone");
                }
                Files.delete(p);
                return "removed the stale control socket " + p;
            }
            case "tun", "bridge" -> {
                LinkInfo l = link(w[1]);
                if (l == null) {
                    return null;
                }
                rtnl.deleteLink(l.index());
                return "deleted the " + (w[0].equals("tun") ? "TUN" : "bridge") + " " + w[1];
            }
            case "link-up" -> {
                LinkInfo l = link(w[1]);
                if (l == null || !l.up()) {
                    return null;
                }
                rtnl.linkSetUp(l.index(), false);
                return "set " + w[1] + " down";
            }
            case "master" -> {
                LinkInfo l = link(w[1]);
                if (l == null) {
                    return null;
                }
                int before = 0;
                if (!w[2].equals("-")) {
                    LinkInfo m = link(w[2]);
                    if (m == null) {
                        throw new IOException("its previous master " + w[2] + " does not exist any more");
                    }
                    before = m.index();
                }
                if (l.master() == before) {
                    return null;
                }
                rtnl.linkSetMaster(l.index(), before);
                return "released " + w[1] + (before == 0 ? " from its bridge" : " back to " + w[2]);
            }
            case "clsact" -> {
                LinkInfo l = link(w[1]);
                if (l == null) {
                    return null;
                }
                try {
                    rtnl.deleteClsact(l.index());
                } catch (LinuxException e) {
                    if (e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL) {
                        return null;
                    }
                    throw e;
                }
                return "deleted the clsact qdisc of " + w[1];
            }
            case "route-added" -> {
                Route r = route(w, false);
                if (r == null) {
                    return null;
                }
                try {
                    rtnl.deleteRoute(r);
                } catch (LinuxException e) {
                    if (NetworkSetup.isGone(e)) {
                        return null;
                    }
                    throw e;
                }
                return "deleted the route " + String.join(" ", Arrays.copyOfRange(w, 1, w.length));
            }
            case "route-deleted" -> {
                Route r = route(w, true);
                try {
                    rtnl.addRoute(r);
                } catch (LinuxException e) {
                    if (e.errno() == Errno.EEXIST) {
                        return null;
                    }
                    throw e;
                }
                return "restored the route " + String.join(" ", Arrays.copyOfRange(w, 1, w.length));
            }
            case "address-added", "address-deleted" -> {
                boolean added = w[0].equals("address-added");
                LinkInfo l = link(w[1]);
                if (l == null) {
                    if (added) {
                        return null;
                    }
                    throw new IOException("no interface " + w[1]);
                }
                int family = StateFile.family(w[2]);
                int slash = w[3].indexOf('/');
                byte[] a = InetAddress.getByName(w[3].substring(0, slash)).getAddress();
                int plen = Integer.parseInt(w[3].substring(slash + 1));
                try {
                    if (added) {
                        rtnl.deleteAddress(l.index(), family, a, plen);
                    } else {
                        rtnl.addAddress(l.index(), family, a, plen, Rtnetlink.IFA_F_NODAD);
                    }
                } catch (LinuxException e) {
                    if (added ? NetworkSetup.isGone(e) : e.errno() == Errno.EEXIST) {
                        return null;
                    }
                    throw e;
                }
                return (added ? "deleted the address " + w[3] + " from " : "restored the address " + w[3] + " on ") + w[1];
            }
            case "proxy" -> {
                LinkInfo l = link(w[1]);
                if (l == null) {
                    return null;
                }
                try {
                    rtnl.deleteProxyNeighbor(l.index(), InetAddress.getByName(w[2]).getAddress());
                } catch (LinuxException e) {
                    if (NetworkSetup.isGone(e)) {
                        return null;
                    }
                    throw e;
                }
                return "deleted the proxy NDP entry " + w[2] + " on " + w[1];
            }
            case "sysctl" -> {
                String now;
                try {
                    now = sysctl.read(w[1]);
                } catch (NoSuchFileException e) {
                    return null;    // its interface is gone
                }
                if (now.equals(w[2])) {
                    return null;
                }
                sysctl.write(w[1], w[2]);
                return "restored sysctl " + w[1] + " = " + w[2] + " (was " + now + ")";
            }
            default -> throw new IOException("unknown line");
        }
    }

    /** The route of a route-added/route-deleted line; null when its interface is gone (and {@code need} is false). */
    private Route route(String[] w, boolean need) throws LinuxException, IOException {
        int family = StateFile.family(w[1]);
        int slash = w[2].indexOf('/');
        Route r = Route.to(family, InetAddress.getByName(w[2].substring(0, slash)).getAddress(),
                Integer.parseInt(w[2].substring(slash + 1)));
        for (int i = 3; i + 1 < w.length; i += 2) {
            String v = w[i + 1];
            switch (w[i]) {
                case "dev" -> {
                    LinkInfo l = link(v);
                    if (l == null) {
                        if (need) {
                            throw new IOException("no interface " + v);
                        }
                        return null;   // the kernel deleted the route with its interface
                    }
                    r = r.dev(l.index());
                }
                case "via" -> r = r.via(InetAddress.getByName(v).getAddress());
                case "mtu" -> r = r.mtu(Integer.parseInt(v));
                case "table" -> r = r.table(Integer.parseUnsignedInt(v));
                case "src" -> r = r.source(InetAddress.getByName(v).getAddress());
                case "proto" -> r = r.protocol(Integer.parseInt(v));
                case "metric" -> r = r.priority(Integer.parseUnsignedInt(v));
                default -> throw new IOException("unknown route attribute " + w[i]);
            }
        }
        return r;
    }

    private LinkInfo link(String name) throws LinuxException {
        try {
            return rtnl.link(name);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENODEV) {
                return null;
            }
            throw e;
        }
    }

    private static void log(java.io.PrintWriter err, Level level, String line) {
        LogWriter.log(err, level, line);
    }
}
