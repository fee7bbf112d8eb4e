package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.DhcpFuzzTest.*;
import static dev.siitdc.daemon.dhcp.Fx.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed seed corpus of {@link DhcpFuzzTest#fuzzServer}: whole client conversations (DORA, renew,
 * release, decline, INIT-REBOOT, another server chosen, INFORM, the static client, pool exhaustion) and
 * hostile messages, encoded in the layout {@link DhcpFuzzTest} decodes. Together they count every
 * {@link DhcpCounter} but the two I/O errors (checked by {@link DhcpFuzzTest}).
 *
 * <p>Regenerate after changing this class or the input layout:
 * <pre>
 * ./mvnw -q -pl core,linux,relay test-compile &amp;&amp; java -cp relay/target/test-classes:relay/target/classes:core/target/classes:$(find ~/.m2/repository/org/assertj -name 'assertj-core-*.jar' | head -1) \
 *     dev.siitdc.daemon.dhcp.DhcpFuzzSeeds daemon/src/test/resources/dev/siitdc/daemon/dhcp/DhcpFuzzTestInputs/fuzzServer
 * </pre>
 */
public final class DhcpFuzzSeeds {
    private DhcpFuzzSeeds() {
    }

    // time codes (index into DhcpFuzzTest.TIME_SECONDS)
    static final int NOW = 0, T1S = 1, T30S = 2, T61S = 3, T601S = 4, T_SECONDS = 5, T3601S = 6, T_BACK = 7;
    // type selectors (index into DhcpFuzzTest.TYPES)
    static final int DISCOVER = 0, REQUEST = 1, DECLINE = 2, RELEASE = 3, INFORM = 4, RAW_TYPE = 5;
    // chaddr selectors (index into DhcpFuzzTest.MACS)
    static final int M1 = 0, M2 = 1, M3 = 2, MS = 3, M_MULTICAST = 6, M_RAW = 7;

    /** One message of the input, field by field; {@link #encode} writes what {@link DhcpFuzzTest#run} reads. */
    static final class Msg {
        int kind = K_STRUCTURED;
        int time = NOW;
        int timeArg;
        boolean tick;
        int around;
        byte[] raw;                 // K_RAW
        int type = DISCOVER;
        int rawType;
        int mac = M1;
        long rawMac;
        boolean broadcast;
        boolean pad300;
        int xid = 0x5117dc00;
        Integer ciaddr;
        Integer requested;
        Integer serverId;
        Integer clientIdSel;        // 0..2: CLIENT_IDS; 3: clientIdRaw
        byte[] clientIdRaw;
        byte[] paramList;
        Integer maxMessageSize;
        final List<byte[]> extra = new ArrayList<>();   // {code, data...}, or {0} / {255}
        Integer giaddr;
        int hops;
        int secs;
        final List<int[]> mutations = new ArrayList<>(); // {position, value}
        Integer cutTo;

        static Msg of(int type, int mac) {
            Msg m = new Msg();
            m.type = type;
            m.mac = mac;
            return m;
        }

        static Msg raw(byte[] bytes) {
            Msg m = new Msg();
            m.kind = K_RAW;
            m.raw = bytes;
            return m;
        }

        Msg at(int timeCode) {
            time = timeCode;
            return this;
        }

        Msg xid(int x) {
            xid = x;
            return this;
        }

        Msg ciaddr(int a) {
            ciaddr = a;
            return this;
        }

        Msg requested(int a) {
            requested = a;
            return this;
        }

        Msg serverId(int a) {
            serverId = a;
            return this;
        }

        Msg clientId(int sel) {
            clientIdSel = sel;
            return this;
        }

        Msg clientIdRaw(byte[] id) {
            clientIdSel = 3;
            clientIdRaw = id;
            return this;
        }

        Msg params(int... codes) {
            paramList = bytes(codes);
            return this;
        }

        Msg mms(int n) {
            maxMessageSize = n;
            return this;
        }

        Msg extra(int... codeAndData) {
            extra.add(bytes(codeAndData));
            return this;
        }

        Msg giaddr(int a) {
            giaddr = a;
            return this;
        }

        Msg mutate(int position, int value) {
            kind = K_MUTATED;
            mutations.add(new int[] {position, value});
            return this;
        }

