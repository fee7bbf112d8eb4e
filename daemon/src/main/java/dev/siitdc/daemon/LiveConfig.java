package dev.siitdc.daemon;

import dev.siitdc.dataplane.Role;
import dev.siitdc.dataplane.ServiceAddress;

import static dev.siitdc.linux.Rtnetlink.AF_INET;
import static dev.siitdc.linux.Rtnetlink.AF_INET6;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.core.addr.Ipv6Prefix;
import dev.siitdc.core.config.ConfigException;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.core.eam.Eam;
import dev.siitdc.core.eam.EamDiff;
import dev.siitdc.core.eam.EamTable;
import dev.siitdc.core.eam.Ipv4Cover;
import dev.siitdc.core.xlat.Settings;
import dev.siitdc.core.xlat.SettingsRef;
import dev.siitdc.daemon.config.ConfigSchema;
import dev.siitdc.linux.Errno;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Route;
import dev.siitdc.linux.Rtnetlink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The running relay's translator configuration, changed while packets flow: EAMs added and removed one
 * at a time ({@code siitdc eamt}), {@code [translator]} keys updated ({@code siitdc global update}) and the
 * whole {@code [translator]}/{@code [[eamt]]} replaced (SIGHUP). Every change builds a new {@link Settings}
 * (a new {@link EamTable}) off the packet path and publishes it with one volatile write
 * ({@link SettingsRef#set}): each packet is translated entirely with the old or entirely with the new
 * configuration, and flows the change does not touch see no difference.
 *
 * <p>The kernel follows, as start-up left it ({@link NetworkSetup}): on a Border Relay each EAM's IPv4 prefix
 * and pool6 are routed into the TUN (new routes are added before the swap, routes no longer needed are
 * deleted after it); the TUN's MTU is max(ipv6-mtu, ipv4-mtu + 20); an Edge Relay's IPv4 default route has
 * the MTU lowest-ipv6-mtu - 20 (replaced in place, never missing); own-ipv4-address (a Border Relay's) and
 * own-ipv6-address are routed into the TUN unless the node holds them, and an Edge Relay with an upstream
 * interface answers neighbour solicitations for its own-ipv6-address there (proxy NDP): a change of either
 * moves them (the new ones before the swap, the old ones deleted after it). Routes added at run time need no
 * undo entry: the kernel deletes them with the TUN at stop; a proxy entry gets one, and a line in the state
 * file.
 *
 * <p>What cannot change without a restart is refused: the EAM of an Edge Relay's local Service Address
 * (removing it, or changing its IPv6 Service Address, would cut the node off: its address, routes and
 * proxy NDP entry are set up at start). Changes are serialized (the methods are synchronized); every
 * change either happens entirely or not at all (the kernel changes made for it are rolled back).
 */
public final class LiveConfig {
    /** What a change did. */
    public record Change(List<String> keys, int eamsAdded, int eamsRemoved, int eamCount, List<String> warnings) {
        public Change {
            keys = List.copyOf(keys);
            warnings = List.copyOf(warnings);
        }

        /** Whether nothing changed. */
        public boolean none() {
            return keys.isEmpty() && eamsAdded == 0 && eamsRemoved == 0;
        }

        /** One line: "ipv4-mtu 1500 -> 1400; EAMT: 2 added, 1 removed, 12 EAMs". */
        public String describe() {
            if (none()) {
                return "no change (" + eams(eamCount) + ")";
            }
            StringBuilder sb = new StringBuilder(String.join(", ", keys));
            if (eamsAdded != 0 || eamsRemoved != 0) {
                if (!sb.isEmpty()) {
                    sb.append("; ");
                }
                sb.append("EAMT: ").append(eamsAdded).append(" added, ").append(eamsRemoved).append(" removed, ")
                        .append(eams(eamCount));
            }
            return sb.toString();
        }
    }

    /** An edit of the whole configuration (for {@link #edit}). */
    @FunctionalInterface
    public interface Edit {
        /** The configuration to run instead of {@code current}, or a refusal. */
        TranslatorConfig apply(TranslatorConfig current) throws LiveConfigException;
    }

    /** A prefix routed into the TUN: as netlink takes it (family, network address, length) and as text. */
    record TunRoute(int family, byte[] address, int length, String text) {
        static TunRoute of(Ipv4Prefix p) {
            byte[] b = new byte[4];
            Ipv4Prefix.write(p.address(), b, 0);
            return new TunRoute(AF_INET, b, p.length(), p.toString());
        }

        static TunRoute of(Ipv6Prefix p) {
            byte[] b = new byte[16];
            Ipv6Prefix.write(p.hi(), p.lo(), b, 0);
            return new TunRoute(AF_INET6, b, p.length(), p.toString());
        }
    }

    /** The kernel side of the changes (a fake in tests). */
    interface Kernel {
        void addRoute(TunRoute r) throws LinuxException;

        void deleteRoute(TunRoute r) throws LinuxException;

        void setTunMtu(int mtu) throws LinuxException;

        void setIpv4DefaultRouteMtu(int mtu) throws LinuxException;

        /** Whether an interface of the node holds {@code address} (4 or 16 bytes). */
        default boolean isLocal(byte[] address) throws LinuxException {
            return false;
        }

        /** Answers neighbour solicitations for {@code a} (a /128) on the upstream interface, if there is one. */
        default void addProxy(Ipv6Prefix a) throws LinuxException {
        }

        default void deleteProxy(Ipv6Prefix a) throws LinuxException {
        }

        void close();
    }

    private final Role role;
    private final String tunName;
    private final List<ServiceAddress> serviceAddresses;
    /** The own-ipv6-address start-up found (an Edge Relay's upstream address), or null. */
    private final Ipv6Prefix detectedOwnIpv6;
    private final SettingsRef ref;
    private final Kernel kernel;
    /** The configuration in force, except for its EAMT, which the table of {@link #ref} holds. */
    private TranslatorConfig base;
    /** own-ipv4-address / own-ipv6-address as routed into the TUN now, or null (unset, or the node holds it). */
    private Ipv4Prefix ownRoute4;
    private Ipv6Prefix ownRoute6;
    /**
     * A Border Relay's routes into the TUN for the EAMs' IPv4 prefixes, as they are in the kernel: their union is
     * always the union of the EAMs' IPv4 prefixes. One route per EAM (a reload, {@code eamt add}), or, after start-up
     * and {@link #applyEams}, the fewest that cover them ({@link Ipv4Cover}; {@link #covered} when they differ).
     */
    private Set<Ipv4Prefix> routed4 = new HashSet<>();
    private boolean covered;
    private boolean closed;

    LiveConfig(Role role, String tunName, List<ServiceAddress> serviceAddresses, Ipv6Prefix detectedOwnIpv6,
            SettingsRef ref, Kernel kernel) {
        this(role, tunName, serviceAddresses, detectedOwnIpv6, ref, kernel, null, null);
    }

    /** With the own addresses start-up routed into the TUN ({@code ownRoute4}, {@code ownRoute6}, or null). */
    LiveConfig(Role role, String tunName, List<ServiceAddress> serviceAddresses, Ipv6Prefix detectedOwnIpv6,
            SettingsRef ref, Kernel kernel, Ipv4Prefix ownRoute4, Ipv6Prefix ownRoute6) {
        this(role, tunName, serviceAddresses, detectedOwnIpv6, ref, kernel, ownRoute4, ownRoute6, null);
    }

    /**
     * With the routes start-up made for the EAMs' IPv4 prefixes ({@code eamRoutes4}, their union that of the
     * EAMs' IPv4 prefixes; null: one route per EAM), so that later changes keep the kernel exact.
     */
    LiveConfig(Role role, String tunName, List<ServiceAddress> serviceAddresses, Ipv6Prefix detectedOwnIpv6,
            SettingsRef ref, Kernel kernel, Ipv4Prefix ownRoute4, Ipv6Prefix ownRoute6,
            java.util.Collection<Ipv4Prefix> eamRoutes4) {
        this.ownRoute4 = ownRoute4;
        this.ownRoute6 = ownRoute6;
        this.role = role;
        this.tunName = tunName;
        this.serviceAddresses = List.copyOf(serviceAddresses);
        this.detectedOwnIpv6 = detectedOwnIpv6;
        this.ref = ref;
        this.kernel = kernel;
        this.base = ref.get().config();
        if (role == Role.BORDER_RELAY) {
            if (eamRoutes4 == null) {
                ref.get().eamTable().entries().forEach(e -> routed4.add(e.ipv4()));
            } else {
                routed4.addAll(eamRoutes4);
                covered = routed4.size() != ref.get().eamTable().size();
            }
        }
    }

    /** The live configuration of a started relay, changing the kernel through its own netlink socket. */
    static LiveConfig of(RelayConfig rc, List<ServiceAddress> sas, NetworkSetup.Done setup, Ipv6Prefix detectedOwnIpv6,
            SettingsRef ref, dev.siitdc.linux.Cleanup undo, StateFile state) {
        return new LiveConfig(rc.role(), rc.tunName(), sas, detectedOwnIpv6, ref,
                new NetlinkKernel(setup.tun().ifindex(), setup.ndp(), undo, state), setup.ownRoute4(), setup.ownRoute6(),
                setup.eamRoutes4());
    }

    /** Called with the configuration in force after each change (the fast path's maps follow it), or null. */
    private java.util.function.Consumer<TranslatorConfig> onChange;

    /** Sets {@link #onChange}: called under this object's lock, after the workers' settings changed. */
    synchronized void onChange(java.util.function.Consumer<TranslatorConfig> listener) {
        this.onChange = listener;
    }

    /** Puts {@code s} in force for the workers, then tells {@link #onChange}. */
    private void publish(Settings s) {
        ref.set(s);
        if (onChange != null) onChange.accept(config());
    }

    // ---------------------------------------------------------------- reading

    /** The configuration in force, EAMT included. */
    public synchronized TranslatorConfig config() {
        Settings s = ref.get();
        TranslatorConfig.Builder b = base.toBuilder();
        b.eamt = s.eamTable().entries();
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new IllegalStateException("the running configuration is not valid: " + e.getMessage(), e);
        }
    }

    /** The EAMs in force, in insertion order. */
    public List<Eam> eams() {
        return ref.get().eamTable().entries();
    }

    public Role role() {
        return role;
    }

    public String tunName() {
        return tunName;
    }

    public List<ServiceAddress> serviceAddresses() {
        return serviceAddresses;
    }

    // ---------------------------------------------------------------- EAMs

    /**
     * Adds one EAM (a Border Relay routes its IPv4 prefix into the TUN first).
     *
     * @throws LiveConfigException REFUSED for an EAM that exists already, or whose IPv4 or IPv6 prefix
     *         another EAM has (overlapping but different prefixes are fine), or whose route the kernel
     *         has already
     */
    public synchronized Change addEam(Eam e) throws LiveConfigException {
        checkOpen();
        checkNew(e, ref.get().eamTable().exact4(e.ipv4()), ref.get().eamTable().exact6(e.ipv6()));
        Settings s = ref.get();
        EamTable table;
        try {
            table = s.eamTable().with(e);
        } catch (IllegalArgumentException ex) {
            throw LiveConfigException.refused(ex.getMessage());
        }
        // The rules of a file apply to an added EAM too (TranslatorConfig.Builder#build, as check-config).
        TranslatorConfig.Builder check = base.toBuilder();
        check.eamt = table.entries();
        try {
            check.build();
        } catch (ConfigException ex) {
            throw LiveConfigException.refused("EAM " + e + ": " + ex.reason());
        }
        boolean routed = role == Role.BORDER_RELAY && !routed4.contains(e.ipv4());
        if (routed) {
            addRoute4(e.ipv4(), "EAM " + e);
            routed4.add(e.ipv4());
        }
        publish(s.withEamTable(table));
        return new Change(List.of(), 1, 0, table.size(), List.of());
    }

    /**
     * Removes the EAM whose IPv4 prefix is {@code v4} and/or whose IPv6 prefix is {@code v6} (exactly: a
     * bare address is a /32 or a /128); when both are given, they must be the same EAM's.
     *
     * @throws LiveConfigException REFUSED when no such EAM exists, when it is the EAM of an Edge Relay's
     *         local Service Address, or when it is the last EAM and pool6 is unset
     */
    public synchronized Change removeEam(Ipv4Prefix v4, Ipv6Prefix v6) throws LiveConfigException {
        checkOpen();
        if (v4 == null && v6 == null) {
            throw new IllegalArgumentException("no prefix");
        }
        Eam e4 = v4 == null ? null : ref.get().eamTable().exact4(v4), e6 = v6 == null ? null : ref.get().eamTable().exact6(v6);
        if (v4 != null && e4 == null) {
            throw LiveConfigException.refused("no EAM has the IPv4 prefix " + v4);
        }
        if (v6 != null && e6 == null) {
            throw LiveConfigException.refused("no EAM has the IPv6 prefix " + v6);
        }
        if (e4 != null && e6 != null && !e4.equals(e6)) {
            throw LiveConfigException.refused(v4 + " and " + v6 + " belong to two different EAMs: " + e4 + " and " + e6);
        }
        Eam e = e4 != null ? e4 : e6;
        ServiceAddress sa = serviceAddressOf(e);
        if (sa != null) {
            throw LiveConfigException.refused("EAM " + e + " is the one of this Edge Relay's Service Address "
                    + Ipv4Prefix.format(sa.ipv4()) + " ([relay] service-addresses): the node would lose its IPv4"
                    + " connectivity, so it cannot be removed while siitdc runs (remove the Service Address from the"
                    + " configuration file and restart)");
        }
        Settings s = ref.get();
        if (s.eamTable().size() == 1 && base.pool6() == null) {
            throw LiveConfigException.refused("EAM " + e + " is the last one and pool6 is unset: at least one of pool6"
                    + " and [[eamt]] must be present");
        }
        EamTable table = s.eamTable().without(e);
        List<String> warnings = new ArrayList<>();
        // Routes covering several EAMs (after eamt apply): the smaller cover is routed first, then the rest goes.
        Set<Ipv4Prefix> cover = role == Role.BORDER_RELAY && covered ? coverOf(table.entries()) : null;
        if (cover != null) {
            routeFirst(cover, warnings);
        }
        publish(s.withEamTable(table));
        if (cover != null) {
            retireRoutes4(cover, warnings);
        } else if (role == Role.BORDER_RELAY && routed4.remove(e.ipv4())) {
            deleteRoute4(e.ipv4(), warnings);
        }
        return new Change(List.of(), 0, 1, table.size(), warnings);
    }

    /**
     * Removes every EAM; an Edge Relay keeps those of its local Service Addresses (said in a warning).
     *
     * @throws LiveConfigException REFUSED when pool6 is unset (nothing would be left to translate with)
     */
    public synchronized Change flushEams() throws LiveConfigException {
        checkOpen();
        Settings s = ref.get();
        List<Eam> kept = new ArrayList<>(), gone = new ArrayList<>();
        for (Eam e : s.eamTable().entries()) {
            (serviceAddressOf(e) != null ? kept : gone).add(e);
        }
        if (gone.isEmpty()) {
            return new Change(List.of(), 0, 0, kept.size(), keptWarning(kept));
        }
        if (kept.isEmpty() && base.pool6() == null) {
            throw LiveConfigException.refused("pool6 is unset: at least one of pool6 and [[eamt]] must be present, so"
                    + " the EAMT cannot be emptied");
        }
        EamTable table = EamTable.of(kept);
        List<String> warnings = new ArrayList<>(keptWarning(kept));
        Set<Ipv4Prefix> target = new HashSet<>();
        kept.forEach(e -> target.add(e.ipv4()));
        if (role == Role.BORDER_RELAY) {
            routeFirst(target, warnings);   // after eamt apply, the kept EAMs' own routes, before the cover goes
        }
        publish(s.withEamTable(table));
        if (role == Role.BORDER_RELAY) {
            retireRoutes4(target, warnings);
        }
        return new Change(List.of(), 0, gone.size(), table.size(), warnings);
    }

    /** What {@link #applyEams} found, and did unless it was a dry run ({@code change} null then). */
    public record Applied(EamDiff diff, int eamCount, Change change) {
    }

    /**
     * Replaces the whole EAMT with {@code eams} ({@code siitdc eamt apply}), or adds them all to it
     * ({@code add}: {@code siitdc eamt add --file}), as one swap: everything is checked first (each entry as
     * {@link #addEam} and a configuration file's {@code [[eamt]]} would be, the table as a whole, the Edge
     * Relay's Service Addresses), then the routes a Border Relay needs are added, the table published with one
     * volatile write, and the routes no longer needed deleted. All or nothing; a dry run checks and changes
     * nothing.
     *
     * @throws LiveConfigException REFUSED for an entry or a table that cannot be (nothing changed); FAILED when
     *         the kernel refuses a route (all undone)
     */
    public synchronized Applied applyEams(List<Eam> eams, boolean add, boolean dryRun) throws LiveConfigException {
        checkOpen();
        List<Eam> running = ref.get().eamTable().entries();
        List<Eam> next;
        if (add) {
            Map<Ipv4Prefix, Eam> staged4 = new HashMap<>();
            Map<Ipv6Prefix, Eam> staged6 = new HashMap<>();
            for (Eam e : eams) {
                checkNew(e, ref.get().eamTable().exact4(e.ipv4()), ref.get().eamTable().exact6(e.ipv6()));
                checkNew(e, staged4.putIfAbsent(e.ipv4(), e), staged6.putIfAbsent(e.ipv6(), e));
            }
            next = new ArrayList<>(running.size() + eams.size());
            next.addAll(running);
            next.addAll(eams);
        } else {
            next = List.copyOf(eams);
        }
        EamDiff diff;
        try {
            diff = EamDiff.of(running, next);
        } catch (IllegalArgumentException e) {
            throw LiveConfigException.refused("eamt: " + e.getMessage());
        }
        EamTable table;
        try {
            table = EamTable.of(next);
        } catch (IllegalArgumentException e) {
            throw LiveConfigException.refused("eamt: " + e.getMessage());
        }
        TranslatorConfig.Builder b = base.toBuilder();
        b.eamt = next;
        try {
            b.build();
        } catch (ConfigException e) {
            String which = e.eamIndex() >= 0 && e.eamIndex() < next.size() ? "EAM " + next.get(e.eamIndex()) + ": " : "";
            throw LiveConfigException.refused("eamt: " + which + e.reason());
        }
        checkServiceAddresses(table);
        if (dryRun || diff.none()) {
            return new Applied(diff, table.size(), null);
        }
        // Kernel: a Border Relay routes the fewest prefixes that cover the new table's IPv4 prefixes into the TUN
        // (RFC 7755 s4; 100,000 contiguous /32s are a handful of routes, where one route each would take seconds):
        // the new ones before the swap (rolled back if one fails), the ones no longer needed deleted after it.
        // Only the EAMT changes, so nothing else moves.
        List<String> warnings = new ArrayList<>();
        Set<Ipv4Prefix> target = role == Role.BORDER_RELAY ? coverOf(next) : Set.of();
        if (role == Role.BORDER_RELAY) {
            routeFirst(target, warnings);
        }
        Settings s = ref.get();
        publish(s.withEamTable(table));
        if (role == Role.BORDER_RELAY) {
            retireRoutes4(target, warnings);
        }
        Change c = new Change(List.of(), diff.added().size() + diff.changed().size(),
                diff.removed().size() + diff.changed().size(), table.size(), warnings);
        return new Applied(diff, c.eamCount(), c);
    }

    /** The fewest IPv4 prefixes that cover the IPv4 prefixes of {@code eams} ({@link Ipv4Cover}). */
    private static Set<Ipv4Prefix> coverOf(List<Eam> eams) {
        List<Ipv4Prefix> p = new ArrayList<>(eams.size());
        for (Eam e : eams) p.add(e.ipv4());
        return new LinkedHashSet<>(Ipv4Cover.of(p));
    }

    /** Routes the prefixes of {@code target} that are not routed yet; if one fails, those added are deleted again. */
    private void routeFirst(Set<Ipv4Prefix> target, List<String> warnings) throws LiveConfigException {
        List<Ipv4Prefix> added = new ArrayList<>();
        try {
            for (Ipv4Prefix p : target) {
                if (!routed4.contains(p)) {
                    addRoute4(p, "the EAM IPv4 prefixes in " + p);
                    added.add(p);
                }
            }
        } catch (LiveConfigException e) {
            for (int i = added.size() - 1; i >= 0; i--) deleteRoute4(added.get(i), warnings);
            throw e;
        }
        routed4.addAll(added);
    }

    /** After a swap: deletes the routes that {@code target} (now all routed) does not hold, and keeps {@code target}. */
    private void retireRoutes4(Set<Ipv4Prefix> target, List<String> warnings) {
        for (Ipv4Prefix p : routed4) {
            if (!target.contains(p)) deleteRoute4(p, warnings);
        }
        routed4 = new HashSet<>(target);
        int eams = ref.get().eamTable().size();
        covered = target.size() != eams;
    }

    /** Refuses {@code e} when another EAM has its IPv4 prefix ({@code same4}) or its IPv6 prefix ({@code same6}). */
    private static void checkNew(Eam e, Eam same4, Eam same6) throws LiveConfigException {
        if (e.equals(same4)) {
            throw LiveConfigException.refused("EAM " + e + " already exists");
        }
        if (same4 != null) {
            throw LiveConfigException.refused("the IPv4 prefix " + e.ipv4() + " is already mapped by the EAM " + same4
                    + " (remove that one first)");
        }
        if (same6 != null) {
            throw LiveConfigException.refused("the IPv6 prefix " + e.ipv6() + " is already mapped by the EAM " + same6
                    + " (remove that one first)");
        }
    }

    private static List<String> keptWarning(List<Eam> kept) {
        return kept.isEmpty() ? List.of() : List.of("kept " + eams(kept.size()) + " of this Edge Relay's Service"
                + " Addresses (they cannot be removed while siitdc runs)");
    }

    // ---------------------------------------------------------------- whole configuration

    /**
     * Replaces the whole configuration with what {@code edit} makes of the current one ({@code global update},
     * a reload). An own-ipv6-address start-up found is kept when the new configuration has none.
     *
     * @throws LiveConfigException REFUSED when the edit refuses, or the new EAMT changes (or drops) the EAM of
     *         an Edge Relay's Service Address, or a route it needs exists already; FAILED when the kernel
     *         refuses another change (all undone)
     */
    public synchronized Change edit(Edit edit) throws LiveConfigException {
        checkOpen();
        TranslatorConfig old = config();
        TranslatorConfig next = Objects.requireNonNull(edit.apply(old), "edit");
        if (next.ownIpv6Address() == null && detectedOwnIpv6 != null) {
            TranslatorConfig.Builder b = next.toBuilder();
            b.ownIpv6Address = detectedOwnIpv6;
            try {
                next = b.build();
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }
        EamTable table;
        try {
            table = EamTable.of(next.eamt());
        } catch (IllegalArgumentException e) {
            throw LiveConfigException.refused("eamt: " + e.getMessage());
        }
        checkServiceAddresses(table);

        // Kernel: what is added before the swap is rolled back if anything fails.
        List<String> warnings = new ArrayList<>();
        List<Runnable> rollback = new ArrayList<>();
        Ipv4Prefix new4 = ownRoute4;
        Ipv6Prefix new6 = ownRoute6;
        Set<Ipv4Prefix> newRoutes = new LinkedHashSet<>();
        int added = 0, removed = 0;
        Set<Eam> oldEams = new LinkedHashSet<>(old.eamt()), newEams = new LinkedHashSet<>(next.eamt());
        for (Eam e : newEams) {
            if (!oldEams.contains(e)) {
                added++;
            }
        }
        for (Eam e : oldEams) {
            if (!newEams.contains(e)) {
                removed++;
            }
        }
        try {
            if (role == Role.BORDER_RELAY) {
                next.eamt().forEach(e -> newRoutes.add(e.ipv4()));
                for (Ipv4Prefix p : newRoutes) {
                    if (!routed4.contains(p)) {
                        addRoute4(p, "EAM " + table.find4(p.address()));
                        rollback.add(() -> deleteRoute4(p, warnings));
                    }
                }
                Ipv6Prefix p6 = next.pool6();
                if (p6 != null && !p6.equals(old.pool6())) {
                    addRoute6(p6, "pool6 " + p6);
                    rollback.add(() -> deleteRoute6(p6, warnings));
                }
                if (!Objects.equals(old.ownIpv4Address(), next.ownIpv4Address())) {
                    new4 = routed4(next.ownIpv4Address());
                    if (new4 != null) {
                        Ipv4Prefix p = new4;
                        addRoute4(p, "own-ipv4-address " + Ipv4Prefix.format(p.address()));
                        rollback.add(() -> deleteRoute4(p, warnings));
                    }
                }
            }
            if (!Objects.equals(old.ownIpv6Address(), next.ownIpv6Address())) {
                new6 = routed6(next.ownIpv6Address());
                if (new6 != null) {
                    Ipv6Prefix p = new6;
                    addRoute6(p, "own-ipv6-address " + Ipv6Prefix.format(p.hi(), p.lo()));
                    rollback.add(() -> deleteRoute6(p, warnings));
                    if (role == Role.EDGE_RELAY) {
                        kernelStep("answer neighbour solicitations for own-ipv6-address " + Ipv6Prefix.format(p.hi(), p.lo()),
                                () -> kernel.addProxy(p));
                        rollback.add(() -> quietly(warnings, "delete the proxy NDP entry of " + p, () -> kernel.deleteProxy(p)));
                    }
                }
            }
            int oldMtu = RelayMtu.tun(old), newMtu = RelayMtu.tun(next);
            if (oldMtu != newMtu) {
                kernelStep("set the MTU of " + tunName + " to " + newMtu, () -> kernel.setTunMtu(newMtu));
                rollback.add(() -> quietly(warnings, "restore the MTU of " + tunName, () -> kernel.setTunMtu(oldMtu)));
            }
            if (role == Role.EDGE_RELAY) {
                int oldRoute = RelayMtu.edgeIpv4Route(old), newRoute = RelayMtu.edgeIpv4Route(next);
                if (oldRoute != newRoute) {
                    kernelStep("set the MTU of the IPv4 default route to " + newRoute,
                            () -> kernel.setIpv4DefaultRouteMtu(newRoute));
                    rollback.add(() -> quietly(warnings, "restore the MTU of the IPv4 default route",
                            () -> kernel.setIpv4DefaultRouteMtu(oldRoute)));
                }
            }
        } catch (LiveConfigException e) {
            for (int i = rollback.size() - 1; i >= 0; i--) {
                rollback.get(i).run();
            }
            throw e;
        }

        Settings compiled = Settings.compile(next);
        base = next;        // first: publish tells the fast path config(), which reads base
        publish(compiled);

        if (role == Role.BORDER_RELAY) {
            retireRoutes4(newRoutes, warnings);
            if (old.pool6() != null && !old.pool6().equals(next.pool6())) {
                deleteRoute6(old.pool6(), warnings);
            }
        }
        if (ownRoute4 != null && !ownRoute4.equals(new4)) {
            deleteRoute4(ownRoute4, warnings);
        }
        if (ownRoute6 != null && !ownRoute6.equals(new6)) {
            Ipv6Prefix p = ownRoute6;
            deleteRoute6(p, warnings);
            if (role == Role.EDGE_RELAY) {
                quietly(warnings, "delete the proxy NDP entry of " + p, () -> kernel.deleteProxy(p));
            }
        }
        ownRoute4 = new4;
        ownRoute6 = new6;
        List<String> keys = new ArrayList<>();
        for (ConfigSchema.Key k : ConfigSchema.TRANSLATOR) {
            String b = k.toml(old), a = k.toml(next);
            if (!Objects.equals(b, a)) {
                keys.add(k.name() + " " + (b == null ? "(unset)" : b) + " -> " + (a == null ? "(unset)" : a));
            }
        }
        return new Change(keys, added, removed, table.size(), warnings);
    }

    /** Refuses a table that drops or changes the EAM of an Edge Relay's local Service Address. */
    private void checkServiceAddresses(EamTable table) throws LiveConfigException {
        for (ServiceAddress sa : serviceAddresses) {
            String a = Ipv4Prefix.format(sa.ipv4());
            ServiceAddress now;
            try {
                now = ServiceAddress.resolve(sa.ipv4(), table);
            } catch (IllegalArgumentException e) {
                throw LiveConfigException.refused("eamt: the Service Address " + e.getMessage()
                        + "; it cannot lose its EAM while siitdc runs");
            }
            if (!now.equals(sa)) {
                throw LiveConfigException.refused("eamt: the IPv6 Service Address of " + a + " would change from "
                        + Ipv6Prefix.format(sa.ipv6().hi(), sa.ipv6().lo()) + " to "
                        + Ipv6Prefix.format(now.ipv6().hi(), now.ipv6().lo()) + ": that needs a restart");
            }
        }
    }

    /** Stops accepting changes and closes the netlink socket. Idempotent. */
    public synchronized void close() {
        if (!closed) {
            closed = true;
            kernel.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** {@code own} (own-ipv4-address) as a /32 to route into the TUN; null when unset or the node holds it. */
    private Ipv4Prefix routed4(Integer own) throws LiveConfigException {
        if (own == null) {
            return null;
        }
        byte[] b = new byte[4];
        Ipv4Prefix.write(own, b, 0);
        return local(b) ? null : new Ipv4Prefix(own, 32);
    }

    /** {@code own} (own-ipv6-address) as a /128 to route into the TUN; null when unset or the node holds it. */
    private Ipv6Prefix routed6(Ipv6Prefix own) throws LiveConfigException {
        if (own == null) {
            return null;
        }
        byte[] b = new byte[16];
        Ipv6Prefix.write(own.hi(), own.lo(), b, 0);
        return local(b) ? null : new Ipv6Prefix(own.hi(), own.lo(), 128);
    }

    private boolean local(byte[] address) throws LiveConfigException {
        try {
            return kernel.isLocal(address);
        } catch (LinuxException e) {
            throw new LiveConfigException(LiveConfigException.Kind.FAILED, "cannot list the node's addresses: "
                    + e.getMessage(), e);
        }
    }

    private void checkOpen() throws LiveConfigException {
        if (closed) {
            throw new LiveConfigException(LiveConfigException.Kind.FAILED, "the daemon is stopping");
        }
    }

    /** The local Service Address whose EAM {@code e} is, or null. */
    private ServiceAddress serviceAddressOf(Eam e) {
        for (ServiceAddress sa : serviceAddresses) {
            if (e.ipv4().length() == 32 && e.ipv4().address() == sa.ipv4() && e.ipv6().equals(sa.ipv6())) {
                return sa;
            }
        }
        return null;
    }

    private interface Step {
        void run() throws LinuxException;
    }

    private void kernelStep(String what, Step step) throws LiveConfigException {
        try {
            step.run();
        } catch (LinuxException e) {
            throw new LiveConfigException(LiveConfigException.Kind.FAILED, "cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private void addRoute4(Ipv4Prefix p, String what) throws LiveConfigException {
        addRoute(TunRoute.of(p), what);
    }

    private void addRoute6(Ipv6Prefix p, String what) throws LiveConfigException {
        addRoute(TunRoute.of(p), what);
    }

    private void addRoute(TunRoute r, String what) throws LiveConfigException {
        String prefix = r.text();
        try {
            kernel.addRoute(r);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EEXIST) {
                throw LiveConfigException.refused("cannot route " + what + " into " + tunName + ": the kernel has a"
                        + " route to " + prefix + " already (ip route show " + prefix + ")");
            }
            throw new LiveConfigException(LiveConfigException.Kind.FAILED, "cannot route " + what + " into " + tunName
                    + ": " + e.getMessage(), e);
        }
    }

    private void deleteRoute4(Ipv4Prefix p, List<String> warnings) {
        deleteRoute(TunRoute.of(p), warnings);
    }

    private void deleteRoute6(Ipv6Prefix p, List<String> warnings) {
        deleteRoute(TunRoute.of(p), warnings);
    }

    private void deleteRoute(TunRoute r, List<String> warnings) {
        quietly(warnings, "delete the route to " + r.text(), () -> kernel.deleteRoute(r));
    }

    /** Runs a clean-up step; "already gone" is fine, another failure becomes a warning. */
    private static void quietly(List<String> warnings, String what, Step step) {
        try {
            step.run();
        } catch (LinuxException e) {
            int n = e.errno();
            if (n != Errno.ESRCH && n != Errno.ENOENT && n != Errno.ENODEV && n != Errno.EADDRNOTAVAIL) {
                warnings.add("could not " + what + ": " + e.getMessage());
            }
        }
    }

    private static String eams(int n) {
        return n + (n == 1 ? " EAM" : " EAMs");
    }

    /** The kernel through a netlink socket of its own, opened on first use. */
    private static final class NetlinkKernel implements Kernel {
        private final int ifx;
        /** Where proxy NDP answers (an Edge Relay's upstream interface or bridge), or null. */
        private final dev.siitdc.linux.LinkInfo ndp;
        private final dev.siitdc.linux.Cleanup undo;
        private final StateFile state;
        private Rtnetlink rtnl;

        NetlinkKernel(int ifx, dev.siitdc.linux.LinkInfo ndp, dev.siitdc.linux.Cleanup undo, StateFile state) {
            this.ifx = ifx;
            this.ndp = ndp;
            this.undo = undo;
            this.state = state;
        }

        @Override
        public boolean isLocal(byte[] address) throws LinuxException {
            return rtnl().addressHolder(address) != 0;
        }

        @Override
        public void addProxy(Ipv6Prefix a) throws LinuxException {
            if (ndp == null) {
                return;
            }
            byte[] b = bytes6(a);
            rtnl().addProxyNeighbor(ndp.index(), b);
            // deleted at stop by the relay's own netlink socket: this one is closed first
            int up = ndp.index();
            undo.push("delete proxy own-ipv6-address " + a + " on " + ndp.name(), NetworkSetup.gone(() -> {
                try (Rtnetlink r = Rtnetlink.open()) {
                    r.deleteProxyNeighbor(up, b);
                }
            }));
            state.add("proxy", ndp.name(), StateFile.text(b));
        }

        @Override
        public void deleteProxy(Ipv6Prefix a) throws LinuxException {
            if (ndp == null) {
                return;
            }
            byte[] b = bytes6(a);
            try {
                rtnl().deleteProxyNeighbor(ndp.index(), b);
            } finally {
                state.remove("proxy", ndp.name(), StateFile.text(b));
            }
        }

        private static byte[] bytes6(Ipv6Prefix p) {
            return TunRoute.of(p).address();
        }

        private Rtnetlink rtnl() throws LinuxException {
            if (rtnl == null) {
                rtnl = Rtnetlink.open();
            }
            return rtnl;
        }

        @Override
        public void addRoute(TunRoute r) throws LinuxException {
            rtnl().addRoute(route(r));
        }

        @Override
        public void deleteRoute(TunRoute r) throws LinuxException {
            rtnl().deleteRoute(route(r));
        }

        @Override
        public void setTunMtu(int mtu) throws LinuxException {
            rtnl().linkSetMtu(ifx, mtu);
        }

        @Override
        public void setIpv4DefaultRouteMtu(int mtu) throws LinuxException {
            rtnl().replaceRoute(Route.to(AF_INET, new byte[4], 0).dev(ifx).mtu(mtu));
        }

        @Override
        public void close() {
            if (rtnl != null) {
                try {
                    rtnl.close();
                } catch (LinuxException e) {
                    // nothing left to do with it
                }
                rtnl = null;
            }
        }

        private Route route(TunRoute r) {
            return Route.to(r.family(), r.address(), r.length()).dev(ifx);
        }
    }
}
