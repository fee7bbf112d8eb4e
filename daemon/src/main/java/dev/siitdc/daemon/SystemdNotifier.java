package dev.siitdc.daemon;

import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.SdNotify;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What {@code siitdc run} tells systemd (sd_notify(3), a Type=notify unit): READY=1 once a packet could be
 * translated, RELOADING=1 with MONOTONIC_USEC (systemd 253 and later) then READY=1 around a reload, STATUS=
 * lines, STOPPING=1, and WATCHDOG=1 every WATCHDOG_USEC/2 while the data plane is healthy. Without
 * NOTIFY_SOCKET every method does nothing. A datagram that cannot be sent is said once on stderr; it never
 * stops the daemon.
 */
public final class SystemdNotifier implements AutoCloseable {
    private final SdNotify socket;
    private final PrintWriter err;
    private final Duration watchdog;
    private volatile boolean warned;
    private volatile String lastStatus = "";
    private volatile Thread watchdogThread;

    private SystemdNotifier(SdNotify socket, Duration watchdog, PrintWriter err) {
        this.socket = socket;
        this.watchdog = watchdog;
        this.err = err;
    }

    /** The notifier of this process's environment: inactive without NOTIFY_SOCKET. */
    public static SystemdNotifier fromEnvironment(PrintWriter err) {
        SdNotify s = null;
        try {
            s = SdNotify.fromEnvironment();
        } catch (LinuxException | IllegalArgumentException e) {
            LogWriter.log(err, Level.WARNING, "siitdc: warning: NOTIFY_SOCKET: " + e.getMessage()
                    + ": systemd will not hear that the daemon is ready");
        }
        Duration w = s == null ? null : watchdogInterval(System.getenv("WATCHDOG_USEC"), System.getenv("WATCHDOG_PID"),
                ProcessHandle.current().pid());
        return new SystemdNotifier(s, w, err);
    }

    /**
     * How often to send WATCHDOG=1: half of WATCHDOG_USEC, when it is set and WATCHDOG_PID is unset or this
     * process's; otherwise null (no watchdog).
     */
    static Duration watchdogInterval(String usec, String pid, long self) {
        if (usec == null || usec.isBlank()) return null;
        if (pid != null && !pid.isBlank() && !pid.strip().equals(Long.toString(self))) return null;
        try {
            long us = Long.parseLong(usec.strip());
            return us <= 0 ? null : Duration.ofNanos(us * 1000 / 2);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether NOTIFY_SOCKET named a socket. */
    public boolean active() {
        return socket != null;
    }

    /** READY=1 and a first STATUS=. */
    public void ready(String status) {
        lastStatus = oneLine(status);
        send("READY=1\nSTATUS=" + lastStatus);
    }

    /** READY=1 after a reload, with the last STATUS= again. */
    public void reloaded() {
        send("READY=1\nSTATUS=" + lastStatus);
    }

    /** RELOADING=1 with the CLOCK_MONOTONIC time in microseconds (System.nanoTime is CLOCK_MONOTONIC on Linux). */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    public void status(String status) {
        lastStatus = oneLine(status);
        send("STATUS=" + lastStatus);
    }

    public void stopping() {
        send("STOPPING=1");
    }

    /**
     * Starts WATCHDOG=1 every WATCHDOG_USEC/2 while {@code healthy} holds (the workers alive); when it fails
     * nothing is sent and systemd's watchdog acts. Does nothing without a watchdog.
     */
    public void startWatchdog(BooleanSupplier healthy) {
        if (socket == null || watchdog == null) return;
        long period = Math.max(1, watchdog.toMillis());
        watchdogThread = Thread.ofPlatform().name("siitdc-watchdog").daemon(true).start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (healthy.getAsBoolean()) send("WATCHDOG=1");
                    Thread.sleep(period);
                }
            } catch (InterruptedException e) {
                // stopped
            }
        });
    }

    private void send(String message) {
        if (socket == null) return;
        try {
            socket.send(message);
        } catch (LinuxException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LogWriter.log(err, Level.WARNING, "siitdc: warning: cannot notify systemd on " + socket.name() + ": "
                        + e.getMessage());
            }
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    /** Stops the watchdog and closes the socket. */
    @Override
    public void close() {
        Thread t = watchdogThread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (socket != null) socket.close();
    }
}
