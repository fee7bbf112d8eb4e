package dev.siitdc.core.xlat;

/**
 * Every counter the translator keeps. Drop reasons are per direction ("46" = arriving IPv4,
 * "64" = arriving IPv6). Jool's SIIT JSTAT counters are the reference set; the names here are
 * what an operator sees in {@code stats display} and in metrics.
 */
public enum Counter {
    // --- traffic ---
    RECEIVED4("received-ipv4", "IPv4 packets handed to the translator"),
    RECEIVED6("received-ipv6", "IPv6 packets handed to the translator"),
    TRANSLATED46("translated-4to6", "IPv4 packets translated to IPv6"),
    TRANSLATED64("translated-6to4", "IPv6 packets translated to IPv4"),
    BYTES46("translated-bytes-4to6", "bytes of IPv6 emitted by 4->6 translation"),
    BYTES64("translated-bytes-6to4", "bytes of IPv4 emitted by 6->4 translation"),
    FRAGMENTED46("fragmented-4to6", "IPv4 packets the translator split into IPv6 fragments (RFC 7915 s4)"),
    HAIRPINNED("hairpinned", "IPv6 packets translated to IPv4 and back to IPv6 (RFC 7757 s4.2)"),
    ICMP4_ERRORS_SENT("icmp4-errors-originated", "ICMPv4 errors the translator originated"),
    ICMP6_ERRORS_SENT("icmp6-errors-originated", "ICMPv6 errors the translator originated"),
    ECHO_REPLIES_SENT("echo-replies-sent", "echo requests to own-ipv4-address / own-ipv6-address answered"),
    TCP_RESETS_SENT("tcp-resets-sent", "TCP segments to own-ipv4-address / own-ipv6-address answered with a RST (RFC 9293 s3.10.7.1)"),
    ICMP_ERRORS_RATE_LIMITED("icmp-errors-rate-limited", "ICMP errors not originated because of the rate limit"),
    ICMP_ERRORS_SUPPRESSED("icmp-errors-suppressed", "ICMP errors not originated (no source address, or the trigger was an ICMP error, a fragment or a non-unicast address)"),

    // --- malformed input ---
    DROP_UNKNOWN_VERSION("drop-not-ip", "packet whose first nibble is neither 4 nor 6"),
    DROP46_TRUNCATED("drop-4to6-truncated", "IPv4 packet shorter than its headers or its Total Length"),
    DROP46_BAD_HEADER("drop-4to6-bad-header", "IPv4 header invalid (version, IHL, Total Length or header checksum)"),
    DROP46_BAD_FRAGMENT("drop-4to6-bad-fragment", "IPv4 fragment whose size or offset is impossible"),
    DROP64_TRUNCATED("drop-6to4-truncated", "IPv6 packet shorter than its headers or its Payload Length"),
    DROP64_BAD_HEADER("drop-6to4-bad-header", "IPv6 header or extension header chain invalid"),
    DROP64_BAD_FRAGMENT("drop-6to4-bad-fragment", "IPv6 fragment whose size or offset is impossible"),
    DROP64_TOO_MANY_EXTENSION_HEADERS("drop-6to4-too-many-extension-headers", "IPv6 packet with more than 8 extension headers (RFC 8200 s4.1 allows at most 6)"),

    // --- addresses ---
    DROP46_SRC_UNTRANSLATABLE("drop-4to6-source-untranslatable", "IPv4 source not covered by pool6 or the EAMT"),
    DROP46_DST_UNTRANSLATABLE("drop-4to6-destination-untranslatable", "IPv4 destination not covered by pool6 or the EAMT"),
    DROP46_SRC_ILLEGAL("drop-4to6-source-illegal", "IPv4 source is 0/8, 127/8, 169.254/16, multicast, class E or broadcast (RFC 1812 s5.3.7, RFC 6890), dropped silently"),
    DROP46_WKP_NON_GLOBAL("drop-4to6-wkp-non-global", "IPv4 address not global, refused under 64:ff9b::/96 (RFC 6052 s3.1; ICMPv4 3/13 sent)"),
    DROP64_SRC_UNTRANSLATABLE("drop-6to4-source-untranslatable", "IPv6 source not covered by pool6 or the EAMT (RFC 7915 s5.1)"),
    DROP64_SRC_ILLEGAL("drop-6to4-source-illegal", "IPv6 source maps to 0/8, 127/8, 169.254/16, multicast, class E or broadcast (RFC 7915 s5.1: dropped silently)"),
    DROP64_DST_UNTRANSLATABLE("drop-6to4-destination-untranslatable", "IPv6 destination not covered by pool6 or the EAMT (ICMPv6 1/1 sent), or mapping to a non-unicast IPv4 address"),
    DROP64_WKP_NON_GLOBAL("drop-6to4-wkp-non-global", "64:ff9b::/96 address embedding a non-global IPv4 address (RFC 6052 s3.1; ICMPv6 1/5 for a source, 1/1 for a destination)"),
    DROP46_TO_OWN_ADDRESS("drop-4to6-to-own-address", "IPv4 packet for own-ipv4-address that is not an echo request (answered as a closed host: TCP RST, UDP port unreachable, other protocols protocol unreachable)"),
    DROP64_TO_OWN_ADDRESS("drop-6to4-to-own-address", "IPv6 packet for own-ipv6-address that is not an echo request (answered as a closed host: TCP RST, UDP port unreachable, other Next Headers Parameter Problem 1)"),
    DROP_HAIRPIN_LOOP("drop-hairpin-loop", "hairpinned packet whose new destination lies in pool6 again, so it would come back forever (an EAM inside pool6)"),
    DROP46_ICMP_ERROR_NON_UNICAST("drop-4to6-icmp-error-to-non-unicast", "ICMPv4 error addressed to 0/8, 127/8, 224/4 or 240/4 (incl. 255.255.255.255): never translated"),
    DROP64_ICMP_ERROR_NON_UNICAST("drop-6to4-icmp-error-to-non-unicast", "ICMPv6 error addressed to multicast, loopback or the unspecified address: never translated"),

