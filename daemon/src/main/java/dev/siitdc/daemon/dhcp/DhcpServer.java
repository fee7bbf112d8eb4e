package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.DhcpMessage.*;

import dev.siitdc.core.addr.Ipv4Prefix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The DHCPv4 server of a network-based Edge Relay (RFC 7756 s3.2, Appendix A.1): it leases the IPv4
 * Service Addresses to the nodes of the ER's segment, with the ER as their router and the IPv4 MTU that
 * fits the IPv6 path (option 26, RFC 7756 s4.2). A pure state machine: the caller reads datagrams from
 * UDP port 67, passes each to {@link #handle} with the time, and sends what {@link DhcpReply} holds. The
 * only I/O is the {@link LeaseStore}.
 *
 * <p>RFC 2131 s4.3, for clients on the segment itself (a message that came through a relay agent is
 * dropped):
 * <ul>
 * <li>DHCPDISCOVER: offers, in this order, the client's static address (by chaddr), the address it holds or
 *     last held, the address it asks for (option 50) if free, else the free pool address unused the
 *     longest; the address is then reserved for {@link DhcpConfig#offerHoldMillis}.</li>
 * <li>DHCPREQUEST: SELECTING (server identifier present: ours, or another server was chosen and our offer is
 *     withdrawn silently), INIT-REBOOT (option 50, no ciaddr), RENEWING/REBINDING (ciaddr; the two differ
 *     only in how the datagram was addressed). ACK if the address is one this client may have: its static
 *     address, or a pool address that nobody else holds; NAK otherwise (another subnet, not ours, in use,
 *     declined, someone else's static address). The server is authoritative for its segment: an address
 *     it has no record of but that is free is granted, so clients keep their address when the lease file
 *     is lost.</li>
 * <li>DHCPDECLINE: the address is not offered for {@link DhcpConfig#declineHoldMillis}, and reported.</li>
 * <li>DHCPRELEASE: the lease ends now; the address goes back to the pool, first for the same client.</li>
 * <li>DHCPINFORM: an ACK with the configuration options and no lease.</li>
 * </ul>
 * A client is known by its client identifier (option 61) or, without one, by its chaddr. Expired leases
 * return to the pool without any sweep: an address is free when its time has passed.
 *
 * <p>Every message is untrusted: {@link #handle} never throws on its content, counts every message (see
 * {@link DhcpCounter}) and changes nothing for a malformed one. It allocates nothing per message, except a
 * copy of the client identifier when an address changes hands, and the lease file write.
 *
 * <p>Not thread-safe: one thread owns the server. {@link #counters()} may be read from any thread.
 */
public final class DhcpServer {
    private static final byte FREE = 0, OFFERED = 1, BOUND = 2, DECLINED = 3;

    /** What the server knows of one address. Preallocated, one per pool or static address. */
    private static final class Slot {
        final int address;
        long staticMac;          // 0: a pool address
        byte state = FREE;
        long mac;                // owner (OFFERED, BOUND)
        byte[] clientId;         // owner's option 61, or null
        long expires = Long.MIN_VALUE;  // end of hold / lease; for FREE, when it became free

        Slot(int address) {
            this.address = address;
        }
    }

    private final DhcpConfig cfg;
    private final LeaseStore store;
    private final Consumer<String> warn;
    private final DhcpCounters counters = new DhcpCounters();
    private final DhcpMessage msg = new DhcpMessage();
    private final Slot[] slots;            // sorted by address (unsigned)
    private final long[] staticMacs;       // sorted
    private final int[] staticSlot;        // slot index of staticMacs[i]
    private final int mask;
    private final int broadcast;
    private final int[] dns;
    private final long leaseMillis;

    private boolean dirty;
    private long lastWrite = Long.MIN_VALUE;

    // the message being handled
    private long chaddr;
    private long now;

    /**
     * @param cfg the configuration
     * @param store the lease file, or null to keep leases in memory only; read here, written on each change
     *     (see {@link DhcpConfig.Builder#leaseWriteIntervalMillis})
     * @param warn where problems go: lease file lines that cannot be used, write errors, declined
     *     addresses. May be called while handling a message, so the daemon should pass a rate-limited log.
     */
    public DhcpServer(DhcpConfig cfg, LeaseStore store, Consumer<String> warn) {
        this.cfg = Objects.requireNonNull(cfg);
        this.store = store;
        this.warn = Objects.requireNonNull(warn);
        this.mask = cfg.subnetMask();
        this.broadcast = cfg.broadcastAddress();
        this.dns = cfg.dnsServers();
        this.leaseMillis = cfg.leaseSeconds() * 1000L;

        int[] pool = cfg.pool();
        int n = cfg.staticCount();
        int[] all = Arrays.copyOf(pool, pool.length + n);
        for (int i = 0; i < n; i++) {
            all[pool.length + i] = cfg.staticAddress(i);
        }
        int[] sorted = Arrays.stream(all).mapToLong(Integer::toUnsignedLong).sorted().distinct()
                .mapToInt(l -> (int) l).toArray();
        slots = new Slot[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            slots[i] = new Slot(sorted[i]);
        }
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {cfg.staticMac(i), slotOf(cfg.staticAddress(i))};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        staticMacs = new long[n];
        staticSlot = new int[n];
        for (int i = 0; i < n; i++) {
            staticMacs[i] = pairs[i][0];
            staticSlot[i] = (int) pairs[i][1];
            slots[staticSlot[i]].staticMac = staticMacs[i];
        }
        if (store != null) {
            restore(store.load());
        }
    }

    public DhcpConfig config() {
        return cfg;
    }

    public DhcpCounters counters() {
        return counters;
    }

    /**
     * Handles one datagram received on port 67.
     *
     * @param packet the UDP payload is {@code packet[off, off + len)}
     * @param nowMillis the wall clock ({@link System#currentTimeMillis()}): leases outlive the process
     * @param reply reset, then filled with the reply if there is one
     * @return the reply's length, 0 when nothing is to be sent
     */
    public int handle(byte[] packet, int off, int len, long nowMillis, DhcpReply reply) {
        reply.clear();
        counters.inc(DhcpCounter.RECEIVED);
        if (!msg.parse(packet, off, len)) {
            counters.inc(msg.dropReason());
            return 0;
        }
        if (msg.op() != BOOTREQUEST) {
            counters.inc(DhcpCounter.DROP_NOT_BOOTREQUEST);
            return 0;
        }
        if (msg.giaddr() != 0) {
            counters.inc(DhcpCounter.DROP_RELAYED);
            return 0;
        }
        now = nowMillis;
        chaddr = msg.chaddr();
        switch (msg.messageType()) {
            case DHCPDISCOVER -> discover(reply);
            case DHCPREQUEST -> request(reply);
            case DHCPDECLINE -> decline();
            case DHCPRELEASE -> release();
            case DHCPINFORM -> inform(reply);
            default -> counters.inc(DhcpCounter.DROP_UNEXPECTED_MESSAGE_TYPE);
        }
        if (dirty) {
            maybeWrite(nowMillis);
        }
        return reply.length;
    }

    /**
     * Writes the lease file if changes wait for {@link DhcpConfig#leaseWriteIntervalMillis}, or for a retry
     * after a write error. The daemon calls it every second or so.
     */
    public void tick(long nowMillis) {
        if (dirty) {
            maybeWrite(nowMillis);
        }
    }

    /** Counts a reply the daemon could not send ({@link DhcpCounter#SEND_ERROR}). */
    public void countSendError() {
        counters.inc(DhcpCounter.SEND_ERROR);
    }

    /** Writes the lease file now if anything changed since the last write (at shutdown). */
    public void flush(long nowMillis) {
        if (dirty) {
            write(nowMillis);
        }
    }

    /** What the server knows, by address (free addresses without history left out); for status and tests. */
    public List<Lease> leases() {
        List<Lease> out = new ArrayList<>();
        for (Slot s : slots) {
            Lease l = snapshot(s);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    // --- messages ---

    private void discover(DhcpReply reply) {
        counters.inc(DhcpCounter.DISCOVER);
        int i = chooseForDiscover();
        if (i < 0) {
            counters.inc(DhcpCounter.POOL_EXHAUSTED);
            return;
        }
        Slot s = slots[i];
        if (!(s.state == BOUND && owns(s) && s.expires > now)) {   // an active lease is re-offered as it is
            if (s.state == BOUND || s.state == DECLINED) {
                dirty = true;       // an expired lease or decline the lease file holds becomes an offer it does not
            }
            takeOwnership(i);
            s.state = OFFERED;
            s.expires = now + cfg.offerHoldMillis();
        }
        writeReply(reply, DHCPOFFER, 0, s.address);
    }

    private int chooseForDiscover() {
        int st = staticSlotOf(chaddr);
        if (st >= 0) {
            return availableToClient(st) ? st : -1;
        }
        int owned = findOwned();
        if (owned >= 0 && availableToClient(owned)) {
            return owned;
        }
        if (msg.hasRequestedAddress()) {
            int r = slotOf(msg.requestedAddress());
            if (r >= 0 && availableToClient(r)) {
                return r;
            }
        }
        int best = -1;
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s.staticMac == 0 && availableToClient(i) && (best < 0 || s.expires < slots[best].expires)) {
                best = i;
            }
        }
        return best;
    }

    private void request(DhcpReply reply) {
        counters.inc(DhcpCounter.REQUEST);
        int target;
        if (msg.hasServerId()) {                                  // SELECTING
            if (msg.serverId() != cfg.serverAddress()) {
                counters.inc(DhcpCounter.REQUEST_FOR_OTHER_SERVER);
                int o = findOwned();
                if (o >= 0 && slots[o].state == OFFERED) {
                    free(slots[o]);
                }
                return;
            }
            if (!msg.hasRequestedAddress()) {
                counters.inc(DhcpCounter.DROP_BAD_REQUEST);
                return;
            }
            target = msg.requestedAddress();
        } else if (msg.ciaddr() != 0) {                           // RENEWING, REBINDING
            target = msg.ciaddr();
        } else if (msg.hasRequestedAddress()) {                   // INIT-REBOOT
            target = msg.requestedAddress();
        } else {
            counters.inc(DhcpCounter.DROP_BAD_REQUEST);
            return;
        }
        int i = slotOf(target);
        int st = staticSlotOf(chaddr);
        if (i < 0 || (st >= 0 && st != i) || !availableToClient(i)) {
            writeReply(reply, DHCPNAK, 0, 0);
            reply.address = target;
            return;
        }
        Slot s = slots[i];
        takeOwnership(i);
        s.state = BOUND;
        s.expires = now + leaseMillis;
        dirty = true;
        writeReply(reply, DHCPACK, msg.ciaddr(), s.address);
    }

    private void decline() {
        counters.inc(DhcpCounter.DECLINE);
        if (!msg.hasRequestedAddress()) {
            counters.inc(DhcpCounter.DROP_BAD_REQUEST);
            return;
        }
        int i = slotOf(msg.requestedAddress());
        if (i < 0 || (msg.hasServerId() && msg.serverId() != cfg.serverAddress()) || !holds(slots[i])
                || slots[i].expires <= now) {
            counters.inc(DhcpCounter.DROP_NOT_HELD);
            return;
        }
        Slot s = slots[i];
        s.state = DECLINED;
        s.mac = 0;
        s.clientId = null;
        s.expires = now + cfg.declineHoldMillis();
        dirty = true;
        warn.accept("DHCPDECLINE: " + Mac.format(chaddr) + " found " + Ipv4Prefix.format(s.address)
                + " in use by another host; not offered for " + cfg.declineHoldMillis() / 1000
                + " s (RFC 2131 s4.3.3). Is a node on the segment configured with it statically?");
    }

    private void release() {
        counters.inc(DhcpCounter.RELEASE);
        if (msg.ciaddr() == 0) {
            counters.inc(DhcpCounter.DROP_BAD_REQUEST);
            return;
        }
        int i = slotOf(msg.ciaddr());
        if (i < 0 || (msg.hasServerId() && msg.serverId() != cfg.serverAddress()) || slots[i].state != BOUND
                || !holds(slots[i])) {
            counters.inc(DhcpCounter.DROP_NOT_HELD);
            return;
        }
        Slot s = slots[i];
        if (s.expires > now) {
            s.expires = now;        // kept as history: the same client gets it back first
            dirty = true;
        }
    }

    private void inform(DhcpReply reply) {
        counters.inc(DhcpCounter.INFORM);
        int ci = msg.ciaddr();
        if (ci != 0 && !cfg.inSubnet(ci)) {
            counters.inc(DhcpCounter.DROP_INFORM_OFF_SUBNET);
            return;
        }
        writeReply(reply, DHCPACK, ci, 0);
        reply.address = ci;
    }

    // --- bookkeeping ---

    /** Whether the client of the current message may have slot {@code i} now. */
    private boolean availableToClient(int i) {
        Slot s = slots[i];
        if (s.staticMac != 0) {
            return s.staticMac == chaddr && !(s.state == DECLINED && s.expires > now);
        }
        return switch (s.state) {
            case FREE -> true;
            case DECLINED -> s.expires <= now;
            default -> s.expires <= now || owns(s);
        };
    }

    /** Whether the current message's client is the owner recorded in {@code s} (OFFERED or BOUND). */
    private boolean owns(Slot s) {
        if (s.state != OFFERED && s.state != BOUND) {
            return false;
        }
        int idLen = msg.clientIdLength();
        if (idLen == 0) {
            return s.clientId == null && s.mac == chaddr;
        }
        int at = msg.clientIdOffset();
        return s.clientId != null && Arrays.equals(s.clientId, 0, s.clientId.length, msg.buffer(), at, at + idLen);
    }

    /** {@link #owns}, or the slot is the client's static address and is offered or bound. */
    private boolean holds(Slot s) {
        return owns(s) || (s.staticMac == chaddr && (s.state == OFFERED || s.state == BOUND));
    }

    private int findOwned() {
        for (int i = 0; i < slots.length; i++) {
            if (owns(slots[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Records the current client as the owner of slot {@code i}, and frees anything else it owned. */
    private void takeOwnership(int i) {
        Slot s = slots[i];
        if (!owns(s)) {
            int idLen = msg.clientIdLength();
            s.clientId = idLen == 0 ? null
                    : Arrays.copyOfRange(msg.buffer(), msg.clientIdOffset(), msg.clientIdOffset() + idLen);
            if (s.state == BOUND) {
                dirty = true;
            }
        }
        s.mac = chaddr;
        for (int j = 0; j < slots.length; j++) {
            if (j != i && owns(slots[j])) {
                free(slots[j]);
            }
        }
    }

    private void free(Slot s) {
        if (s.state == BOUND) {
            dirty = true;
        }
        s.state = FREE;
        s.mac = 0;
        s.clientId = null;
        s.expires = now;
    }

    private int slotOf(int address) {
        int lo = 0, hi = slots.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(slots[mid].address, address);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private int staticSlotOf(long mac) {
        int k = Arrays.binarySearch(staticMacs, mac);
        return k < 0 ? -1 : staticSlot[k];
    }

    // --- replies ---

    private void writeReply(DhcpReply reply, int type, int ciaddr, int yiaddr) {
        byte[] o = reply.buffer();
        int limit = o.length;
        int mms = msg.maxMessageSize();
        limit = Math.min(limit, mms >= 576 ? mms - 28 : DhcpReply.MIN_BUFFER);
        Arrays.fill(o, 0, limit, (byte) 0);
        byte[] in = msg.buffer();
        int io = msg.offset();
        o[OP] = BOOTREPLY;
        o[HTYPE] = HTYPE_ETHERNET;
        o[HLEN] = HLEN_ETHERNET;
        System.arraycopy(in, io + XID, o, XID, 4);
        System.arraycopy(in, io + FLAGS, o, FLAGS, 2);                 // secs stays 0
        put32(o, CIADDR, ciaddr);
        put32(o, YIADDR, yiaddr);
        System.arraycopy(in, io + CHADDR, o, CHADDR, HLEN_ETHERNET);   // siaddr, giaddr, sname, file stay 0
        put32(o, COOKIE, MAGIC_COOKIE);
        int p = OPTIONS;
        int room = limit - 1;                                          // END
        p = opt8(o, p, room, OPT_MESSAGE_TYPE, type);
        p = opt32(o, p, room, OPT_SERVER_ID, cfg.serverAddress());
        if (type != DHCPNAK) {
            if (yiaddr != 0) {
                p = opt32(o, p, room, OPT_LEASE_TIME, cfg.leaseSeconds());
                p = opt32(o, p, room, OPT_RENEWAL_TIME, cfg.renewalSeconds());
                p = opt32(o, p, room, OPT_REBINDING_TIME, cfg.rebindingSeconds());
            }
            p = opt32(o, p, room, OPT_SUBNET_MASK, mask);
            p = opt32(o, p, room, OPT_ROUTER, cfg.router());
            if (p + 4 <= room) {                                       // RFC 7756 s4.2, always
                o[p] = OPT_INTERFACE_MTU;
                o[p + 1] = 2;
                o[p + 2] = (byte) (cfg.interfaceMtu() >>> 8);
                o[p + 3] = (byte) cfg.interfaceMtu();
                p += 4;
            }
            if (broadcast != 0 && msg.requests(OPT_BROADCAST)) {
                p = opt32(o, p, room, OPT_BROADCAST, broadcast);
            }
            if (dns.length > 0 && p + 2 + 4 * dns.length <= room) {
                o[p] = OPT_DNS;
                o[p + 1] = (byte) (4 * dns.length);
                for (int k = 0; k < dns.length; k++) {
                    put32(o, p + 2 + 4 * k, dns[k]);
                }
                p += 2 + 4 * dns.length;
            }
        }
        int idLen = msg.clientIdLength();
        if (idLen > 0 && p + 2 + idLen <= room) {                      // RFC 6842: echoed unaltered
            o[p] = OPT_CLIENT_ID;
            o[p + 1] = (byte) idLen;
            System.arraycopy(in, msg.clientIdOffset(), o, p + 2, idLen);
            p += 2 + idLen;
        }
        o[p++] = (byte) OPT_END;

        reply.length = Math.max(p, DhcpReply.MIN_REPLY);
        reply.messageType = type;
        reply.address = yiaddr;
        reply.chaddr = chaddr;
        if (type == DHCPNAK) {
            reply.destination = DhcpReply.Destination.BROADCAST;
            reply.destinationAddress = DhcpReply.BROADCAST_ADDRESS;
        } else if (msg.ciaddr() != 0) {
            reply.destination = DhcpReply.Destination.CIADDR;
            reply.destinationAddress = msg.ciaddr();
        } else if (msg.broadcastFlag() || yiaddr == 0) {
            reply.destination = DhcpReply.Destination.BROADCAST;
            reply.destinationAddress = DhcpReply.BROADCAST_ADDRESS;
        } else {
            reply.destination = DhcpReply.Destination.YIADDR;
            reply.destinationAddress = yiaddr;
        }
        counters.inc(switch (type) {
            case DHCPOFFER -> DhcpCounter.OFFER;
            case DHCPACK -> DhcpCounter.ACK;
            default -> DhcpCounter.NAK;
        });
    }

    private static int opt8(byte[] o, int p, int room, int code, int v) {
        if (p + 3 > room) {
            return p;
        }
        o[p] = (byte) code;
        o[p + 1] = 1;
        o[p + 2] = (byte) v;
        return p + 3;
    }

    private static int opt32(byte[] o, int p, int room, int code, int v) {
        if (p + 6 > room) {
            return p;
        }
        o[p] = (byte) code;
        o[p + 1] = 4;
        put32(o, p + 2, v);
        return p + 6;
    }

    private static void put32(byte[] o, int p, int v) {
        o[p] = (byte) (v >>> 24);
        o[p + 1] = (byte) (v >>> 16);
        o[p + 2] = (byte) (v >>> 8);
        o[p + 3] = (byte) v;
    }

    // --- lease file ---

    private void maybeWrite(long nowMillis) {
        long interval = cfg.leaseWriteIntervalMillis();
        if (interval == 0 || lastWrite == Long.MIN_VALUE || nowMillis - lastWrite >= interval
                || nowMillis < lastWrite) {
            write(nowMillis);
        }
    }

    private void write(long nowMillis) {
        lastWrite = nowMillis;
        if (store == null) {
            dirty = false;
            return;
        }
        try {
            store.save(leases());
            dirty = false;
        } catch (IOException | RuntimeException e) {
            counters.inc(DhcpCounter.LEASE_WRITE_ERROR);
            warn.accept("cannot write the DHCP lease file " + store.file() + ": " + e
                    + " (leases are kept in memory; retrying)");
        }
    }

    private static Lease snapshot(Slot s) {
        return switch (s.state) {
            case OFFERED -> new Lease(s.address, Lease.State.OFFERED, s.mac, s.clientId, s.expires);
            case BOUND -> new Lease(s.address, Lease.State.BOUND, s.mac, s.clientId, s.expires);
            case DECLINED -> new Lease(s.address, Lease.State.DECLINED, 0, null, s.expires);
            default -> null;
        };
    }

    private void restore(LeaseStore.Loaded loaded) {
        loaded.problems().forEach(warn);
        String file = store.file().toString();
        for (Lease l : loaded.leases()) {
            String what = file + ": " + l;
            int i = slotOf(l.address());
            if (i < 0) {
                warn.accept(what + ": the address is no longer in the DHCP pool or static bindings; lease dropped");
                continue;
            }
            Slot s = slots[i];
            if (l.state() == Lease.State.BOUND && s.staticMac != 0 && s.staticMac != l.mac()) {
                warn.accept(what + ": the address is now bound statically to " + Mac.format(s.staticMac)
                        + "; lease dropped");
                continue;
            }
            if (s.state != FREE) {
                warn.accept(what + ": a second entry for the address; it replaces the first");
            }
            if (l.state() == Lease.State.BOUND) {
                byte[] id = l.clientId();
                int other = -1;
                for (int j = 0; j < slots.length; j++) {
                    Slot t = slots[j];
                    // t.clientId != null first: Arrays.equals(null, id) is false anyway, but Jazzer 0.26's hook of
                    // Arrays.equals crashes the JVM on a null array (fixed upstream, jazzer PR #1017)
                    boolean same = id != null ? t.clientId != null && Arrays.equals(t.clientId, id)
                            : t.clientId == null && t.mac == l.mac();
                    if (j != i && t.state == BOUND && same) {
                        other = j;
                    }
                }
                if (other >= 0) {
                    Slot t = slots[other];
                    warn.accept(what + ": the client also holds " + Ipv4Prefix.format(t.address)
                            + "; only the later-expiring lease is kept");
                    if (t.expires >= l.expiresMillis()) {
                        continue;
                    }
                    t.state = FREE;
                    t.mac = 0;
                    t.clientId = null;
                }
                s.state = BOUND;
                s.mac = l.mac();
                s.clientId = id;
            } else {
                s.state = DECLINED;
                s.mac = 0;
                s.clientId = null;
            }
            s.expires = l.expiresMillis();
        }
    }
}
