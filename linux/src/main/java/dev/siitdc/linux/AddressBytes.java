package dev.siitdc.linux;

import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Checks on the raw addresses of rtnetlink requests: an AF_INET address is 4 bytes, an AF_INET6 one 16
 * (the IFA_*, RTA_* and NDA_DST payloads of rtnetlink(7)), in network byte order, with a prefix length of
 * at most 32 or 128 bits.
 */
final class AddressBytes {
    private AddressBytes() {
    }

    /** IllegalArgumentException unless {@code address} is an address of {@code family}. */
    static void checkAddress(int family, byte[] address, String what) {
        int expected = switch (family) {
            case AF_INET -> 4;
            case AF_INET6 -> 16;
            default -> throw new IllegalArgumentException("family must be AF_INET or AF_INET6: " + family);
        };
        if (address == null || address.length != expected) {
            throw new IllegalArgumentException(what + " must be " + expected + " bytes for family " + family);
        }
    }

    /** IllegalArgumentException unless {@code prefixLen} fits an address of {@code family}. */
    static void checkPrefix(int family, int prefixLen) {
        int max = family == AF_INET ? 32 : 128;
        if (prefixLen < 0 || prefixLen > max) {
            throw new IllegalArgumentException("prefix length must be 0.." + max + ": " + prefixLen);
        }
    }

    /** AF_INET for 4 bytes, AF_INET6 for 16. */
    static int familyOf(byte[] address) {
        if (address != null && address.length == 16) {
            return AF_INET6;
        }
        if (address != null && address.length == 4) {
            return AF_INET;
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes");
    }

    /** The InetAddress of 4 or 16 bytes. */
    static InetAddress inet(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
