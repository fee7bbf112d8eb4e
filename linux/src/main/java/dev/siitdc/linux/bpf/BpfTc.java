package dev.siitdc.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Attaching a tc (SCHED_CLS) program to an interface: a tcx link (kernel 6.6+, {@code BPF_LINK_CREATE}
 * with BPF_TCX_INGRESS / BPF_TCX_EGRESS), which the kernel detaches when its last file descriptor
 * closes, so also when the process dies; or, on older kernels, a clsact qdisc filter
 * ({@code bpf_tc_hook_create} / {@code bpf_tc_attach}), which must be detached explicitly.
 */
public final class BpfTc {
    private BpfTc() {}

    /** Which side of the interface. */
    public enum Direction { INGRESS, EGRESS }

    /** A tcx link: closing it detaches the program. */
    public static final class Link implements AutoCloseable {
        private int fd;

        Link(int fd) { this.fd = fd; }

        public int fd() { return fd; }

        @Override
        public synchronized void close() throws BpfException {
            if (fd < 0) return;
            Libbpf.get().closeFd(fd);
            fd = -1;
        }
    }

    /** Attaches with a tcx link (the kernel's BPF_LINK_CREATE). */
    public static Link attachTcx(int progFd, int ifindex, Direction dir) throws BpfException {
        Libbpf lib = Libbpf.get();
        int type = dir == Direction.INGRESS ? Libbpf.BPF_TCX_INGRESS : Libbpf.BPF_TCX_EGRESS;
        try {
            int rc = (int) lib.linkCreate.invokeExact(progFd, ifindex, type, MemorySegment.NULL);
            return new Link(Libbpf.check(rc, "bpf_link_create", "tcx " + dir.name().toLowerCase()
                    + " link on ifindex " + ifindex));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /**
     * Attaches through a clsact qdisc (created if missing) as filter {@code handle} at {@code priority};
     * replaced if one is there. Undo with {@link #detachClsact} and {@link #destroyClsact}. Returns
     * whether this call created the clsact qdisc (false: it was there already, leave it on undo).
     */
    public static boolean attachClsact(int progFd, int ifindex, Direction dir, int handle, int priority) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hook = hook(a, ifindex, dir);
            int rc = (int) lib.hookCreate.invokeExact(hook);
            boolean created = rc != -17;     // EEXIST: someone's clsact, shared
            if (created) Libbpf.check(rc, "bpf_tc_hook_create", "clsact qdisc on ifindex " + ifindex);
            MemorySegment opts = a.allocate(Libbpf.TC_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, Libbpf.TC_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TC_OPTS_PROG_FD, progFd);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TC_OPTS_FLAGS, 1);    // BPF_TC_F_REPLACE
            opts.set(ValueLayout.JAVA_INT, Libbpf.TC_OPTS_HANDLE, handle);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TC_OPTS_PRIORITY, priority);
            rc = (int) lib.tcAttach.invokeExact(hook, opts);
            if (rc < 0 && created) destroyClsact(ifindex);     // leave the interface as it was
            Libbpf.check(rc, "bpf_tc_attach", "tc filter on ifindex " + ifindex);
            return created;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /** Removes the filter {@link #attachClsact} added; false if it was not there. */
    public static boolean detachClsact(int ifindex, Direction dir, int handle, int priority) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment opts = a.allocate(Libbpf.TC_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, Libbpf.TC_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TC_OPTS_HANDLE, handle);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TC_OPTS_PRIORITY, priority);
            int rc = (int) lib.tcDetach.invokeExact(hook(a, ifindex, dir), opts);
            if (rc == -2) return false;
            Libbpf.check(rc, "bpf_tc_detach", "tc filter on ifindex " + ifindex);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /** Deletes the clsact qdisc of the interface (both directions' filters go with it). */
    public static void destroyClsact(int ifindex) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hook = a.allocate(Libbpf.TC_HOOK_SIZE, 8);
            hook.set(ValueLayout.JAVA_LONG, 0, Libbpf.TC_HOOK_SIZE);
            hook.set(ValueLayout.JAVA_INT, Libbpf.TC_HOOK_IFINDEX, ifindex);
            hook.set(ValueLayout.JAVA_INT, Libbpf.TC_HOOK_ATTACH_POINT, Libbpf.BPF_TC_INGRESS | Libbpf.BPF_TC_EGRESS);
            int rc = (int) lib.hookDestroy.invokeExact(hook);
            if (rc != -2) Libbpf.check(rc, "bpf_tc_hook_destroy", "clsact qdisc on ifindex " + ifindex);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    private static MemorySegment hook(Arena a, int ifindex, Direction dir) {
        MemorySegment hook = a.allocate(Libbpf.TC_HOOK_SIZE, 8);
        hook.set(ValueLayout.JAVA_LONG, 0, Libbpf.TC_HOOK_SIZE);
        hook.set(ValueLayout.JAVA_INT, Libbpf.TC_HOOK_IFINDEX, ifindex);
        hook.set(ValueLayout.JAVA_INT, Libbpf.TC_HOOK_ATTACH_POINT,
                dir == Direction.INGRESS ? Libbpf.BPF_TC_INGRESS : Libbpf.BPF_TC_EGRESS);
        return hook;
    }
}