        Msg cut(int length) {
            kind = K_MUTATED;
            cutTo = length;
            return this;
        }

        Msg around(int n) {
            around = n;
            return this;
        }

        Msg tick() {
            tick = true;
            return this;
        }

        void encode(ByteArrayOutputStream o) {
            o.write(kind | time << 2 | (tick ? TICK : 0) | around << 6);
            if (time == T_SECONDS || time == T_BACK) {
                u16(o, timeArg);
            }
            if (kind == K_RAW) {
                u16(o, raw.length);
                o.writeBytes(raw);
                return;
            }
            o.write(type | mac << 3 | (broadcast ? 0x40 : 0) | (pad300 ? 0x80 : 0));
            if (TYPES[type] == 0) {
                o.write(rawType);
            }
            if (MACS[mac] == -1) {
                u16(o, (int) (rawMac >>> 32));
                s32(o, (int) rawMac);
            }
            s32(o, xid);
            int c = (ciaddr != null ? 1 : 0) | (requested != null ? 2 : 0) | (serverId != null ? 4 : 0)
                    | (clientIdSel != null ? 8 : 0) | (paramList != null ? 16 : 0) | (maxMessageSize != null ? 32 : 0)
                    | (!extra.isEmpty() ? 64 : 0) | (giaddr != null ? 128 : 0);
            o.write(c);
            if (ciaddr != null) {
                addr(o, ciaddr);
            }
            if (requested != null) {
                addr(o, requested);
            }
            if (serverId != null) {
                addr(o, serverId);
            }
            if (clientIdSel != null) {
                o.write(clientIdSel);
                if (clientIdSel == 3) {
                    o.write(clientIdRaw.length);
                    o.writeBytes(clientIdRaw);
                }
            }
            if (paramList != null) {
                o.write(paramList.length);
                o.writeBytes(paramList);
            }
            if (maxMessageSize != null) {
                u16(o, maxMessageSize);
            }
            if (!extra.isEmpty()) {
                if (extra.size() > 7) {
                    throw new IllegalStateException("at most 7 extra options");
                }
                o.write(extra.size());
                for (byte[] e : extra) {
                    int code = e[0] & 0xff;
                    o.write(code);
                    if (code != 0 && code != 255) {
                        o.write(e.length - 1);
                        o.write(e, 1, e.length - 1);
                    }
                }
            }
            if (giaddr != null) {
                addr(o, giaddr);
                o.write(hops);
                u16(o, secs);
            }
            if (kind == K_MUTATED) {
                int n = Math.max(1, mutations.size());
                if (n > 4) {
                    throw new IllegalStateException("at most 4 mutations");
                }
                o.write((n - 1) | (cutTo != null ? 0x80 : 0));
                for (int k = 0; k < n; k++) {
                    int[] mu = k < mutations.size() ? mutations.get(k) : new int[] {DhcpMessage.OP, 1}; // a no-op
                    u16(o, mu[0]);
                    o.write(mu[1]);
                }
                if (cutTo != null) {
                    u16(o, cutTo);
                }
            }
        }

        private static void addr(ByteArrayOutputStream o, int a) {
            for (int k = 0; k < ADDRESSES.length; k++) {
                if (ADDRESSES[k] == a) {
                    o.write(k);
                    return;
                }
            }
            o.write(15);
            s32(o, a);
        }

        private static void u16(ByteArrayOutputStream o, int v) {
            o.write(v >>> 8);
            o.write(v);
        }

        private static void s32(ByteArrayOutputStream o, int v) {
            u16(o, v >>> 16);
            u16(o, v & 0xffff);
        }

