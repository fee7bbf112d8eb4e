package dev.siitdc.daemon.dhcp;

import dev.siitdc.core.addr.Ipv4Prefix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The DHCP server's leases in a text file, so that they survive a restart. One lease a line:
 *
 * <pre>
 * # state    address     mac               client-id          expires (ms since the epoch)
 * bound      192.0.2.26  02:00:5e:00:53:01 0102005e005301     1767225600000
 * bound      192.0.2.27  02:00:5e:00:53:02 -                  1767225600000
 * declined   192.0.2.28  -                 -                  1767222000000
 * </pre>
 *
 * (client-id in hex, or {@code -} when the client sent none). Blank lines and lines starting with
 * {@code #} are ignored. Offers are not stored.
 *
 * <p>{@link #save} writes a temporary file in the same directory, forces it to disk and renames it over
 * the file, so a crash leaves either the old or the new file. {@link #load} never throws: a line it cannot
 * read is reported as {@code file:line: reason} and skipped, and the others are kept.
 */
public final class LeaseStore {
    /** A lease file larger than this is not read (it is not one this server wrote). */
    public static final long MAX_FILE_BYTES = 16L << 20;

    private final Path file;
    private final Path temp;

    public LeaseStore(Path file) {
        this.file = file;
        Path name = file.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("the lease file must be a file: " + file);
        }
        this.temp = file.resolveSibling("." + name + ".tmp");
    }

    public Path file() {
        return file;
    }

    /** What {@link #load} found: the leases it could read and what it could not. */
    public record Loaded(List<Lease> leases, List<String> problems) {
        public Loaded {
            leases = List.copyOf(leases);
            problems = List.copyOf(problems);
        }
    }

    /** Reads the file; a missing file is an empty one. */
    public Loaded load() {
        List<Lease> leases = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                problems.add(file + ": " + size + " bytes, more than a lease file can be: ignored");
                return new Loaded(leases, problems);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Loaded(leases, problems);
        } catch (IOException | RuntimeException e) {
            problems.add(file + ": cannot read: " + e);
            return new Loaded(leases, problems);
        }
        // Latin-1 maps every byte to a char: a corrupt byte spoils its line only, never the whole read.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int lineNo = 0;
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int stop = nl < 0 ? text.length() : nl;
            lineNo++;
            String line = text.substring(start, stop).strip();
            start = stop + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                leases.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                problems.add(file + ":" + lineNo + ": " + e.getMessage() + ": ignored");
            }
        }
        return new Loaded(leases, problems);
    }

    static Lease parseLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (state address mac client-id expires), found "
                    + f.length);
        }
        Lease.State state = switch (f[0]) {
            case "bound" -> Lease.State.BOUND;
            case "declined" -> Lease.State.DECLINED;
            default -> throw new IllegalArgumentException("unknown state '" + printable(f[0])
                    + "' (expected bound or declined)");
        };
        int address = Ipv4Prefix.parseAddress(printable(f[1]));
        long mac = 0;
        byte[] clientId = null;
        if (state == Lease.State.BOUND) {
            mac = Mac.parse(printable(f[2]));
            if (!Mac.isUnicast(mac)) {
                throw new IllegalArgumentException("MAC " + f[2] + " is not a unicast address");
            }
            if (!f[3].equals("-")) {
                if (f[3].length() < 4 || f[3].length() > 510) {
                    throw new IllegalArgumentException("the client identifier must be 2 to 255 bytes in hex");
                }
                try {
                    clientId = HexFormat.of().parseHex(f[3]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the client identifier '" + printable(f[3]) + "' is not hex");
                }
            }
        } else if (!f[2].equals("-") || !f[3].equals("-")) {
            throw new IllegalArgumentException("a declined address has no mac or client-id (expected - -)");
        }
        long expires;
        try {
            expires = Long.parseLong(f[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expires '" + printable(f[4]) + "' is not a number of milliseconds");
        }
        if (expires < 0) {
            throw new IllegalArgumentException("expires must not be negative");
        }
        return new Lease(address, state, mac, clientId, expires);
    }

    /** A field as it can be shown in a message: control and non-ASCII characters escaped, cut to 40 chars. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return s.length() > 40 ? sb + "..." : sb.toString();
    }

    /**
     * Replaces the file with the {@link Lease.State#BOUND} and {@link Lease.State#DECLINED} leases of
     * {@code leases}: temporary file, fsync, atomic rename, then fsync of the directory.
     */
    public void save(Collection<Lease> leases) throws IOException {
        StringBuilder sb = new StringBuilder(64 + leases.size() * 80);
        sb.append("# siitdc DHCPv4 leases (RFC 7756 Appendix A.1), rewritten by the daemon: do not edit while it runs\n");
        sb.append("# state address mac client-id expires (client-id in hex or -; expires in ms since the epoch)\n");
        HexFormat hex = HexFormat.of();
        for (Lease l : leases) {
            switch (l.state()) {
                case BOUND -> {
                    byte[] id = l.clientId();
                    sb.append("bound ").append(Ipv4Prefix.format(l.address())).append(' ')
                            .append(Mac.format(l.mac())).append(' ')
                            .append(id == null ? "-" : hex.formatHex(id)).append(' ')
                            .append(l.expiresMillis()).append('\n');
                }
                case DECLINED -> sb.append("declined ").append(Ipv4Prefix.format(l.address())).append(" - - ")
                        .append(l.expiresMillis()).append('\n');
                case OFFERED -> {
                    // transient
                }
            }
        }
        ByteBuffer data = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (data.hasRemaining()) {
                ch.write(data);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // the rename is done; some file systems cannot sync a directory
            }
        }
    }
}
