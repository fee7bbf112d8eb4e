package dev.siitdc.core.xlat;

/**
 * The ICMP type/code and Parameter Problem pointer tables of RFC 7915 sections 4.2 and 5.2.
 * Results are packed as {@code type << 8 | code}; {@link #DROP} means "silently drop".
 */
public final class IcmpMaps {
    public static final int DROP = -1;

    private IcmpMaps() {}

    /** ICMPv4 type 3 (Destination Unreachable) code 2: Parameter Problem pointer to Next Header. */
    public static final int PROTOCOL_UNREACHABLE_POINTER = 6;

    /** True for the ICMPv4 types RFC 1122 calls error messages. */
    public static boolean isIcmp4Error(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /** True for ICMPv6 error messages (RFC 4443 s2.1: types 0-127). */
    public static boolean isIcmp6Error(int type) {
        return type < 128;
    }

    /** RFC 7915 s4.2: ICMPv4 type/code to ICMPv6 type/code. */
    public static int icmp4to6(int type, int code) {
        switch (type) {
            case 0: return 129 << 8;            // Echo Reply
            case 8: return 128 << 8;            // Echo Request
            case 3:                             // Destination Unreachable
                switch (code) {
                    case 0, 1, 5, 6, 7, 8, 11, 12: return 1 << 8;          // no route to destination
                    case 2: return 4 << 8 | 1;                              // Parameter Problem, unrecognized Next Header
                    case 3: return 1 << 8 | 4;                              // port unreachable
                    case 4: return 2 << 8;                                  // Packet Too Big
                    case 9, 10, 13, 15: return 1 << 8 | 1;                  // administratively prohibited
                    default: return DROP;                                   // 14 and unknown codes
                }
            case 11: return code <= 1 ? 3 << 8 | code : DROP;             // Time Exceeded
            case 12: return code == 0 || code == 2 ? 4 << 8 : DROP;       // Parameter Problem
            default: return DROP;   // 4, 5, 6, 9, 10, 13-18, unknown
        }
    }

    /** RFC 7915 s5.2: ICMPv6 type/code to ICMPv4 type/code. */
    public static int icmp6to4(int type, int code) {
        switch (type) {
            case 128: return 8 << 8;
            case 129: return 0;
            case 1:
                switch (code) {
                    case 0, 2, 3: return 3 << 8 | 1;   // host unreachable
                    case 1: return 3 << 8 | 10;        // host administratively prohibited
                    case 4: return 3 << 8 | 3;         // port unreachable
                    default: return DROP;
                }
            case 2: return 3 << 8 | 4;                 // Fragmentation Needed
            case 3: return code <= 1 ? 11 << 8 | code : DROP;
            case 4:
                switch (code) {
                    case 0: return 12 << 8;            // pointer indicates the error
                    case 1: return 3 << 8 | 2;         // protocol unreachable
                    default: return DROP;
                }
            default: return DROP;   // MLD, ND, unknown informational and error types
        }
    }

    /** RFC 7915 s4.2 Figure 3: IPv4 pointer to IPv6 pointer, or DROP. */
    public static int pointer4to6(int ptr4) {
        switch (ptr4) {
            case 0: return 0;
            case 1: return 1;
            case 2, 3: return 4;
            case 8: return 7;
            case 9: return 6;
            case 12, 13, 14, 15: return 8;
            case 16, 17, 18, 19: return 24;
            default: return DROP;   // 4-7, 10, 11 (n/a) and beyond the header
        }
    }

    /** RFC 7915 s5.2 Figure 6: IPv6 pointer to IPv4 pointer, or DROP. */
    public static int pointer6to4(long ptr6) {
        if (ptr6 < 0 || ptr6 > 39) return DROP;
        int p = (int) ptr6;
        if (p == 0) return 0;
        if (p == 1) return 1;
        if (p == 2 || p == 3) return DROP;
        if (p == 4 || p == 5) return 2;
        if (p == 6) return 9;
        if (p == 7) return 8;
        if (p < 24) return 12;
        return 16;
    }

    /** RFC 4884: ICMPv4 types whose length attribute may announce an extension. */
    public static boolean icmp4CarriesExtension(int type) {
        return type == 3 || type == 11 || type == 12;
    }

    /** RFC 4884: ICMPv6 types whose length attribute may announce an extension. */
    public static boolean icmp6CarriesExtension(int type) {
        return type == 1 || type == 3;
    }
}
