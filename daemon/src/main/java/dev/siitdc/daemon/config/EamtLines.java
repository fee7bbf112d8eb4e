package dev.siitdc.daemon.config;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.daemon.IoErrors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An EAM table as plain lines, read as a stream (as TAYGA reads its map lines): one {@code IPV4 IPV6} pair a
 * line (either order; a bare address is a /32 or a /128; commas count as spaces, so that
 * {@code siitdc eamt display --csv} reads back), {@code #} starts a comment, blank lines and an
 * {@code ipv4 ipv6} header line are skipped. Each entry is checked as an {@code [[eamt]]} entry is (network
 * addresses, RFC 7757 s3.2 suffix fit, no IPv4 or IPv6 prefix twice); the first bad line is an error
 * {@code FILE:LINE: KEY: REASON}.
 */
public final class EamtLines {
    /** The entries, and the line of each (1-based). */
    public record Entries(List<Eam> eams, int[] lines) {
        /** The line of entry {@code i} (0-based), or 0. */
        public int lineOf(int i) {
            return i >= 0 && i < lines.length ? lines[i] : 0;
        }
    }

    private EamtLines() {}

    /** Reads {@code path} ("-" is standard input); errors name it as {@code name} and the key as {@code key}. */
    public static Entries read(Path path, String key) throws ConfigError {
        String name = path.toString();
        try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(path)) {
            return read(in, name, key);
        } catch (IOException e) {
            throw new ConfigError(name, 1, key, "cannot read: " + IoErrors.describe(e));
        }
    }

    static Entries read(InputStream in, String name, String key) throws ConfigError, IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        List<Eam> eams = new ArrayList<>();
        int[] lines = new int[1024];
        String[] w = new String[3];
        int n = 0;
        for (String l; ; ) {
            try {
                l = r.readLine();
            } catch (CharacterCodingException e) {
                throw new ConfigError(name, n + 1, key, "not UTF-8 text");
            }
            if (l == null) break;
            n++;
            int words = words(l, w);
            if (words == 0 || words == 2 && w[0].equalsIgnoreCase("ipv4") && w[1].equalsIgnoreCase("ipv6")) continue;
            if (words != 2)
                throw new ConfigError(name, n, key, "expected an IPv4 prefix and an IPv6 prefix, found " + words
                        + (words == 1 ? " word" : " words"));
            String s4 = w[0], s6 = w[1];
            if (s4.indexOf(':') >= 0 && s6.indexOf(':') < 0) {
                s4 = w[1];
                s6 = w[0];
            }
            Ipv4Prefix v4;
            Ipv6Prefix v6;
            try {
                v4 = Ipv4Prefix.parse(s4);
            } catch (IllegalArgumentException e) {
                throw new ConfigError(name, n, key, reason(s4, e, "not an IPv4 prefix"));
            }
            try {
                v6 = Ipv6Prefix.parse(s6);
            } catch (IllegalArgumentException e) {
                throw new ConfigError(name, n, key, reason(s6, e, "not an IPv6 prefix"));
            }
            if (!v4.isNetworkAddress())
                throw new ConfigError(name, n, key, "\"" + s4 + "\": host bits are set after /" + v4.length());
            if (!v6.isNetworkAddress())
                throw new ConfigError(name, n, key, "\"" + s6 + "\": host bits are set after /" + v6.length());
            Eam e;
            try {
                e = new Eam(v4, v6);
            } catch (IllegalArgumentException ex) {
                throw new ConfigError(name, n, key, "cannot pair " + v4 + " with " + v6 + ": " + ex.getMessage());
            }
            if (eams.size() == lines.length) lines = Arrays.copyOf(lines, 2 * lines.length);
            lines[eams.size()] = n;
            eams.add(e);
        }
        lines = Arrays.copyOf(lines, eams.size());
        try {
            EamTable.of(eams);   // finds a prefix listed twice without a map per entry; the map only to say where
        } catch (IllegalArgumentException e) {
            duplicate(eams, lines, name, key);
            throw new ConfigError(name, 1, key, e.getMessage());
        }
        return new Entries(eams, lines);
    }

    /** Throws the error of the first entry whose IPv4 or IPv6 prefix an earlier one has. */
    private static void duplicate(List<Eam> eams, int[] lines, String name, String key) throws ConfigError {
        Map<Ipv4Prefix, Integer> seen4 = new HashMap<>();
        Map<Ipv6Prefix, Integer> seen6 = new HashMap<>();
        for (int i = 0; i < eams.size(); i++) {
            Eam e = eams.get(i);
            Integer same4 = seen4.putIfAbsent(e.ipv4(), lines[i]);
            if (same4 != null)
                throw new ConfigError(name, lines[i], key, "the IPv4 prefix " + e.ipv4() + " is on line " + same4 + " already");
            Integer same6 = seen6.putIfAbsent(e.ipv6(), lines[i]);
            if (same6 != null)
                throw new ConfigError(name, lines[i], key, "the IPv6 prefix " + e.ipv6() + " is on line " + same6 + " already");
        }
    }

    /**
     * Splits {@code l} into at most 3 words (separated by blanks and commas, up to a '#') into {@code w}; returns how
     * many there are (3 meaning 3 or more).
     */
    static int words(String l, String[] w) {
        int n = 0, i = 0, len = l.length();
        while (i < len && n < 3) {
            char c = l.charAt(i);
            if (c == '#') break;
            if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\f') {
                i++;
                continue;
            }
            int start = i;
            while (i < len && (c = l.charAt(i)) != ' ' && c != '\t' && c != ',' && c != '#' && c != '\r' && c != '\f') i++;
            w[n++] = l.substring(start, i);
        }
        return n;
    }

    private static String reason(String value, IllegalArgumentException e, String fallback) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? fallback : e.getMessage();
        return m.contains(value) ? m : "\"" + value + "\": " + m;
    }
}
