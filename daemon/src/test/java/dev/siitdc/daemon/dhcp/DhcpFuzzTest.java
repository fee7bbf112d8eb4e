package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz target of the Edge Relay's DHCPv4 server: one {@link DhcpServer} per input, on the segment
 * of {@link Fx} (192.0.2.25/29, pool .26 and .27, .28 bound to {@link Fx#STATIC_MAC}, DNS servers), fed a
 * sequence of messages decoded from the input with a clock that moves (see {@link Input} for the layout).
 * A message is raw bytes, a client message built field by field ({@link ClientPacket}: DISCOVER, REQUEST,
 * DECLINE, RELEASE, INFORM or another type, chaddr from a small set, fuzzed xid, ciaddr, requested address,
 * server identifier, client identifier and other options), or such a message with bytes overwritten and
 * cut; it sits inside a larger buffer with 0xff bytes around it, so reading outside {@code [off, off+len)}
 * shows.
 *
 * <p>Oracles, after every message: {@link DhcpServer#handle} throws nothing; {@link DhcpCounter#RECEIVED}
 * grew by 1 and exactly one of the message-type and malformed-drop counters by 1 (the
 * {@link DhcpCounter} accounting rule), a malformed message changed no lease and no other counter, and a
 * well-formed one counted at most the outcome its type allows; a reply exists exactly when OFFER, ACK or
 * NAK was counted, is at least {@link DhcpReply#MIN_REPLY} bytes, fits the buffer and the client's option
 * 57, parses as a well-formed BOOTREPLY with the cookie, END, the request's xid and chaddr and our server
 * identifier; an OFFER/ACK's yiaddr is a pool or static address (never the server's or router's), the
 * static address goes to its MAC only and that MAC gets nothing else, and the lease table then shows the
 * address offered/bound to that client; no address appears twice in {@link DhcpServer#leases()}, a client
 * holds at most one address, and an unexpired offer or lease changes hands only by a message of its
 * holder (or of the static MAC, for the static address). At the end, with a lease file: after
 * {@link DhcpServer#flush}, {@link LeaseStore#load} reports no problem and returns exactly the server's
 * bound and declined leases, and a server restarted from it knows the same and warns of nothing.
 *
 * <p>{@code ./mvnw test} replays src/test/resources/dev/siitdc/daemon/dhcp/DhcpFuzzTestInputs/fuzzServer/
 * (written by {@link DhcpFuzzSeeds}); {@code .ci/fuzz.sh} fuzzes it (JAZZER_FUZZ=1).
 */
class DhcpFuzzTest {
    static final int MAX_MESSAGES = 48;

    // --- header flags (first input byte) ---
    static final int F_STORE = 1, F_WRITE_INTERVAL = 2, F_BIG_REPLY_BUFFER = 4, F_MANY_DNS = 8, F_SHORT_LEASE = 16,
            F_STATIC_IN_POOL = 32;

    // --- per-message step byte ---
    static final int K_STRUCTURED = 0, K_MUTATED = 1, K_RAW = 2;
    /** Time codes (step bits 2-4): seconds to advance; -1: u16 seconds follow, -2: back u16 seconds. */
    static final long[] TIME_SECONDS = {0, 1, 30, 61, 601, -1, 3601, -2};
    static final int TICK = 0x20;

    /** Message types by (b & 7); 0 means "a raw type byte follows". */
    static final int[] TYPES = {1, 3, 4, 7, 8, 0, 1, 3};
    static final long MULTICAST_MAC = 0x03005e005301L;
    /** chaddr by ((b >>> 3) & 7); -1: six raw bytes follow. */
    static final long[] MACS = {MAC1, MAC2, MAC3, STATIC_MAC, MAC1, MAC2, MULTICAST_MAC, -1};
    static final int[] ADDRESSES = {0, SERVER, A26, A27, A28, ip("192.0.2.29"), ip("192.0.2.30"), ip("192.0.2.31"),
            ip("192.0.2.24"), ip("198.51.100.1"), 0xffffffff, ip("192.0.2.1")};
    static final long[] CLIENT_IDS = {MAC1, MAC2, STATIC_MAC};

    static final int[] DNS2 = {ip("198.51.100.53"), ip("198.51.100.54")};
    static final int[] DNS8 = {ip("198.51.100.53"), ip("198.51.100.54"), ip("198.51.100.55"), ip("198.51.100.56"),
            ip("203.0.113.53"), ip("203.0.113.54"), ip("203.0.113.55"), ip("203.0.113.56")};

    static final Set<DhcpCounter> TYPE_COUNTERS = EnumSet.of(DhcpCounter.DISCOVER, DhcpCounter.REQUEST,
            DhcpCounter.DECLINE, DhcpCounter.RELEASE, DhcpCounter.INFORM);
    static final Set<DhcpCounter> OUTCOMES = EnumSet.of(DhcpCounter.OFFER, DhcpCounter.ACK, DhcpCounter.NAK,
            DhcpCounter.POOL_EXHAUSTED, DhcpCounter.DROP_BAD_REQUEST, DhcpCounter.REQUEST_FOR_OTHER_SERVER,
            DhcpCounter.DROP_NOT_HELD, DhcpCounter.DROP_INFORM_OFF_SUBNET);
    /** What a well-formed message of each type may count besides its type; "" in the set: nothing. */
    static final Map<DhcpCounter, Set<DhcpCounter>> ALLOWED = Map.of(
            DhcpCounter.DISCOVER, EnumSet.of(DhcpCounter.OFFER, DhcpCounter.POOL_EXHAUSTED),
            DhcpCounter.REQUEST, EnumSet.of(DhcpCounter.ACK, DhcpCounter.NAK, DhcpCounter.REQUEST_FOR_OTHER_SERVER,
                    DhcpCounter.DROP_BAD_REQUEST),
            DhcpCounter.DECLINE, EnumSet.of(DhcpCounter.DROP_BAD_REQUEST, DhcpCounter.DROP_NOT_HELD),
            DhcpCounter.RELEASE, EnumSet.of(DhcpCounter.DROP_BAD_REQUEST, DhcpCounter.DROP_NOT_HELD),
            DhcpCounter.INFORM, EnumSet.of(DhcpCounter.ACK, DhcpCounter.DROP_INFORM_OFF_SUBNET));
    /** Types whose message always counts one outcome (DECLINE and RELEASE count none when they succeed). */
    static final Set<DhcpCounter> OUTCOME_REQUIRED = EnumSet.of(DhcpCounter.DISCOVER, DhcpCounter.REQUEST,
            DhcpCounter.INFORM);

    private static Path leaseDir;

    @FuzzTest(maxDuration = "60s")
    void fuzzServer(byte[] data) {
        run(data);
    }

    /** The committed seeds are what {@link DhcpFuzzSeeds} writes, and together reach the whole state machine. */
    @Test
    void committedSeedsMatchTheGeneratorAndReachEveryOutcome() throws IOException {
        Map<String, byte[]> seeds = DhcpFuzzSeeds.seeds();
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(5);
        long[] total = new long[DhcpCounter.values().length];
        for (var e : seeds.entrySet()) {
            String res = "DhcpFuzzTestInputs/fuzzServer/" + e.getKey();
            try (InputStream in = DhcpFuzzTest.class.getResourceAsStream(res)) {
                assertThat(in).as("seed %s is committed (run DhcpFuzzSeeds.main to regenerate)", res).isNotNull();
                assertThat(in.readAllBytes()).as("seed %s is up to date (run DhcpFuzzSeeds.main)", res)
                        .isEqualTo(e.getValue());
            }
            DhcpCounters c = run(e.getValue());
            for (DhcpCounter k : DhcpCounter.values()) {
                total[k.ordinal()] += c.get(k);
            }
        }
        for (DhcpCounter k : EnumSet.complementOf(EnumSet.of(DhcpCounter.SEND_ERROR, DhcpCounter.LEASE_WRITE_ERROR))) {
            assertThat(total[k.ordinal()]).as("the seeds reach %s", k).isPositive();
        }
    }

    /** Runs one input; returns the server's counters. */
    static DhcpCounters run(byte[] data) {
        Input in = new Input(data);
        int flags = in.u8();
        DhcpConfig.Builder b = DhcpConfig.builder(SERVER, 29).staticBinding(STATIC_MAC, A28)
                .leaseSeconds((flags & F_SHORT_LEASE) != 0 ? 60 : 3600)
                .interfaceMtu(DhcpConfig.interfaceMtuFor(1500))
                .dnsServers((flags & F_MANY_DNS) != 0 ? DNS8 : DNS2)
                .leaseWriteIntervalMillis((flags & F_WRITE_INTERVAL) != 0 ? 30_000 : 0);
        if ((flags & F_STATIC_IN_POOL) != 0) {
            b.pool(A26, A27, A28);
        } else {
            b.pool(A26, A27);
        }
        DhcpConfig cfg = b.build();
        LeaseStore store = (flags & F_STORE) != 0 ? freshStore() : null;
        List<String> warnings = new ArrayList<>();
        DhcpServer server = new DhcpServer(cfg, store, warnings::add);
        assertThat(warnings).as("a fresh lease file").isEmpty();
        DhcpReply reply = new DhcpReply(new byte[(flags & F_BIG_REPLY_BUFFER) != 0 ? 1500 : DhcpReply.MIN_BUFFER]);
        Harness h = new Harness(cfg, server, reply);

        for (int n = 0; n < MAX_MESSAGES && in.remaining() > 0; n++) {
            int step = in.u8();
            long t = TIME_SECONDS[(step >>> 2) & 7];
            if (t == -1) {
                t = in.u16();
            } else if (t == -2) {
                t = -in.u16();
            }
            h.now += t * 1000;
            if ((step & TICK) != 0) {
                server.tick(h.now);
            }
            int kind = step & 3;
            byte[] packet = kind == K_RAW ? in.bytes(in.u16() % 1025) : structured(in);
            if (kind == K_MUTATED) {
                packet = mutate(in, packet);
            }
            int around = (step >>> 6) & 3;
            byte[] buf = new byte[around + packet.length + around];
            Arrays.fill(buf, (byte) 0xff);
            System.arraycopy(packet, 0, buf, around, packet.length);
            h.handle(buf, around, packet.length);
        }

        server.flush(h.now);
        assertThat(server.counters().get(DhcpCounter.LEASE_WRITE_ERROR)).as("lease file write errors").isZero();
        if (store != null) {
            List<Lease> kept = server.leases().stream().filter(l -> l.state() != Lease.State.OFFERED).toList();
            LeaseStore.Loaded loaded = store.load();
            assertThat(loaded.problems()).as("problems loading the lease file").isEmpty();
            assertThat(loaded.leases()).as("the lease file holds the server's bound and declined leases")
                    .isEqualTo(kept);
            List<String> restartWarnings = new ArrayList<>();
            DhcpServer restarted = new DhcpServer(cfg, store, restartWarnings::add);
            assertThat(restartWarnings).as("warnings restoring the lease file").isEmpty();
            assertThat(restarted.leases()).as("a restarted server's leases").isEqualTo(kept);
        }
        return server.counters();
    }

    private static LeaseStore freshStore() {
        try {
            if (leaseDir == null) {
                Path shm = Path.of("/dev/shm");   // no fsync cost there; the default temp dir otherwise
                leaseDir = Files.isDirectory(shm) && Files.isWritable(shm)
                        ? Files.createTempDirectory(shm, "dhcp-fuzz") : Files.createTempDirectory("dhcp-fuzz");
                leaseDir.toFile().deleteOnExit();
            }
            Path f = leaseDir.resolve("dhcp.leases");
            Files.deleteIfExists(f);
            Files.deleteIfExists(leaseDir.resolve(".dhcp.leases.tmp"));
            f.toFile().deleteOnExit();
            return new LeaseStore(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client message from the input (layout: see {@link DhcpFuzzSeeds.Msg#encode}). */
    static byte[] structured(Input in) {
        int b = in.u8();
        int type = TYPES[b & 7];
        if (type == 0) {
            type = in.u8();
        }
        long mac = MACS[(b >>> 3) & 7];
        if (mac == -1) {
            mac = ((long) in.u16() << 32) | (in.s32() & 0xffffffffL);
        }
        ClientPacket p = ClientPacket.of(type, mac).xid(in.s32());
        if ((b & 0x40) != 0) {
            p.broadcast();
        }
        if ((b & 0x80) != 0) {
            p.padTo(300);
        }
        int c = in.u8();
        if ((c & 1) != 0) {
            p.ciaddr = address(in);
        }
        if ((c & 2) != 0) {
            p.addr(DhcpMessage.OPT_REQUESTED_ADDRESS, address(in));
        }
        if ((c & 4) != 0) {
            p.addr(DhcpMessage.OPT_SERVER_ID, address(in));
        }
        if ((c & 8) != 0) {
            int sel = in.u8() & 3;
            if (sel < 3) {
                p.clientId(CLIENT_IDS[sel]);
            } else {
                p.option(DhcpMessage.OPT_CLIENT_ID, ints(in.bytes(in.u8())));
            }
        }
        if ((c & 16) != 0) {
            p.option(DhcpMessage.OPT_PARAMETER_LIST, ints(in.bytes(in.u8())));
        }
        if ((c & 32) != 0) {
            int mms = in.u16();
            p.option(DhcpMessage.OPT_MAX_MESSAGE_SIZE, mms >>> 8, mms & 0xff);
        }
        if ((c & 64) != 0) {
            int count = in.u8() & 7;
            for (int k = 0; k < count; k++) {
                int code = in.u8();
                if (code == DhcpMessage.OPT_PAD || code == DhcpMessage.OPT_END) {
                    p.raw(code);
                } else {
                    p.option(code, ints(in.bytes(in.u8())));
                }
            }
        }
        if ((c & 128) != 0) {
            p.giaddr = address(in);
            p.hops = in.u8();
            p.secs = in.u16();
        }
        return p.build();
    }

    /** 1-4 bytes overwritten, then maybe cut short. */
    static byte[] mutate(Input in, byte[] p) {
        int m = in.u8();
        for (int k = 0, n = 1 + (m & 3); k < n; k++) {
            int at = in.u16() % p.length;
            p[at] = (byte) in.u8();
        }
        if ((m & 0x80) != 0) {
            p = Arrays.copyOf(p, in.u16() % (p.length + 1));
        }
        return p;
    }

    static int address(Input in) {
        int k = in.u8() & 15;
        return k < ADDRESSES.length ? ADDRESSES[k] : in.s32();
    }

    private static int[] ints(byte[] b) {
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] & 0xff;
        }
        return r;
    }

    /** Sequential reader of the fuzzer's bytes; past the end every read is 0. */
    static final class Input {
        private final byte[] d;
        private int p;

        Input(byte[] d) {
            this.d = d;
        }

        int remaining() {
            return d.length - p;
        }

        int u8() {
            return p < d.length ? d[p++] & 0xff : 0;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        int s32() {
            return (u16() << 16) | u16();
        }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            int k = Math.max(0, Math.min(n, d.length - p));
            System.arraycopy(d, p, b, 0, k);
            p += k;
            return b;
        }
    }

    /** One server and the checks around each message. */
    static final class Harness {
        final DhcpConfig cfg;
        final DhcpServer server;
        final DhcpReply reply;
        final DhcpMessage request = new DhcpMessage();
        final DhcpMessage parsedReply = new DhcpMessage();
        final Set<Integer> leasable;
        long now = T0;

        Harness(DhcpConfig cfg, DhcpServer server, DhcpReply reply) {
            this.cfg = cfg;
            this.server = server;
            this.reply = reply;
            this.leasable = Set.of(A26, A27, A28);
        }

        void handle(byte[] buf, int off, int len) {
            long[] before = counters();
            List<Lease> leasesBefore = server.leases();
            int n = server.handle(buf, off, len, now, reply);

            long[] after = counters();
            List<Lease> leasesAfter = server.leases();
            Map<DhcpCounter, Long> delta = new HashMap<>();
            for (DhcpCounter c : DhcpCounter.values()) {
                long d = after[c.ordinal()] - before[c.ordinal()];
                if (d != 0) {
                    delta.put(c, d);
                }
            }
            long at = now;
            Supplier<String> ctx = () -> "message " + HexFormat.of().formatHex(buf, off, off + len) + "\n  counted "
                    + delta + "\n  leases before " + leasesBefore + "\n  leases after " + leasesAfter + "\n  now " + at;
            check(n == reply.length(), "handle's result is the reply length", ctx);
            check(delta.getOrDefault(DhcpCounter.RECEIVED, 0L) == 1, "RECEIVED grows by 1", ctx);
            List<DhcpCounter> kinds = delta.keySet().stream()
                    .filter(c -> TYPE_COUNTERS.contains(c) || c.isMalformed()).toList();
            check(kinds.size() == 1 && delta.get(kinds.get(0)) == 1,
                    "exactly one message-type or malformed-drop counter grows, by 1", ctx);
            DhcpCounter kind = kinds.get(0);
            List<DhcpCounter> outcomes = delta.keySet().stream().filter(OUTCOMES::contains).toList();
            Set<DhcpCounter> others = EnumSet.allOf(DhcpCounter.class);
            others.remove(DhcpCounter.RECEIVED);
            others.remove(kind);
            others.removeAll(outcomes);
            for (DhcpCounter c : others) {
                if (delta.containsKey(c)) {
                    fail(c + " does not change", ctx);
                }
            }
            if (kind.isMalformed()) {
                check(outcomes.isEmpty(), "a malformed message counts no outcome", ctx);
                check(n == 0 && reply.destination() == DhcpReply.Destination.NONE, "no reply to a malformed message",
                        ctx);
                check(leasesAfter.equals(leasesBefore), "a malformed message changes no lease", ctx);
                checkLeases(leasesAfter, ctx);
                return;
            }
            check(outcomes.size() <= 1 && outcomes.stream().allMatch(c -> delta.get(c) == 1),
                    "at most one outcome, counted once", ctx);
            if (!(ALLOWED.get(kind).containsAll(outcomes))) {
                fail(kind + " may count " + outcomes, ctx);
            }
            if (!(!outcomes.isEmpty() || !OUTCOME_REQUIRED.contains(kind))) {
                fail(kind + " counts an outcome", ctx);
            }
            boolean replied = outcomes.contains(DhcpCounter.OFFER) || outcomes.contains(DhcpCounter.ACK)
                    || outcomes.contains(DhcpCounter.NAK);
            check(replied == (n > 0), "a reply exactly when OFFER, ACK or NAK is counted", ctx);

            // the request, as the server saw it (well-formed: it was counted by type)
            check(request.parse(buf, off, len), "the request parses", ctx);
            long chaddr = request.chaddr();
            String who = identity(request);
            if (n > 0) {
                checkReply(buf, off, n, outcomes.get(0), kind, chaddr, who, leasesAfter, ctx);
            } else {
                check(reply.destination() == DhcpReply.Destination.NONE, "no destination without a reply", ctx);
            }
            checkLeases(leasesAfter, ctx);

            // an unexpired offer or lease changes hands only by a message of its holder
            for (Lease l : leasesBefore) {
                if (l.state() == Lease.State.DECLINED || l.expiredAt(now)) {
                    continue;
                }
                String owner = identity(l);
                Lease a = find(leasesAfter, l.address());
                boolean kept = a != null && a.state() != Lease.State.DECLINED && identity(a).equals(owner);
                boolean byHolder = who.equals(owner) || (l.address() == A28 && chaddr == STATIC_MAC);
                if (!kept && !byHolder) {
                    fail("the active " + l + " is taken or freed by another client (" + who + ")", ctx);
                }
            }
        }

        private void checkReply(byte[] buf, int off, int n, DhcpCounter outcome, DhcpCounter kind, long chaddr,
                String who, List<Lease> leasesAfter, Supplier<String> ctx) {
            byte[] o = reply.buffer();
            if (!(n >= DhcpReply.MIN_REPLY && n <= o.length)) {
                fail("reply length " + n + " within [MIN_REPLY, buffer]", ctx);
            }
            int mms = request.maxMessageSize();
            if (mms >= 576) {
                if (!(n + 28 <= mms)) {
                    fail("reply of " + n + " fits the client's maximum message size " + mms, ctx);
                }
            }
            byte[] copy = Arrays.copyOf(o, n);
            Supplier<String> rctx = () -> ctx.get() + "\n  reply " + HexFormat.of().formatHex(copy);
            if (!(parsedReply.parse(copy, 0, n))) {
                fail("the reply parses (" + parsedReply.dropReason() + ")", rctx);
            }
            check(parsedReply.op() == DhcpMessage.BOOTREPLY, "op is BOOTREPLY", rctx);
            check(Arrays.equals(copy, DhcpMessage.XID, DhcpMessage.XID + 4, buf, off + DhcpMessage.XID,
                    off + DhcpMessage.XID + 4), "the request's xid", rctx);
            check(Arrays.equals(copy, DhcpMessage.CHADDR, DhcpMessage.CHADDR + 6, buf, off + DhcpMessage.CHADDR,
                    off + DhcpMessage.CHADDR + 6), "the request's chaddr", rctx);
            check(endPresent(copy, n), "an END option", rctx);
            int type = switch (outcome) {
                case OFFER -> DhcpMessage.DHCPOFFER;
                case ACK -> DhcpMessage.DHCPACK;
                default -> DhcpMessage.DHCPNAK;
            };
            if (!(parsedReply.messageType() == type && reply.messageType() == type)) {
                fail("message type " + type, rctx);
            }
            check(parsedReply.hasServerId() && parsedReply.serverId() == SERVER, "our server identifier", rctx);
            check(reply.chaddr() == chaddr, "DhcpReply.chaddr", rctx);
            int yi = parsedReply.yiaddr();
            if (type == DhcpMessage.DHCPNAK || kind == DhcpCounter.INFORM) {
                check(yi == 0, "no yiaddr in a NAK or the answer to an INFORM", rctx);
                return;
            }
            check(leasable.contains(yi), "yiaddr is a pool or static address", rctx);
            check(yi != cfg.serverAddress() && yi != cfg.router(), "yiaddr is not the server's or router's", rctx);
            check((yi == A28) == (chaddr == STATIC_MAC), "the static address goes to its MAC, which gets only it",
                    rctx);
            Lease l = find(leasesAfter, yi);
            check(l != null && identity(l).equals(who) && !l.expiredAt(now),
                    "the lease table shows the address held by the client", rctx);
            if (type == DhcpMessage.DHCPACK) {
                check(l.state() == Lease.State.BOUND && l.mac() == chaddr
                        && l.expiresMillis() == now + cfg.leaseSeconds() * 1000L,
                        "an ACK binds the address to chaddr for the lease time", rctx);
            } else {
                check(l.state() == Lease.State.OFFERED || l.state() == Lease.State.BOUND,
                        "an OFFER reserves the address", rctx);
            }
        }

        private void checkLeases(List<Lease> leases, Supplier<String> ctx) {
            Set<Integer> seen = new java.util.HashSet<>();
            Set<String> holders = new java.util.HashSet<>();
            for (Lease l : leases) {
                if (!(leasable.contains(l.address()))) {
                    fail("lease of a pool or static address: " + l, ctx);
                }
                if (!(seen.add(l.address()))) {
                    fail("one entry per address: " + l, ctx);
                }
                if (l.state() == Lease.State.DECLINED) {
                    if (!(l.mac() == 0 && l.clientId() == null)) {
                        fail("a declined address has no owner: " + l, ctx);
                    }
                    continue;
                }
                if (!(Mac.isUnicast(l.mac()))) {
                    fail("owner is a unicast MAC: " + l, ctx);
                }
                if (l.address() == A28) {
                    if (!(l.mac() == STATIC_MAC)) {
                        fail("the static address is held by its MAC only: " + l, ctx);
                    }
                }
                if (!(holders.add(identity(l)))) {
                    fail("a client holds one address: " + l, ctx);
                }
            }
        }

        private long[] counters() {
            DhcpCounter[] all = DhcpCounter.values();
            long[] v = new long[all.length];
            for (DhcpCounter c : all) {
                v[c.ordinal()] = server.counters().get(c);
            }
            return v;
        }
    }

    /** END is where a well-formed message's option walk stops: check the walk ends on 255 within n. */
    private static boolean endPresent(byte[] m, int n) {
        int p = DhcpMessage.OPTIONS;
        while (p < n) {
            int c = m[p] & 0xff;
            if (c == DhcpMessage.OPT_END) {
                return true;
            }
            p += c == DhcpMessage.OPT_PAD ? 1 : 2 + (p + 1 < n ? m[p + 1] & 0xff : 0);
        }
        return false;
    }

    static String identity(DhcpMessage m) {
        int at = m.clientIdOffset();
        return at < 0 ? "mac " + Mac.format(m.chaddr())
                : "id " + HexFormat.of().formatHex(m.buffer(), at, at + m.clientIdLength());
    }

    static String identity(Lease l) {
        byte[] id = l.clientId();
        return id == null ? "mac " + Mac.format(l.mac()) : "id " + HexFormat.of().formatHex(id);
    }

    static Lease find(List<Lease> leases, int address) {
        for (Lease l : leases) {
            if (l.address() == address) {
                return l;
            }
        }
        return null;
    }

    static void check(boolean ok, String what, Supplier<String> ctx) {
        if (!ok) {
            fail(what, ctx);
        }
    }

    static void fail(String what, Supplier<String> ctx) {
        throw new AssertionError(what + "\n  " + ctx.get());
    }
}
