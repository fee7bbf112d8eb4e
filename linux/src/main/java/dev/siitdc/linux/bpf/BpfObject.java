package dev.siitdc.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A BPF object (an ELF .o) opened from memory and loaded into the kernel with libbpf: its programs and
 * maps by name, as file descriptors. {@link #close} unloads it (programs still attached through a link
 * or a tc filter stay until that is removed).
 */
public final class BpfObject implements AutoCloseable {
    private static final int LOG_SIZE = 1 << 20;

    private final Libbpf lib;
    private final Arena arena;
    private MemorySegment obj;

    private BpfObject(Libbpf lib, Arena arena, MemorySegment obj) {
        this.lib = lib;
        this.arena = arena;
        this.obj = obj;
    }

    /** Whether libbpf.so.1 can be used here; null if so, else the one-line reason. */
    public static String unavailableReason() {
        return Libbpf.unavailableReason();
    }

    /**
     * Opens the object {@code elf} and loads its maps and programs. A program the verifier refuses is a
     * BpfException "BPF program rejected by the verifier: " with the last lines of the log.
     */
    public static BpfObject load(byte[] elf, String name) throws BpfException {
        Libbpf lib = Libbpf.get();
        Arena arena = Arena.ofShared();
        boolean ok = false;
        try {
            MemorySegment mem = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, mem, ValueLayout.JAVA_BYTE, 0, elf.length);
            MemorySegment opts = arena.allocate(Libbpf.OPEN_OPTS_SIZE, 8);
            MemorySegment log = arena.allocate(LOG_SIZE);
            opts.set(ValueLayout.JAVA_LONG, 0, Libbpf.OPEN_OPTS_SIZE);
            opts.set(ValueLayout.ADDRESS, Libbpf.OPEN_OPTS_OBJECT_NAME, arena.allocateFrom(name));
            opts.set(ValueLayout.ADDRESS, Libbpf.OPEN_OPTS_LOG_BUF, log);
            opts.set(ValueLayout.JAVA_LONG, Libbpf.OPEN_OPTS_LOG_SIZE, LOG_SIZE);
            MemorySegment obj = (MemorySegment) lib.openMem.invokeExact(mem, (long) elf.length, opts);
            if (obj.address() == 0 || obj.address() > -4096L && obj.address() < 0)
                throw new BpfException("bpf_object__open_mem", 0, "BPF object " + name + " could not be opened"
                        + " (not a valid BPF ELF object, or a libbpf older than 1.0)");
            BpfObject o = new BpfObject(lib, arena, obj);
            int rc = (int) lib.load.invokeExact(obj);
            if (rc < 0) {
                String tail = logTail(log);
                o.close();
                if (!tail.isEmpty())
                    throw new BpfException("bpf_object__load", -rc, "BPF program rejected by the verifier: " + tail);
                Libbpf.check(rc, "bpf_object__load", "loading BPF object " + name);
            }
            ok = true;
            return o;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        } finally {
            if (!ok && arena.scope().isAlive()) arena.close();
        }
    }

    /** The last non-empty lines of the verifier log, joined with " | ". */
    private static String logTail(MemorySegment log) {
        String s = log.getString(0, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) return "";
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
            if (!b.isEmpty()) b.append(" | ");
            b.append(lines[i].strip());
        }
        return b.toString();
    }

    /** The file descriptor of the program {@code name} (owned by this object). */
    public int programFd(String name) throws BpfException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) lib.findProgram.invokeExact(live(), a.allocateFrom(name));
            if (p.address() == 0) throw new BpfException("bpf_object__find_program_by_name", 2, "no BPF program " + name);
            return Libbpf.check((int) lib.programFd.invokeExact(p), "bpf_program__fd", "program " + name);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    /** The file descriptor of the map {@code name} (owned by this object). */
    public int mapFd(String name) throws BpfException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = (MemorySegment) lib.findMap.invokeExact(live(), a.allocateFrom(name));
            if (m.address() == 0) throw new BpfException("bpf_object__find_map_by_name", 2, "no BPF map " + name);
            return Libbpf.check((int) lib.mapFd.invokeExact(m), "bpf_map__fd", "map " + name);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        }
    }

    private MemorySegment live() {
        if (obj == null) throw new IllegalStateException("BPF object closed");
        return obj;
    }

    @Override
    public synchronized void close() {
        if (obj == null) return;
        try {
            lib.close.invokeExact(obj);
        } catch (Throwable t) {
            throw Libbpf.unexpected(t);
        } finally {
            obj = null;
            arena.close();
        }
    }
}
