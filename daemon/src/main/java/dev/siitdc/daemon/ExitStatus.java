package dev.siitdc.daemon;

/** The exit statuses of every siitdc command: 0 done, 1 internal or system fault, 2 bad input. */
public final class ExitStatus {
    private ExitStatus() {}

    /** Done as asked. */
    public static final int OK = 0;
    /** A fault of siitdc or of the system: an internal error, or the kernel refused. */
    public static final int INTERNAL = 1;
    /** Bad input: an unknown option, a configuration error, a refused change. */
    public static final int BAD_INPUT = 2;
}
