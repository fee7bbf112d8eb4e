package dev.siitdc.daemon.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The control socket's protocol: the running daemon ({@code siitdc run}) answers the {@code siitdc eamt},
 * {@code global}, {@code stats} and {@code reload} commands on a Unix domain stream socket, mode 0600 (root only), by
 * default {@code /run/siitdc/<netns>/<tun-name>.sock}, netns the network namespace's {@code ip netns} name or
 * inode ({@code [relay] control-socket} to change it).
 *
 * <p>Line-based text, UTF-8, each line ending with LF. A request is one line of words separated by single
 * spaces (at most {@link #MAX_LINE} bytes):
 *
 * <pre>
 * hello                          who is there: "ok siitdc ROLE on TUN"
 * eamt add IPV4 IPV6             add one EAM (either order; a bare address is a /32 or /128)
 * eamt remove PREFIX [PREFIX]    remove the EAM with that IPv4 and/or IPv6 prefix (exactly)
 * eamt display                   one data line "IPV4 IPV6" per EAM, in insertion order
 * eamt flush                     remove every EAM (an Edge Relay keeps its Service Addresses')
 * global display                 one data line per [translator] key: "KEY = VALUE" (TOML), "# KEY (unset...)"
 * global update KEY VALUE        VALUE is the rest of the line, as typed on the command line
 * stats display [all]            one data line "COUNTER VALUE" per non-zero counter (all: every counter),
 *                                summed over the workers: the translator's, then the relay's
 * reload                         re-read the configuration file, as SIGHUP does, and answer when done:
 *                                "ok reloaded FILE: CHANGES" (warnings: [relay] keys that need a restart),
 *                                "refused FILE:LINE: KEY: REASON ..." (the previous configuration runs on)
 * eamt apply begin               stage a new table on this connection (an empty one; replaces one staged)
 * eamt apply entries V4 V6 ...   add pairs "IPV4 IPV6" to the staged table (any number a line, either order)
 * eamt apply commit [add] [dry-run]
 *                                the difference between the running table and the staged one, one data line
 *                                each ("- IPV4 IPV6" removed, "~ IPV4 OLD6 -> NEW6" changed, "+ IPV4 IPV6"
 *                                added), then "ok applied: N added, N removed, N changed, N unchanged (N EAMs)";
 *                                the staged table replaces the running one (add: is added to it) as one swap,
 *                                all of it or nothing; dry-run checks everything and changes nothing
 * </pre>
 *
 * <p>{@code eamt apply} streams the table over the socket rather than naming a file for the daemon to read:
 * the daemon runs as root but, under its unit, with {@code PrivateTmp}, {@code ProtectHome} and
 * {@code ProtectSystem=strict}, so a file of the operator's (in /tmp or a home) is often not the file the
 * daemon would see, or not visible to it at all. The command line reads and checks the file (FILE:LINE
 * errors), then sends the entries in lines of at most {@link #MAX_LINE} bytes; the staged table belongs to
 * the connection and is dropped with it. A refused {@code entries} line spoils the staged table: its
 * commit is refused.
 *
 * A response is any number of lines {@code "| TEXT"} (data) and {@code "! TEXT"} (warnings), then one
 * status line that ends it:
 *
 * <pre>
 * ok [SUMMARY]          done
 * refused REASON        not done: the request is wrong (bad value, duplicate EAM, ...); nothing changed
 * failed REASON         not done: the daemon could not carry it out (netlink, stopping); nothing changed
 * </pre>
 *
 * A client may send several requests before it reads (pipelining: {@code siitdc eamt add --file}); they
 * are carried out one at a time, in order, each as one atomic change of the running configuration, and
 * answered in the same order. A request line longer than {@link #MAX_LINE} bytes is refused and the
 * connection closed. The daemon closes the connection when it stops.
 */
public final class ControlProtocol {
    private ControlProtocol() {}

    /** The longest request line, in bytes, LF excluded. */
    public static final int MAX_LINE = 8192;

    public static final String DATA = "| ";
    public static final String WARNING = "! ";
    public static final String OK = "ok";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    /** A response. */
    public record Reply(Status status, String text, List<String> data, List<String> warnings) {
        public Reply {
            text = text == null ? "" : text;
            data = List.copyOf(data);
            warnings = List.copyOf(warnings);
        }

        public static Reply ok(String text) {
            return new Reply(Status.OK, text, List.of(), List.of());
        }

        public static Reply refused(String text) {
            return new Reply(Status.REFUSED, text, List.of(), List.of());
        }

        public static Reply failed(String text) {
            return new Reply(Status.FAILED, text, List.of(), List.of());
        }

        /** The protocol lines, each without its LF. */
        public List<String> lines() {
            List<String> out = new ArrayList<>(data.size() + warnings.size() + 1);
            data.forEach(d -> out.add(DATA + oneLine(d)));
            warnings.forEach(w -> out.add(WARNING + oneLine(w)));
            out.add(status.word + (text.isEmpty() ? "" : " " + oneLine(text)));
            return out;
        }
    }

    /** How a request ended. */
    public enum Status {
        OK(ControlProtocol.OK), REFUSED(ControlProtocol.REFUSED), FAILED(ControlProtocol.FAILED);

        final String word;

        Status(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** Collects the lines of one response, as a client reads them. */
    public static final class ReplyReader {
        private final List<String> data = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        /**
         * Takes one line.
         *
         * @return the whole reply once its status line came, else null
         * @throws IllegalArgumentException for a line that is not part of the protocol
         */
        public Reply accept(String line) {
            if (line.startsWith(DATA) || line.equals(DATA.strip())) {
                data.add(line.length() > 2 ? line.substring(2) : "");
                return null;
            }
            if (line.startsWith(WARNING)) {
                warnings.add(line.substring(2));
                return null;
            }
            for (Status s : Status.values()) {
                if (line.equals(s.word) || line.startsWith(s.word + " ")) {
                    Reply r = new Reply(s, line.substring(Math.min(line.length(), s.word.length() + 1)), data, warnings);
                    data.clear();
                    warnings.clear();
                    return r;
                }
            }
            throw new IllegalArgumentException("not a control protocol line: " + line);
        }
    }

    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "").replace('\n', ' ');
    }
}
