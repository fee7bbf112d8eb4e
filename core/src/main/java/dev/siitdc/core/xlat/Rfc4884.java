package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.IcmpHeader;

/**
 * RFC 4884 multi-part ICMP messages, both directions: the Length attribute splits what follows the
 * ICMP header into the original datagram and an extension structure (s4.1 ICMPv4, s4.2 ICMPv6), and
 * a translated error keeps the extension only if its new type may carry one and it fits. One
 * instance per direction; the results of a {@link #parse} / {@link #build} are in its fields.
 */
final class Rfc4884 {
    /** RFC 4884 s4.1: the original datagram field of a message with an extension is at least 128 bytes. */
    static final int MIN_DATAGRAM = 128;

    /** After {@link #parse}: bytes of the original datagram, and of the extension that follows it at {@link #ext}. */
    int original;
    int extLen;
    int ext;
    /** After {@link #build}: the padded datagram field in front of the kept extension, or 0 when none is kept. */
    int datagram;

    /**
     * Splits what follows the header of the ICMP error of {@code ctx} into the quoted packet, which
     * {@code in} begins, and the extension.
     */
    void parse(XlatContext ctx, XlatContext in, int lengthAttribute) {
        int quoted = ctx.l4 + IcmpHeader.LENGTH;
        parse(quoted, ctx.l4len - IcmpHeader.LENGTH, lengthAttribute);
        in.begin(ctx.s, 0, ctx.b, quoted, original, false);
    }

    /**
     * @param in             offset of the bytes after the ICMP header
     * @param avail          how many there are
     * @param lengthAttribute the Length attribute in bytes (0 when the type carries none)
     */
    void parse(int in, int avail, int lengthAttribute) {
        original = avail;
        extLen = 0;
        if (lengthAttribute != 0 && lengthAttribute <= avail) {
            original = lengthAttribute;
            extLen = avail - lengthAttribute;
        }
        ext = in + original;
    }

    /**
     * Lays out what follows the translated ICMP header at o[at]: the translated datagram (already
     * there, {@code translated} bytes) padded to whole {@code word}s, at least 128 bytes, then the
     * extension from b (s4.1: the pad bytes the sender added count as data, so the tail is cut, not
     * padded again); or, without an extension, the datagram cut to {@code room}.
     *
     * @param extensible the translated type may carry an extension (RFC 4884 s3)
     * @return bytes after the ICMP header
     */
    int build(byte[] b, byte[] o, int at, int translated, int room, int word, boolean extensible) {
        datagram = 0;
        if (extLen > 0 && extensible) {
            int d = Math.max(MIN_DATAGRAM, translated & -word);
            if (d + extLen > room) d = MIN_DATAGRAM + extLen <= room ? (room - extLen) & -word : 0;
            if (d > 0) {
                if (d > translated) java.util.Arrays.fill(o, at + translated, at + d, (byte) 0);
                System.arraycopy(b, ext, o, at + d, extLen);
                datagram = d;
                return d + extLen;
            }
        }
        return Math.min(translated, room);
    }
}
