package dev.siitdc.dataplane.fastpath;

import dev.siitdc.linux.bpf.BpfException;
import dev.siitdc.linux.bpf.BpfTc;

import java.util.ArrayList;
import java.util.List;

/**
 * The fast path attached to a relay's interfaces, and detached again by {@link #close}. Each point is a
 * tcx link where the kernel has tcx (6.6+: the kernel detaches it when the process dies), else a clsact
 * filter (detached by close and by the crash clean-up). A failure part-way detaches what was attached:
 * the interfaces are left as they were.
 */
public final class FastPathAttachment implements AutoCloseable {
    /** The tc filter handle and priority of the clsact fallback. */
    public static final int CLSACT_HANDLE = 0x5117dc, CLSACT_PRIORITY = 1;

    /** Where: an interface (ifindex, with its name for messages), a direction, and whether it has an Ethernet header. */
    public record Point(int ifindex, String name, BpfTc.Direction direction, boolean ethernet) {
        @Override
        public String toString() { return direction.name().toLowerCase(java.util.Locale.ROOT) + " of " + name; }
    }

    private record Attached(Point point, BpfTc.Link link, boolean createdClsact) {}

    private final List<Attached> attached = new ArrayList<>();

    private FastPathAttachment() {}

    /** Attaches the program to every point, in order. */
    public static FastPathAttachment attach(FastPath fp, List<Point> points) throws BpfException {
        FastPathAttachment a = new FastPathAttachment();
        try {
            for (Point p : points) a.attachOne(fp, p);
            return a;
        } catch (BpfException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private void attachOne(FastPath fp, Point p) throws BpfException {
        int prog = p.ethernet() ? fp.ethProgramFd() : fp.l3ProgramFd();
        try {
            attached.add(new Attached(p, BpfTc.attachTcx(prog, p.ifindex(), p.direction()), false));
        } catch (BpfException tcx) {
            // no tcx (kernel before 6.6): EINVAL for the unknown attach type
            if (tcx.errno() != 22 && tcx.errno() != 95 && tcx.errno() != 524) throw tcx;
            boolean created = BpfTc.attachClsact(prog, p.ifindex(), p.direction(), CLSACT_HANDLE, CLSACT_PRIORITY);
            attached.add(new Attached(p, null, created));
        }
    }

    /** One line: where and how the program is attached. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Attached a : attached) {
            if (!b.isEmpty()) b.append(", ");
            b.append(a.link() != null ? "tcx " : "clsact ").append(a.point());
        }
        return b.toString();
    }

    /** Detaches everything, last first; keeps going past a failure and rethrows the first. */
    @Override
    public synchronized void close() throws BpfException {
        BpfException first = null;
        for (int i = attached.size() - 1; i >= 0; i--) {
            Attached a = attached.get(i);
            try {
                if (a.link() != null) {
                    a.link().close();
                } else {
                    BpfTc.detachClsact(a.point().ifindex(), a.point().direction(), CLSACT_HANDLE, CLSACT_PRIORITY);
                    if (a.createdClsact()) BpfTc.destroyClsact(a.point().ifindex());
                }
            } catch (BpfException e) {
                if (first == null) first = e;
            }
        }
        attached.clear();
        if (first != null) throw first;
    }
}
