package dev.siitdc.dataplane.fastpath;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.dataplane.ServiceAddress;
import dev.siitdc.linux.bpf.Bpf;
import dev.siitdc.linux.bpf.BpfException;
import dev.siitdc.linux.bpf.BpfObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel fast path (issue 14): the tc BPF program shipped in this jar, loaded with libbpf, and its
 * maps filled from a core {@link TranslatorConfig}. The Java core stays the reference and the slow
 * path: the program translates the common case and punts the rest, unchanged, to the TUN.
 *
 * <p>Atomic updates: the maps exist in two generations; {@link #install} writes the one not in use and
 * then flips the generation index in entry 0 of {@code siit_settings}, one 4-byte write. A packet reads
 * that index once and uses only its generation, so it never sees half a table.
 */
public final class FastPath implements AutoCloseable {
    /** Where the Maven build puts the compiled object. */
    public static final String RESOURCE = "/dev/siitdc/dataplane/fastpath/siitdc_fastpath.bpf.o";
    /** The program for Ethernet devices and the one for devices without a link-layer header. */
    public static final String PROGRAM_ETH = "siitdc_fastpath_eth", PROGRAM_L3 = "siitdc_fastpath_l3";
    /** After a flip, the old generation is left alone this long before it is rewritten (in-flight packets). */
    private static final long GRACE_NANOS = 20_000_000L;
    private long graceNanos = GRACE_NANOS;

    private final BpfObject obj;
    private final int settingsFd, countersFd;
    private final int[] eam46Fd = new int[2], eam64Fd = new int[2], sa4Fd = new int[2], sa6Fd = new int[2];
    private final int ethFd, l3Fd;
    private final int cpus;
    /** The EAMs written to each generation, so that they can be deleted before it is rewritten. */
    @SuppressWarnings("unchecked")
    private final List<Eam>[] written = new List[] { new ArrayList<Eam>(), new ArrayList<Eam>() };
    private final FastPathFilter[] writtenFilter = { FastPathFilter.NONE, FastPathFilter.NONE };
    private int generation;
    private long flippedAt;
    private boolean installed;
    private long installs;

    private FastPath(BpfObject obj) throws BpfException {
        this.obj = obj;
        this.settingsFd = obj.mapFd("siit_settings");
        this.countersFd = obj.mapFd("siit_counters");
        for (int g = 0; g < 2; g++) {
            eam46Fd[g] = obj.mapFd("siit_eam46_" + g);
            eam64Fd[g] = obj.mapFd("siit_eam64_" + g);
            sa4Fd[g] = obj.mapFd("siit_sa4_" + g);
            sa6Fd[g] = obj.mapFd("siit_sa6_" + g);
        }
        this.ethFd = obj.programFd(PROGRAM_ETH);
        this.l3Fd = obj.programFd(PROGRAM_L3);
        this.cpus = Bpf.possibleCpus();
    }

    /** The object in this jar, or null when the build had no clang. */
    public static byte[] objectBytes() {
        try (InputStream in = FastPath.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** Why the fast path cannot be used here (one line), or null if it can be loaded. */
    public static String unavailableReason() {
        if (objectBytes() == null) return "not built: no clang";
        return BpfObject.unavailableReason();
    }

    /** Loads the program and its maps into the kernel (needs CAP_BPF and CAP_NET_ADMIN). */
    public static FastPath load() throws BpfException {
        byte[] elf = objectBytes();
        if (elf == null) throw new BpfException("load", 0, "fast path not built: no clang");
        BpfObject o = BpfObject.load(elf, "siitdc_fastpath");
        try {
            return new FastPath(o);
        } catch (BpfException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Tests only: a test run is synchronous, so no packet can still be using the old generation. */
    void graceNanos(long nanos) { this.graceNanos = nanos; }

    public int ethProgramFd() { return ethFd; }

    public int l3ProgramFd() { return l3Fd; }

    /** The generation packets use now. */
    public synchronized int generation() { return generation; }

    /** {@link #install(TranslatorConfig, List, boolean)} with the configuration's own EAMT. */
    public void install(TranslatorConfig config, boolean noForward) throws BpfException {
        install(config, config.eamt(), noForward);
    }

    /**
     * Writes the settings and the EAMT {@code eamt} into the generation not in use, then makes it the one
     * in use. {@code noForward}: translated packets are returned to the stack (TC_ACT_OK), not redirected.
     */
    public void install(TranslatorConfig config, List<Eam> eamt, boolean noForward) throws BpfException {
        install(config, eamt, FastPathFilter.NONE, noForward);
    }

    /** {@link #install(TranslatorConfig, List, boolean)} with an Edge Relay's RFC 7756 s6 filters. */
    public synchronized void install(TranslatorConfig config, List<Eam> eamt, FastPathFilter filter, boolean noForward)
            throws BpfException {
        int next = installed ? generation ^ 1 : 0;
        long since = System.nanoTime() - flippedAt;
        if (installed && since < graceNanos) {
            try {
                Thread.sleep((graceNanos - since) / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Eam e : written[next]) {
            Bpf.delete(eam46Fd[next], FastPathMaps.eam4Key(e));
            Bpf.delete(eam64Fd[next], FastPathMaps.eam6Key(e));
        }
        written[next].clear();
        for (ServiceAddress sa : writtenFilter[next].serviceAddresses()) {
            Bpf.delete(sa4Fd[next], FastPathMaps.sa4Key(sa.ipv4()));
            Bpf.delete(sa6Fd[next], sa.ipv6Bytes());
        }
        writtenFilter[next] = FastPathFilter.NONE;
        for (ServiceAddress sa : filter.serviceAddresses()) {
            Bpf.update(sa4Fd[next], FastPathMaps.sa4Key(sa.ipv4()), FastPathMaps.PRESENT);
            Bpf.update(sa6Fd[next], sa.ipv6Bytes(), FastPathMaps.PRESENT);
        }
        writtenFilter[next] = filter;
        for (Eam e : eamt) {
            Bpf.update(eam46Fd[next], FastPathMaps.eam4Key(e), FastPathMaps.eam4Value(e));
            Bpf.update(eam64Fd[next], FastPathMaps.eam6Key(e), FastPathMaps.eam6Value(e));
            written[next].add(e);
        }
        Bpf.update(settingsFd, intKey(1 + next), FastPathMaps.settings(config, noForward, filter));
        Bpf.update(settingsFd, intKey(0), FastPathMaps.control(next));    // the flip
        generation = next;
        flippedAt = System.nanoTime();
        installed = true;
        installs++;
    }

    /** How many times {@link #install} completed. */
    public synchronized long installs() { return installs; }

    /** The counters summed over the CPUs. */
    public Map<FastPathCounter, Long> counters() throws BpfException {
        Map<FastPathCounter, Long> m = new EnumMap<>(FastPathCounter.class);
        byte[] v = new byte[8 * cpus];
        for (FastPathCounter c : FastPathCounter.values()) {
            long sum = 0;
            if (Bpf.lookup(countersFd, intKey(c.ordinal()), v)) {
                ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
                for (int i = 0; i < cpus; i++) sum += b.getLong(8 * i);
            }
            m.put(c, sum);
        }
        return m;
    }

    /** Runs the Ethernet program once on {@code frame} with BPF_PROG_TEST_RUN. */
    public Bpf.TestRun testRun(byte[] frame) throws BpfException {
        return Bpf.testRun(ethFd, frame, frame.length + 256);
    }

    private static byte[] intKey(int k) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, k).array();
    }

    @Override
    public void close() {
        obj.close();
    }
}
