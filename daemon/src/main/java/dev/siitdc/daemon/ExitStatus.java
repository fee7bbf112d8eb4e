package dev.siitdc.daemon;

/**
 * The exit statuses of every siitdc command, one table ({@link #HELP}, in each command's help and in the
 * README): 0 done, 1 internal or system fault, 2 bad usage or invalid input with nothing changed, 3 no
 * daemon, 4 partly done, 5 permission denied.
 */
public final class ExitStatus {
    private ExitStatus() {}

    /** Done as asked. */
    public static final int OK = 0;
    /** A fault of siitdc or of the system: an internal error, the kernel or the daemon could not carry it out. */
    public static final int INTERNAL = 1;
    /** Bad usage or invalid input: an unknown option, a configuration error, a refused change. Nothing changed. */
    public static final int BAD_INPUT = 2;
    /** No daemon listening on the control socket (or the connection to it was lost). */
    public static final int NO_DAEMON = 3;
    /** Partly done: some of the changes were made, and the message says which. */
    public static final int PARTIAL = 4;
    /** Permission denied: the command needs root (CAP_NET_ADMIN, or the root-only control socket). */
    public static final int PERMISSION_DENIED = 5;

    /** The table, for every command's help footer. */
    public static final String HELP = "Exit status (every siitdc command): 0 done; 1 internal or system fault (the"
            + " kernel or the daemon could not carry it out); 2 bad usage or invalid input, nothing changed; 3 no"
            + " daemon listening on the control socket; 4 partly done (the message says what was); 5 permission"
            + " denied: needs root.";
}
