package dev.siitdc.daemon.metrics;

import dev.siitdc.core.eam.Eam;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A stable fingerprint of an EAM table, the {@code hash} label of {@code siitdc_eamt_hash}: the first 16 hex
 * digits (64 bits) of the SHA-256 of the entries, each encoded as 22 bytes (IPv4 address, IPv4 prefix length,
 * IPv6 address, IPv6 prefix length, network byte order) and sorted. Sorted, so the insertion order does not
 * count: RFC 7757 s3.3 translates by the longest matching prefix, so two tables with the same entries
 * translate alike whatever order they were added in, and two relays that hold them show the same hash.
 * The empty table hashes to the SHA-256 of nothing ({@code e3b0c44298fc1c14}).
 */
public final class EamtHash {
    /** Hex digits kept: 64 bits, no collision to fear between the tables of one deployment. */
    public static final int DIGITS = 16;
    private static final int ENTRY_BYTES = 4 + 1 + 16 + 1;

    private EamtHash() {}

    /** The hash of {@code eams}, {@link #DIGITS} lower-case hex digits. */
    public static String of(List<Eam> eams) {
        byte[][] entries = new byte[eams.size()][];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = encode(eams.get(i));
        }
        Arrays.sort(entries, Arrays::compareUnsigned);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (byte[] e : entries) {
            sha.update(e);
        }
        return HexFormat.of().formatHex(sha.digest(), 0, DIGITS / 2);
    }

    private static byte[] encode(Eam e) {
        return ByteBuffer.allocate(ENTRY_BYTES)
                .putInt(e.ipv4().address()).put((byte) e.ipv4().length())
                .putLong(e.ipv6().hi()).putLong(e.ipv6().lo()).put((byte) e.ipv6().length())
                .array();
    }
}
