package dev.siitdc.core.xlat;

import dev.siitdc.core.packet.Ipv4Header;
import dev.siitdc.core.packet.Ipv6Header;

import static dev.siitdc.core.packet.IcmpHeader.*;

/**
 * The ICMP type/code and Parameter Problem pointer tables of RFC 7915 sections 4.2 and 5.2.
 * Results are packed as {@code type << 8 | code}; {@link #DROP} means "silently drop".
 */
public final class IcmpMaps {
    public static final int DROP = -1;

    private IcmpMaps() {}

    /** ICMPv4 type 3 (Destination Unreachable) code 2: Parameter Problem pointer to Next Header. */
    public static final int PROTOCOL_UNREACHABLE_POINTER = Ipv6Header.NEXT_HEADER;

    /** True for the ICMPv4 types RFC 1122 calls error messages. */
    public static boolean isIcmp4Error(int type) {
        return type == DEST_UNREACHABLE4 || type == SOURCE_QUENCH4 || type == REDIRECT4 || type == TIME_EXCEEDED4
                || type == PARAMETER_PROBLEM4;
    }

    /** True for ICMPv6 error messages (RFC 4443 s2.1: types 0-127). */
    public static boolean isIcmp6Error(int type) {
        return type < FIRST_INFORMATIONAL6;
    }

    private static int typeCode(int type, int code) {
        return type << 8 | code;
    }

    /** RFC 7915 s4.2: ICMPv4 type/code to ICMPv6 type/code. */
    public static int icmp4to6(int type, int code) {
        return switch (type) {
            case ECHO_REPLY4 -> typeCode(ECHO_REPLY6, 0);
            case ECHO_REQUEST4 -> typeCode(ECHO_REQUEST6, 0);
            case DEST_UNREACHABLE4 -> switch (code) {
                case NET_UNREACHABLE4, HOST_UNREACHABLE4, SOURCE_ROUTE_FAILED4, NET_UNKNOWN4, HOST_UNKNOWN4,
                        HOST_ISOLATED4, NET_UNREACHABLE_FOR_TOS4, HOST_UNREACHABLE_FOR_TOS4 ->
                        typeCode(DEST_UNREACHABLE6, NO_ROUTE6);
                case PROTOCOL_UNREACHABLE4 -> typeCode(PARAMETER_PROBLEM6, UNRECOGNIZED_NEXT_HEADER6);
                case PORT_UNREACHABLE4 -> typeCode(DEST_UNREACHABLE6, PORT_UNREACHABLE6);
                case FRAGMENTATION_NEEDED4 -> typeCode(PACKET_TOO_BIG6, 0);
                case NET_ADMIN_PROHIBITED4, HOST_ADMIN_PROHIBITED4, ADMIN_PROHIBITED4, PRECEDENCE_CUTOFF4 ->
                        typeCode(DEST_UNREACHABLE6, ADMIN_PROHIBITED6);
                default -> DROP;                        // host precedence violation (14), unknown codes
            };
            case TIME_EXCEEDED4 -> code == HOP_LIMIT_EXCEEDED || code == REASSEMBLY_TIME_EXCEEDED
                    ? typeCode(TIME_EXCEEDED6, code) : DROP;
            case PARAMETER_PROBLEM4 -> code == POINTER_INDICATES_ERROR4 || code == BAD_LENGTH4
                    ? typeCode(PARAMETER_PROBLEM6, ERRONEOUS_HEADER6) : DROP;
            default -> DROP;    // source quench, redirect, router advertisement/solicitation, timestamp ..., unknown
        };
    }

