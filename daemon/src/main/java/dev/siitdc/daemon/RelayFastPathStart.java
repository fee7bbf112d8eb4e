package dev.siitdc.daemon;

import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.dataplane.fastpath.FastPath;
import dev.siitdc.dataplane.fastpath.FastPathAttachment;
import dev.siitdc.dataplane.fastpath.FastPathFilter;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.LogWriter;
import dev.siitdc.linux.Cleanup;
import dev.siitdc.linux.LinkInfo;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Rtnetlink;
import dev.siitdc.linux.bpf.BpfException;
import dev.siitdc.linux.bpf.BpfTc;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up of the Border Relay's kernel fast path (RFC 7755 forwarding, in tc): load the program, fill its
 * maps from the running configuration, attach it to the ingress of {@code fast-path-interfaces}. Done after
 * the TUN and its routes, so that what the program punts meets a working slow path. Its undo (detach, then
 * unload) goes on the start-up's {@link Cleanup}, so stop and a failed start-up leave nothing attached.
 */
final class RelayFastPathStart {
    private RelayFastPathStart() {}

    /**
     * The fast path in use, or null (off, no interfaces, or auto and it could not be had: said in one line).
     *
     * @throws StartupException with fast-path = "ebpf", when it cannot be loaded or attached (its reason)
     */
    static FastPath start(RelayConfig rc, TranslatorConfig tc, Rtnetlink rtnl, Cleanup undo, PrintWriter err)
            throws StartupException {
        RelayFastPath cfg = rc.fastPath();
        if (!cfg.wanted()) return null;
        List<FastPathAttachment.Point> points = new ArrayList<>();
        for (int i = 0; i < cfg.interfaces().size(); i++) {
            String name = cfg.interfaces().get(i);
            try {
                LinkInfo link = rtnl.link(name);
                points.add(new FastPathAttachment.Point(link.index(), name, BpfTc.Direction.INGRESS,
                        link.mac().length == 6));
            } catch (LinuxException e) {
                throw new StartupException("fast-path-interfaces[" + i + "]", "no interface " + name
                        + " in this network namespace: " + e.getMessage(), e);
            }
        }
        String reason = FastPath.unavailableReason();
        if (reason != null) return unavailable(cfg, reason, err, null);
        FastPath fp;
        try {
            fp = FastPath.load();
        } catch (BpfException e) {
            return unavailable(cfg, "cannot load: " + e.getMessage(), err, e);
        }
        undo.push("unload the fast path", fp::close);
        try {
            fp.install(tc, tc.eamt(), FastPathFilter.NONE, false);
            FastPathAttachment a = FastPathAttachment.attach(fp, points);
            undo.push("detach the fast path (" + a.describe() + ")", a::close);
            LogWriter.log(err, Level.NOTICE, "siitdc: fast path: " + a.describe());
            return fp;
        } catch (BpfException e) {
            try {
                fp.close();   // the undo entry closes it again: BpfObject.close is idempotent
            } catch (RuntimeException ignored) {
                // reported by the undo
            }
            return unavailable(cfg, "cannot attach: " + e.getMessage(), err, e);
        }
    }

    /**
     * Writes {@code c} into the fast path's maps (SIGHUP, control socket, eamt apply): the generation flip
     * makes it atomic. A failure leaves the previous maps in force: said on {@code err}.
     */
    static void follow(FastPath fp, TranslatorConfig c, PrintWriter err) {
        try {
            fp.install(c, c.eamt(), FastPathFilter.NONE, false);
        } catch (BpfException | RuntimeException e) {
            LogWriter.log(err, Level.ERROR, "siitdc: error: the fast path keeps its previous configuration: "
                    + e.getMessage());
        }
    }

    private static FastPath unavailable(RelayFastPath cfg, String reason, PrintWriter err, Exception cause)
            throws StartupException {
        if (cfg.mode() == RelayFastPath.Mode.EBPF)
            throw new StartupException("fast-path", "\"ebpf\": fast path unavailable: " + reason, cause);
        LogWriter.log(err, Level.WARNING, "siitdc: warning: fast path unavailable, every packet takes the TUN: " + reason);
        return null;
    }
}
