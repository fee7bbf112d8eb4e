package dev.siitdc.daemon;

/**
 * A runtime change ({@link LiveConfig}) that was not made. Nothing changed: the running configuration is
 * the one from before the request.
 */
public final class LiveConfigException extends Exception {
    /** Why. */
    public enum Kind {
        /**
         * The request itself cannot be carried out: a bad value, a duplicate EAM, the EAM of a local
         * Service Address, a route the kernel already has...
         */
        REFUSED,
        /** The daemon could not carry out a valid request (a netlink failure, the daemon stopping). */
        FAILED
    }

    private final Kind kind;

    public LiveConfigException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public LiveConfigException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public static LiveConfigException refused(String message) {
        return new LiveConfigException(Kind.REFUSED, message);
    }

    public Kind kind() {
        return kind;
    }
}