    /** RFC 7915 s5.2: ICMPv6 type/code to ICMPv4 type/code. */
    public static int icmp6to4(int type, int code) {
        return switch (type) {
            case ECHO_REQUEST6 -> typeCode(ECHO_REQUEST4, 0);
            case ECHO_REPLY6 -> typeCode(ECHO_REPLY4, 0);
            case DEST_UNREACHABLE6 -> switch (code) {
                case NO_ROUTE6, BEYOND_SCOPE6, ADDRESS_UNREACHABLE6 -> typeCode(DEST_UNREACHABLE4, HOST_UNREACHABLE4);
                case ADMIN_PROHIBITED6 -> typeCode(DEST_UNREACHABLE4, HOST_ADMIN_PROHIBITED4);
                case PORT_UNREACHABLE6 -> typeCode(DEST_UNREACHABLE4, PORT_UNREACHABLE4);
                default -> DROP;
            };
            case PACKET_TOO_BIG6 -> typeCode(DEST_UNREACHABLE4, FRAGMENTATION_NEEDED4);
            case TIME_EXCEEDED6 -> code == HOP_LIMIT_EXCEEDED || code == REASSEMBLY_TIME_EXCEEDED
                    ? typeCode(TIME_EXCEEDED4, code) : DROP;
            case PARAMETER_PROBLEM6 -> switch (code) {
                case ERRONEOUS_HEADER6 -> typeCode(PARAMETER_PROBLEM4, POINTER_INDICATES_ERROR4);
                case UNRECOGNIZED_NEXT_HEADER6 -> typeCode(DEST_UNREACHABLE4, PROTOCOL_UNREACHABLE4);
                default -> DROP;
            };
            default -> DROP;    // MLD, ND, unknown informational and error types
        };
    }

    /** RFC 7915 s4.2 Figure 3: IPv4 header pointer to IPv6 header pointer, or DROP. */
    public static int pointer4to6(int ptr4) {
        if (ptr4 >= Ipv4Header.SOURCE && ptr4 < Ipv4Header.DESTINATION) return Ipv6Header.SOURCE;
        if (ptr4 >= Ipv4Header.DESTINATION && ptr4 < Ipv4Header.OPTIONS) return Ipv6Header.DESTINATION;
        if (ptr4 == Ipv4Header.TOTAL_LENGTH || ptr4 == Ipv4Header.TOTAL_LENGTH + 1) return Ipv6Header.PAYLOAD_LENGTH;
        return switch (ptr4) {
            case Ipv4Header.VERSION_IHL -> Ipv6Header.VERSION_CLASS_FLOW;
            case Ipv4Header.TOS -> Ipv6Header.CLASS_FLOW;
            case Ipv4Header.TTL -> Ipv6Header.HOP_LIMIT;
            case Ipv4Header.PROTOCOL -> Ipv6Header.NEXT_HEADER;
            default -> DROP;    // Identification, Flags/Fragment Offset, Header Checksum (n/a), options and beyond
        };
    }

    /** RFC 7915 s5.2 Figure 6: IPv6 header pointer to IPv4 header pointer, or DROP. */
    public static int pointer6to4(long ptr6) {
        if (ptr6 < 0 || ptr6 >= Ipv6Header.LENGTH) return DROP;
        int p = (int) ptr6;
        if (p >= Ipv6Header.DESTINATION) return Ipv4Header.DESTINATION;
        if (p >= Ipv6Header.SOURCE) return Ipv4Header.SOURCE;
        return switch (p) {
            case Ipv6Header.VERSION_CLASS_FLOW -> Ipv4Header.VERSION_IHL;
            case Ipv6Header.CLASS_FLOW -> Ipv4Header.TOS;
            case Ipv6Header.PAYLOAD_LENGTH, Ipv6Header.PAYLOAD_LENGTH + 1 -> Ipv4Header.TOTAL_LENGTH;
            case Ipv6Header.NEXT_HEADER -> Ipv4Header.PROTOCOL;
            case Ipv6Header.HOP_LIMIT -> Ipv4Header.TTL;
            default -> DROP;    // the Flow Label's low 16 bits (n/a)
        };
    }

    /** RFC 4884: ICMPv4 types whose length attribute may announce an extension. */
    public static boolean icmp4CarriesExtension(int type) {
        return type == DEST_UNREACHABLE4 || type == TIME_EXCEEDED4 || type == PARAMETER_PROBLEM4;
    }

    /** RFC 4884: ICMPv6 types whose length attribute may announce an extension. */
    public static boolean icmp6CarriesExtension(int type) {
        return type == DEST_UNREACHABLE6 || type == TIME_EXCEEDED6;
    }
}
