package dev.siitdc.linux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A stack of undo actions. Start-up pushes one for each thing it configures (an address added: delete
 * it; a sysctl changed: restore it; a route, a proxy entry, a TUN device...) and on stop, or when
 * start-up fails half-way, {@link #runAll()} runs them in reverse order, going on past the ones that
 * fail and reporting those.
 *
 * <pre>{@code
 * Cleanup undo = new Cleanup();
 * try {
 *     TunDevice tun = undo.pushClose("close " + name, Tun.create(name, 2, Tun.IFF_MULTI_QUEUE));
 *     rtnl.addAddress(tun.ifindex(), AF_INET6, addr, 64);
 *     undo.push("delete address", () -> rtnl.deleteAddress(tun.ifindex(), AF_INET6, addr, 64));
 *     sysctl.set("net.ipv6.conf.all.forwarding", "1", undo);
 * } catch (Exception e) {
 *     throw undo.abort(e);   // undoes what was done, failures as suppressed exceptions of e
 * }
 * ...
 * undo.close();               // on stop: undoes everything, throws if something could not be undone
 * }</pre>
 *
 * Thread-safe.
 */
public final class Cleanup implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cleanup.class.getName());

    /** An undo action. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /** An undo action that failed: what it was meant to undo, and why it failed. */
    public record Failure(String description, Exception error) {
        @Override
        public String toString() {
            return description + ": " + error;
        }
    }

    /** Thrown by {@link #close()} when some undo actions failed; they are its suppressed exceptions. */
    public static final class CleanupException extends Exception {
        private final List<Failure> failures;

        CleanupException(List<Failure> failures) {
            super(failures.size() + " undo action" + (failures.size() == 1 ? "" : "s") + " failed: " + failures);
            this.failures = List.copyOf(failures);
            failures.forEach(f -> addSuppressed(f.error()));
        }

        public List<Failure> failures() {
            return failures;
        }
    }

    private record Entry(String description, Action action) {
    }

    private final Deque<Entry> stack = new ArrayDeque<>();

    /** Pushes {@code undo}, described by {@code description} for reports. */
    public synchronized void push(String description, Action undo) {
        stack.push(new Entry(description, undo));
    }

    /** Pushes closing {@code resource} and returns it. */
    public <T extends AutoCloseable> T pushClose(String description, T resource) {
        push(description, resource::close);
        return resource;
    }

    /** Number of pending undo actions. */
    public synchronized int size() {
        return stack.size();
    }

    /** Descriptions of the pending undo actions, the next to run first. */
    public synchronized List<String> pending() {
        return stack.stream().map(Entry::description).toList();
    }

    /**
     * Runs every pending action, the last pushed first, continuing past failures; the stack is empty
     * afterwards. Failures are logged (WARNING) and returned.
     */
    public List<Failure> runAll() {
        List<Failure> failures = new ArrayList<>();
        while (true) {
            Entry e;
            synchronized (this) {
                e = stack.poll();
            }
            if (e == null) {
                return Collections.unmodifiableList(failures);
            }
            try {
                e.action().run();
            } catch (Exception ex) {
                LOG.log(System.Logger.Level.WARNING, "undo failed: " + e.description() + ": " + ex);
                failures.add(new Failure(e.description(), ex));
            }
        }
    }

    /**
     * For a start-up that failed with {@code cause}: runs every undo action and adds each failure to
     * {@code cause} as a suppressed exception.
     *
     * @return {@code cause}, to rethrow
     */
    public <T extends Throwable> T abort(T cause) {
        for (Failure f : runAll()) {
            cause.addSuppressed(f.error());
        }
        return cause;
    }

    /** Runs every undo action; throws a {@link CleanupException} listing the ones that failed. */
    @Override
    public void close() throws CleanupException {
        List<Failure> failures = runAll();
        if (!failures.isEmpty()) {
            throw new CleanupException(failures);
        }
    }
}