    // --- RFC 7915 rules ---
    DROP46_TTL_EXPIRED("drop-4to6-ttl-expired", "IPv4 TTL reached zero (Time Exceeded sent)"),
    DROP64_HOP_LIMIT_EXPIRED("drop-6to4-hop-limit-expired", "IPv6 Hop Limit reached zero (Time Exceeded sent)"),
    DROP46_SOURCE_ROUTE("drop-4to6-source-route", "IPv4 unexpired source route option (RFC 7915 s4.1, ICMPv4 3/5 sent)"),
    DROP64_SEGMENTS_LEFT("drop-6to4-segments-left", "IPv6 Routing header with Segments Left > 0 (RFC 7915 s5.1, Parameter Problem sent)"),
    DROP64_EXT_AFTER_FRAGMENT("drop-6to4-header-after-fragment", "IPv6 extension header after the Fragment header (RFC 7915 s5.1.1)"),
    DROP46_FRAGMENTED_ICMP("drop-4to6-fragmented-icmp", "fragmented ICMPv4 (RFC 7915 s1.2)"),
    DROP64_FRAGMENTED_ICMP("drop-6to4-fragmented-icmp", "fragmented ICMPv6 (RFC 7915 s1.2)"),
    DROP46_UDP_ZERO_CHECKSUM("drop-4to6-udp-checksum-zero", "IPv4 UDP with checksum 0 (RFC 7915 s4.5, ICMPv4 3/13 sent)"),
    DROP64_UDP_ZERO_CHECKSUM("drop-6to4-udp-checksum-zero", "IPv6 UDP with checksum 0 (RFC 8200 s8.1)"),
    DROP46_FRAG_NEEDED("drop-4to6-fragmentation-needed", "IPv4 DF packet larger than ipv6-mtu - 20 (Fragmentation Needed sent)"),
    DROP64_PACKET_TOO_BIG("drop-6to4-packet-too-big", "IPv6 packet whose IPv4 translation exceeds ipv4-mtu (Packet Too Big sent)"),
    DROP46_ICMP_TYPE("drop-4to6-icmp-untranslatable", "ICMPv4 type or code with no ICMPv6 equivalent (RFC 7915 s4.2)"),
    DROP64_ICMP_TYPE("drop-6to4-icmp-untranslatable", "ICMPv6 type or code with no ICMPv4 equivalent (RFC 7915 s5.2)"),
    DROP46_ICMP_CHECKSUM("drop-4to6-icmp-error-checksum", "ICMPv4 error with a bad checksum"),
    DROP64_ICMP_CHECKSUM("drop-6to4-icmp-error-checksum", "ICMPv6 error with a bad checksum"),
    DROP46_ICMP_IN_ICMP("drop-4to6-icmp-error-in-error", "ICMPv4 error quoting an ICMPv4 error (RFC 7915 s4.3)"),
    DROP64_ICMP_IN_ICMP("drop-6to4-icmp-error-in-error", "ICMPv6 error quoting an ICMPv6 error (RFC 7915 s5.3)"),
    DROP46_INNER_INVALID("drop-4to6-inner-packet-invalid", "the packet quoted by an ICMPv4 error cannot be translated"),
    DROP64_INNER_INVALID("drop-6to4-inner-packet-invalid", "the packet quoted by an ICMPv6 error cannot be translated"),
    DROP46_IGMP("drop-4to6-igmp", "IGMP is not translated (RFC 7915 s4.2)"),
    DROP_HAIRPIN_TOO_BIG("drop-hairpin-too-big", "hairpinned packet larger than ipv6-mtu with DF set (Packet Too Big sent to the IPv6 source)"),
    DROP64_TOO_BIG_FOR_IPV4("drop-6to4-too-big-for-ipv4", "IPv6 packet (hairpinned or GSO) whose IPv4 form would exceed 65535 bytes"),
    ;

    private final String operatorName, description;

    Counter(String operatorName, String description) {
        this.operatorName = operatorName;
        this.description = description;
    }

    public String operatorName() { return operatorName; }

    public String description() { return description; }
}