        private static byte[] bytes(int... v) {
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = (byte) v[i];
            }
            return b;
        }
    }

    static byte[] input(int flags, Msg... msgs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(flags);
        for (Msg m : msgs) {
            m.encode(o);
        }
        return o.toByteArray();
    }

    public static Map<String, byte[]> seeds() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        int other = ip("192.0.2.1");
        int offSubnet = ip("198.51.100.1");

        s.put("dora-renew-release-inform", input(0,
                Msg.of(DISCOVER, M1).params(1, 3, 6, 15, 26, 28, 51),
                Msg.of(REQUEST, M1).serverId(SERVER).requested(A26).at(T1S),
                Msg.of(REQUEST, M1).ciaddr(A26).at(T30S),
                Msg.of(RELEASE, M1).serverId(SERVER).ciaddr(A26).at(T601S),
                Msg.of(DISCOVER, M1).at(T1S),
                Msg.of(INFORM, M2).ciaddr(A27).params(1, 3, 6),
                Msg.of(INFORM, M3).ciaddr(offSubnet)));

        s.put("exhaustion-decline-static-with-lease-file", input(F_STORE,
                Msg.of(DISCOVER, M1),
                Msg.of(REQUEST, M1).serverId(SERVER).requested(A26),
                Msg.of(DISCOVER, M2).at(T1S),
                Msg.of(REQUEST, M2).serverId(SERVER).requested(A27),
                Msg.of(DISCOVER, M3).at(T1S),
                Msg.of(DECLINE, M2).serverId(SERVER).requested(A27),
                Msg.of(DISCOVER, MS).at(T1S),
                Msg.of(REQUEST, MS).serverId(SERVER).requested(A28),
                Msg.of(DECLINE, M3).serverId(SERVER).requested(A26),
                Msg.of(DECLINE, M1).serverId(SERVER),
                Msg.of(DISCOVER, M3).at(T601S).tick(),
                Msg.of(REQUEST, M3).serverId(SERVER).requested(A27)));

        s.put("init-reboot-nak-other-server-short-lease", input(F_STORE | F_WRITE_INTERVAL | F_SHORT_LEASE,
                Msg.of(REQUEST, M1).requested(A27),
                Msg.of(REQUEST, M2).requested(A27).at(T1S),
                Msg.of(REQUEST, M2).requested(A28).at(T1S),
                Msg.of(DISCOVER, M3).at(T1S),
                Msg.of(REQUEST, M3).serverId(other).requested(A26),
                Msg.of(REQUEST, M3).at(T30S).tick(),
                Msg.of(REQUEST, M1).ciaddr(A27).at(T61S).tick(),
                Msg.of(RELEASE, M2).serverId(SERVER).ciaddr(A27)));

        byte[] longId = new byte[255];
        longId[0] = (byte) 0xff;
        for (int i = 1; i < longId.length; i++) {
            longId[i] = (byte) i;
        }
        s.put("client-ids-big-replies", input(F_BIG_REPLY_BUFFER | F_MANY_DNS | F_STATIC_IN_POOL,
                Msg.of(DISCOVER, M1).clientId(0).params(1, 3, 6, 26, 28),
                Msg.of(REQUEST, M2).clientId(0).serverId(SERVER).requested(A26).around(2),
                Msg.of(DISCOVER, M3).clientIdRaw(longId).mms(1500).params(6),
                Msg.of(REQUEST, M3).clientIdRaw(longId).serverId(SERVER).requested(A27).mms(576),
                Msg.of(DISCOVER, MS).clientId(2).at(T1S),
                Msg.of(REQUEST, MS).clientId(2).ciaddr(A28).around(1)));

        Msg relayed = Msg.of(DISCOVER, M3).giaddr(ip("10.0.0.1"));
        Msg bootp = Msg.of(DISCOVER, M3).mutate(240, 0).mutate(241, 0).mutate(242, 0);
        Msg reply = Msg.of(DISCOVER, M3).mutate(DhcpMessage.OP, 2);
        Msg cookie = Msg.of(DISCOVER, M3).mutate(DhcpMessage.COOKIE + 3, 98);
        Msg noEnd = Msg.of(DISCOVER, M3).around(3).mutate(243, 0);   // END -> PAD, then the 0xff after the message
        Msg offer = Msg.of(RAW_TYPE, M3);
        offer.rawType = 2;
        s.put("hostile", input(F_STORE,
                Msg.of(DISCOVER, M1),
                Msg.raw(new byte[100]),
                Msg.of(DISCOVER, M_MULTICAST),
                cookie, reply, relayed, bootp, noEnd, offer,
                Msg.of(DISCOVER, M3).extra(52, 1),
                Msg.of(DISCOVER, M3).extra(12, 'n', 'o', 'd', 'e').extra(0).extra(55).cut(260),
                Msg.of(REQUEST, M1).serverId(SERVER).requested(A26).extra(80)));
        return s;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (var e : seeds().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
