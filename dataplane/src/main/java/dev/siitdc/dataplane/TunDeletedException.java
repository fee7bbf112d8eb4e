package dev.siitdc.dataplane;

/**
 * The TUN interface was deleted under the running relay ({@code ip link delete siit0}): its queues answer
 * EBADFD. The relay stops and undoes the rest of its set-up; the message is the whole report.
 */
public final class TunDeletedException extends Exception {
    public TunDeletedException(String tunName, Throwable cause) {
        super("TUN device " + tunName + " was deleted", cause);
    }
}
