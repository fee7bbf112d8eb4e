package dev.siitdc.linux.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The libbpf 1.1 functions this package calls, bound lazily with the FFM API. libbpf 1.x returns a
 * negative errno from int functions and NULL (with errno set) from pointer functions; both become
 * {@link BpfException}s in the public classes. Struct layouts are those of libbpf 1.1 on LP64.
 */
final class Libbpf {
    static final String LIBRARY = "libbpf.so.1";

    /** enum bpf_attach_type (linux/bpf.h, kernel 6.6+). */
    static final int BPF_TCX_INGRESS = 46;
    static final int BPF_TCX_EGRESS = 47;
    /** enum bpf_tc_attach_point. */
    static final int BPF_TC_INGRESS = 1;
    static final int BPF_TC_EGRESS = 2;

    /** struct bpf_object_open_opts (libbpf 1.1): sz, ..., kernel_log_buf at 56, size at 64, level at 72. */
    static final long OPEN_OPTS_SIZE = 80;
    static final long OPEN_OPTS_OBJECT_NAME = 8;
    static final long OPEN_OPTS_LOG_BUF = 56;
    static final long OPEN_OPTS_LOG_SIZE = 64;
    /** struct bpf_test_run_opts. */
    static final long TEST_RUN_SIZE = 80;
    static final long TR_DATA_IN = 8, TR_DATA_OUT = 16, TR_SIZE_IN = 24, TR_SIZE_OUT = 28, TR_RETVAL = 56,
            TR_REPEAT = 60, TR_DURATION = 64,
            TR_CTX_IN = 32, TR_CTX_SIZE_IN = 48;
    /** struct bpf_tc_hook and struct bpf_tc_opts. */
    static final long TC_HOOK_SIZE = 24, TC_HOOK_IFINDEX = 8, TC_HOOK_ATTACH_POINT = 12;
    static final long TC_OPTS_SIZE = 32, TC_OPTS_PROG_FD = 8, TC_OPTS_FLAGS = 12, TC_OPTS_PROG_ID = 16,
            TC_OPTS_HANDLE = 20, TC_OPTS_PRIORITY = 24;

    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile Libbpf instance;
    private static volatile String unavailable;

    final MethodHandle openMem, load, close, findProgram, programFd, findMap, mapFd, numCpus;
    final MethodHandle mapUpdate, mapLookup, mapDelete, testRun;
    final MethodHandle hookCreate, hookDestroy, tcAttach, tcDetach, linkCreate, setPrint;
    private final MethodHandle closeFd;

    private Libbpf(SymbolLookup lib) {
        openMem = bind(lib, "bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        load = bind(lib, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        close = bind(lib, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        findProgram = bind(lib, "bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programFd = bind(lib, "bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        findMap = bind(lib, "bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        mapFd = bind(lib, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        numCpus = bind(lib, "libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
        mapUpdate = bind(lib, "bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapLookup = bind(lib, "bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapDelete = bind(lib, "bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        testRun = bind(lib, "bpf_prog_test_run_opts", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        hookCreate = bind(lib, "bpf_tc_hook_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        hookDestroy = bind(lib, "bpf_tc_hook_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        tcAttach = bind(lib, "bpf_tc_attach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tcDetach = bind(lib, "bpf_tc_detach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        linkCreate = bind(lib, "bpf_link_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        setPrint = bind(lib, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
        closeFd = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment s = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no " + name));
        return LINKER.downcallHandle(s, fd);
    }

    /** The bindings; a BpfException "libbpf.so.1 not found" when the library cannot be loaded. */
    static Libbpf get() throws BpfException {
        Libbpf l = instance;
        if (l != null) return l;
        synchronized (Libbpf.class) {
            if (instance != null) return instance;
            if (unavailable != null) throw new BpfException("dlopen", 0, unavailable);
            try {
                Libbpf b = new Libbpf(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
                // silence libbpf's own stderr printing: errors come back as errno and the verifier log
                MemorySegment ignored = (MemorySegment) b.setPrint.invokeExact(MemorySegment.NULL);
                instance = b;
                return b;
            } catch (IllegalArgumentException e) {
                unavailable = LIBRARY + " not found (install libbpf1)";
            } catch (UnsatisfiedLinkError e) {
                unavailable = e.getMessage();
            } catch (Throwable t) {
                unavailable = LIBRARY + " could not be bound: " + t;
            }
            throw new BpfException("dlopen", 0, unavailable);
        }
    }

    /** The reason libbpf cannot be used, or null when it can. */
    static String unavailableReason() {
        try {
            get();
            return null;
        } catch (BpfException e) {
            return e.getMessage();
        }
    }

    void closeFd(int fd) {
        try {
            int ignored = (int) closeFd.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ")", t);
        }
    }

    /** A negative libbpf result as a BpfException: "{what}: ENOENT (No such file or directory)". */
    static int check(int rc, String call, String what) throws BpfException {
        if (rc >= 0) return rc;
        int errno = -rc;
        throw new BpfException(call, errno, what + ": " + dev.siitdc.linux.Errno.name(errno) + " ("
                + dev.siitdc.linux.Errno.describe(errno) + ")");
    }

    static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException re) return re;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("libbpf call failed", t);
    }
}
