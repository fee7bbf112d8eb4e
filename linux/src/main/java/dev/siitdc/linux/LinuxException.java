package dev.siitdc.linux;

import java.io.IOException;

/**
 * A system call, or a netlink request answered by the kernel with an error, failed.
 *
 * <p>Carries the call's name (a libc function such as {@code ioctl(TUNSETIFF)}, or a netlink message
 * type such as {@code RTM_NEWADDR}), the errno number and its symbolic name, and the C library's
 * description of it. For netlink errors the kernel's extended-ack text, when it sent one, is added.
 */
public class LinuxException extends IOException {
    private final String syscall;
    private final int errno;
    private final String detail;

    public LinuxException(String syscall, int errno) {
        this(syscall, errno, null);
    }

    /**
     * @param syscall the failed call or request, e.g. {@code "ioctl(TUNSETIFF)"} or {@code "RTM_NEWADDR"}
     * @param errno the positive errno number
     * @param detail context (which interface, which address, the kernel's extack message), or null
     */
    public LinuxException(String syscall, int errno, String detail) {
        super(format(syscall, errno, detail));
        this.syscall = syscall;
        this.errno = errno;
        this.detail = detail;
    }

    private static String format(String syscall, int errno, String detail) {
        StringBuilder sb = new StringBuilder()
                .append(syscall).append(" failed: ")
                .append(Errno.name(errno)).append(" (errno ").append(errno).append(", ")
                .append(describeQuietly(errno)).append(')');
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    private static String describeQuietly(int errno) {
        try {
            return Errno.describe(errno);
        } catch (RuntimeException | LinkageError e) {
            return "no description";
        }
    }

    /** The failed call or netlink request. */
    public String syscall() {
        return syscall;
    }

    /** The positive errno number. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. "EEXIST". */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The C library's description of the errno (strerror). */
    public String strerror() {
        return describeQuietly(errno);
    }

    /** Context or the kernel's extended-ack message; null when none. */
    public String detail() {
        return detail;
    }
}
