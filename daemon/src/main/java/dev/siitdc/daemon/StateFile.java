package dev.siitdc.daemon;

import dev.siitdc.linux.Route;
import dev.siitdc.linux.Rtnetlink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What this daemon set up in the kernel and the file system, one line per thing, so that the next start can
 * undo what a killed instance left ({@link CrashRecovery}). Beside the control socket, named after it
 * ({@code /run/siitdc/siit0.sock} -> {@code /run/siitdc/siit0.state}). Rewritten whole (a temporary file
 * renamed over it) as each step of the set-up completes, deleted at a clean stop. The lines, in the order
 * done (undone from the last):
 *
 * <pre>
 * siitdc-state 1
 * pid 4242 2026-12-07T15:01:46.120Z          the daemon and its start time (a reused pid is not it)
 * socket /run/siitdc/siit0.sock               the control socket file
 * tun siit0
 * link-up eth1                                an interface the daemon set up
 * route-added inet6 2001:db8:46::/96 dev siit0 [via G] [mtu N] [table N] [src S] [proto N] [metric N]
 * route-deleted ...                           a route the daemon moved away (re-added on undo)
 * address-added eth1 inet 192.0.2.1/24
 * address-deleted eth1 inet6 2001:db8::1/64   moved away (re-added on undo)
 * proxy eth1 2001:db8::10                     a proxy NDP entry
 * sysctl net.ipv6.conf.all.forwarding 0       the key and its previous value
 * bridge br-seg                               a bridge the daemon created
 * master eth1 -                               a port put in a bridge, and its previous master (- none)
 * clsact eth1                                 a clsact qdisc the daemon added
 * </pre>
 *
 * Thread-safe. {@link #none()} records nothing (a relay started without a state file, in tests).
 */
public final class StateFile {
    static final String MAGIC = "siitdc-state 1";

    /** One recorded line, to {@link #remove} when its change is undone at run time. */
    public static final class Entry {
        private final String line;

        private Entry(String line) {
            this.line = line;
        }

        public String line() {
            return line;
        }

        @Override
        public String toString() {
            return line;
        }
    }

    private final Path path;
    private final List<Entry> entries = new ArrayList<>();
    private IOException failure;

    private StateFile(Path path) {
        this.path = path;
    }

    /** A state file that records nothing. */
    public static StateFile none() {
        return new StateFile(null);
    }

    /** The state file of a daemon with control socket {@code socket}: beside it, .sock replaced by .state. */
    public static Path pathFor(Path socket) {
        Path abs = socket.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        String base = name.endsWith(".sock") ? name.substring(0, name.length() - ".sock".length()) : name;
        return abs.resolveSibling(base + ".state");
    }

    /** The state file of {@code rc}'s daemon. */
    public static Path pathFor(RelayConfig rc) {
        return pathFor(rc.effectiveControlSocket());
    }

    /**
     * Starts a new state file at {@code path} for this process (its pid and start time), after
     * {@link CrashRecovery} has dealt with any previous one.
     */
    public static StateFile create(Path path) throws IOException {
        StateFile s = new StateFile(path);
        ProcessHandle me = ProcessHandle.current();
        s.entries.add(new Entry(MAGIC));
        s.entries.add(new Entry("pid " + me.pid() + " " + me.info().startInstant().map(Instant::toString).orElse("-")));
        s.write();
        return s;
    }

    /** Where it is, or null for {@link #none()}. */
    public Path path() {
        return path;
    }

    /** Records one line (words joined by spaces) and rewrites the file; returns it, for {@link #remove}. */
    public Entry add(String... words) {
        Entry e = new Entry(String.join(" ", words));
        if (path == null) {
            return e;
        }
        synchronized (this) {
            entries.add(e);
            writeQuietly();
        }
        return e;
    }

    /** Records several lines with one rewrite of the file. */
    public void addLines(List<String> lines) {
        if (path == null || lines.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (String l : lines) {
                entries.add(new Entry(l));
            }
            writeQuietly();
        }
    }

    /** Forgets the last line equal to the words given (a change undone at run time) and rewrites the file. */
    public void remove(String... words) {
        if (path == null) {
            return;
        }
        String line = String.join(" ", words);
        synchronized (this) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).line.equals(line)) {
                    entries.remove(i);
                    writeQuietly();
                    return;
                }
            }
        }
    }

    /** Forgets a line whose change was undone (at run time) and rewrites the file. */
    public void remove(Entry e) {
        if (path == null || e == null) {
            return;
        }
        synchronized (this) {
            if (entries.remove(e)) {
                writeQuietly();
            }
        }
    }

    /** The first write that failed since the last call, or null (the daemon warns about it once). */
    public synchronized IOException takeFailure() {
        IOException f = failure;
        failure = null;
        return f;
    }

    /** Deletes the file: everything it lists was undone. */
    public synchronized void delete() throws IOException {
        if (path != null) {
            entries.clear();
            Files.deleteIfExists(path);
        }
    }

    /**
     * At stop: deletes the state file when everything was undone ({@code clean}); otherwise keeps it, said on
     * {@code err}, so that the next start retries what could not be undone.
     */
    static void finish(StateFile state, boolean clean, java.io.PrintWriter err) {
        if (state.path == null) {
            return;
        }
        if (!clean) {
            err.println("siitdc: warning: keeping the state file " + state.path + ": the next start retries what could"
                    + " not be undone");
            err.flush();
            return;
        }
        try {
            state.delete();
        } catch (IOException e) {
            err.println("siitdc: warning: cannot delete the state file " + state.path + ": " + e);
            err.flush();
        }
    }

    private void writeQuietly() {
        try {
            write();
        } catch (IOException ex) {
            if (failure == null) {
                failure = ex;
            }
        }
    }

    private synchronized void write() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.line).append('\n');
        }
        AtomicText.write(path, sb);
    }

    /** The lines of the file at {@code path}, or null when there is none. */
    static List<String> read(Path path) throws IOException {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    // ---- the words of the lines

    /** "inet" or "inet6". */
    static String family(int family) {
        return family == Rtnetlink.AF_INET ? "inet" : "inet6";
    }

    static int family(String word) {
        return switch (word) {
            case "inet" -> Rtnetlink.AF_INET;
            case "inet6" -> Rtnetlink.AF_INET6;
            default -> throw new IllegalArgumentException("not inet or inet6: " + word);
        };
    }

    /** An address as ip(8) writes it (IPv6 compressed, RFC 5952). */
    static String text(byte[] address) {
        if (address.length == 16) {
            return dev.siitdc.core.addr.Ipv6Prefix.format(dev.siitdc.core.addr.Ipv6Prefix.readHi(address, 0),
                    dev.siitdc.core.addr.Ipv6Prefix.readLo(address, 0));
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The words of a route through interface {@code dev}: "inet6 2001:db8::/96 dev siit0 mtu 1280". */
    static String[] route(Route r, String dev) {
        List<String> w = new ArrayList<>(List.of(family(r.family()), text(r.destination()) + "/" + r.prefixLength()));
        if (dev != null) {
            w.addAll(List.of("dev", dev));
        }
        if (r.gateway() != null) {
            w.addAll(List.of("via", text(r.gateway())));
        }
        if (r.mtu() != 0) {
            w.addAll(List.of("mtu", Integer.toString(r.mtu())));
        }
        if (r.table() != Rtnetlink.RT_TABLE_MAIN) {
            w.addAll(List.of("table", Integer.toUnsignedString(r.table())));
        }
        if (r.source() != null) {
            w.addAll(List.of("src", text(r.source())));
        }
        if (r.protocol() != 0) {
            w.addAll(List.of("proto", Integer.toString(r.protocol())));
        }
        if (r.priority() != 0) {
            w.addAll(List.of("metric", Integer.toUnsignedString(r.priority())));
        }
        return w.toArray(String[]::new);
    }

    static String[] words(String kind, String... rest) {
        String[] w = new String[rest.length + 1];
        w[0] = kind;
        System.arraycopy(rest, 0, w, 1, rest.length);
        return w;
    }
}
