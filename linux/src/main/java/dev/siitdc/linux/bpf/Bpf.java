package dev.siitdc.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** BPF map access and {@code BPF_PROG_TEST_RUN} by file descriptor (libbpf's bpf.h). Not for the packet path. */
public final class Bpf {
    /** bpf_map_update_elem flags. */
    public static final long BPF_ANY = 0;

    private Bpf() {}

    /** The number of possible CPUs: a per-CPU map value holds one slot per possible CPU. */
    public static int possibleCpus() throws BpfException {
        try {
            return Libbpf.check((int) Libbpf.get().numCpus.invokeExact(), "libbpf_num_possible_cpus", "possible CPUs");
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    public static void update(int mapFd, byte[] key, byte[] value) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) lib.mapUpdate.invokeExact(mapFd, copy(a, key), copy(a, value), BPF_ANY);
            Libbpf.check(rc, "bpf_map_update_elem", "updating BPF map fd " + mapFd);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /** Reads the value of {@code key} into {@code value}; false if the key is absent. */
    public static boolean lookup(int mapFd, byte[] key, byte[] value) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(value.length, 8);
            int rc = (int) lib.mapLookup.invokeExact(mapFd, copy(a, key), v);
            if (rc == -2) return false;    // ENOENT
            Libbpf.check(rc, "bpf_map_lookup_elem", "reading BPF map fd " + mapFd);
            MemorySegment.copy(v, ValueLayout.JAVA_BYTE, 0, value, 0, value.length);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /** Deletes {@code key}; false if it was absent. */
    public static boolean delete(int mapFd, byte[] key) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) lib.mapDelete.invokeExact(mapFd, copy(a, key));
            if (rc == -2) return false;
            Libbpf.check(rc, "bpf_map_delete_elem", "deleting from BPF map fd " + mapFd);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /** The result of one {@link #testRun}: the program's return code and the packet it left. */
    public record TestRun(int retval, byte[] data, int durationNs) {}

    /**
     * Runs the program once on {@code data} (for a tc program: an Ethernet frame) with
     * {@code BPF_PROG_TEST_RUN}; the output buffer holds up to {@code maxOut} bytes.
     */
    public static TestRun testRun(int progFd, byte[] data, int maxOut) throws BpfException {
        return testRun(progFd, data, maxOut, 1);
    }

    /**
     * {@link #testRun} {@code repeat} times on the same packet (each run sees what the one before left);
     * {@link TestRun#durationNs} is then the mean per run, without the timer's own cost.
     */
    public static TestRun testRun(int progFd, byte[] data, int maxOut, int repeat) throws BpfException {
        return testRun(progFd, data, maxOut, repeat, null);
    }

    /** The size of struct __sk_buff, the context of a tc program, and the offsets test runs may set. */
    public static final int SKB_CTX_SIZE = 192, SKB_CTX_GSO_SEGS = 164, SKB_CTX_GSO_SIZE = 176;

    /** {@link #testRun} with a context ({@code struct __sk_buff} for tc: e.g. gso_segs, gso_size), or null. */
    public static TestRun testRun(int progFd, byte[] data, int maxOut, int repeat, byte[] ctx) throws BpfException {
        Libbpf lib = Libbpf.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment opts = a.allocate(Libbpf.TEST_RUN_SIZE, 8);
            MemorySegment out = a.allocate(maxOut, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, Libbpf.TEST_RUN_SIZE);
            opts.set(ValueLayout.ADDRESS, Libbpf.TR_DATA_IN, copy(a, data));
            opts.set(ValueLayout.ADDRESS, Libbpf.TR_DATA_OUT, out);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TR_SIZE_IN, data.length);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TR_SIZE_OUT, maxOut);
            opts.set(ValueLayout.JAVA_INT, Libbpf.TR_REPEAT, repeat);
            if (ctx != null) {
                opts.set(ValueLayout.ADDRESS, Libbpf.TR_CTX_IN, copy(a, ctx));
                opts.set(ValueLayout.JAVA_INT, Libbpf.TR_CTX_SIZE_IN, ctx.length);
            }
            int rc = (int) lib.testRun.invokeExact(progFd, opts);
            Libbpf.check(rc, "bpf_prog_test_run_opts", "BPF_PROG_TEST_RUN of program fd " + progFd);
            int n = opts.get(ValueLayout.JAVA_INT, Libbpf.TR_SIZE_OUT);
            byte[] result = new byte[Math.min(n, maxOut)];
            MemorySegment.copy(out, ValueLayout.JAVA_BYTE, 0, result, 0, result.length);
            return new TestRun(opts.get(ValueLayout.JAVA_INT, Libbpf.TR_RETVAL), result,
                    opts.get(ValueLayout.JAVA_INT, Libbpf.TR_DURATION));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    static MemorySegment copy(Arena a, byte[] b) {
        MemorySegment s = a.allocate(Math.max(1, b.length), 8);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        return s;
    }
}
