package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every packet is hostile: whatever arrives is counted once and dropped, with no exception and no change
 * to the leases.
 */
class HostileInputTest {
    private Fx fx;
    private List<Lease> before;

    @BeforeEach
    void someState() {
        fx = new Fx();
        fx.dora(MAC1);
        fx.send(ClientPacket.discover(MAC2));
        before = fx.server.leases();
    }

    static long typedPlusMalformed(DhcpCounters c) {
        long n = c.get(DhcpCounter.DISCOVER) + c.get(DhcpCounter.REQUEST) + c.get(DhcpCounter.DECLINE)
                + c.get(DhcpCounter.RELEASE) + c.get(DhcpCounter.INFORM);
        for (DhcpCounter k : DhcpCounter.values()) {
            if (k.isMalformed()) {
                n += c.get(k);
            }
        }
        return n;
    }

    /** Sends {@code p}; asserts it was dropped for {@code reason} and changed nothing. */
    private void assertDropped(byte[] p, DhcpCounter reason) {
        long was = fx.count(reason);
        long received = fx.count(DhcpCounter.RECEIVED);
        assertThat(fx.send(p)).isNull();
        assertThat(fx.count(reason)).as("%s for %s", reason, Arrays.toString(p)).isEqualTo(was + 1);
        assertThat(fx.count(DhcpCounter.RECEIVED)).isEqualTo(received + 1);
        assertThat(typedPlusMalformed(fx.server.counters())).isEqualTo(received + 1);
        assertThat(fx.server.leases()).isEqualTo(before);
    }

    @Test
    void aDiscoverTruncatedAtEveryLengthIsDropped() {
        byte[] full = ClientPacket.discover(MAC2).option(57, 2, 64).option(55, 1, 3, 6, 26).text(12, "node").build();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertDropped(cut, n < 240 ? DhcpCounter.DROP_TRUNCATED : DhcpCounter.DROP_BAD_OPTIONS);
        }
        assertThat(fx.send(full)).as("the whole one is fine").isNotNull();
    }

    @Test
    void paddingAfterEndIsIgnoredButNothingBeforeItMayBeMissing() {
        byte[] padded = ClientPacket.discover(MAC2).build();
        byte[] p300 = Arrays.copyOf(padded, 300);
        assertThat(fx.send(p300)).isNotNull();
        assertThat(fx.send(Arrays.copyOf(padded, padded.length - 1))).isNull();
    }

    @Test
    void malformedHeaders() {
        ClientPacket p = ClientPacket.discover(MAC3);
        p.cookie = new byte[] {99, (byte) 130, 83, 98};
        assertDropped(p.build(), DhcpCounter.DROP_BAD_COOKIE);
        p = ClientPacket.discover(MAC3);
        p.cookie = new byte[] {0, 0, 0, 0};
        assertDropped(p.build(), DhcpCounter.DROP_BAD_COOKIE);

        p = ClientPacket.discover(MAC3);
        p.hlen = 255;
        assertDropped(p.build(), DhcpCounter.DROP_BAD_HARDWARE);
        p.hlen = 16;
        assertDropped(p.build(), DhcpCounter.DROP_BAD_HARDWARE);
        p.hlen = 0;
        assertDropped(p.build(), DhcpCounter.DROP_BAD_HARDWARE);
        p.hlen = 6;
        p.htype = 6;                                                   // IEEE 802
        assertDropped(p.build(), DhcpCounter.DROP_BAD_HARDWARE);
        assertDropped(ClientPacket.discover(0xffffffffffffL).build(), DhcpCounter.DROP_BAD_HARDWARE);
        assertDropped(ClientPacket.discover(0x010000000001L).build(), DhcpCounter.DROP_BAD_HARDWARE);
        assertDropped(ClientPacket.discover(0).build(), DhcpCounter.DROP_BAD_HARDWARE);

        p = ClientPacket.discover(MAC3);
        p.op = 2;
        assertDropped(p.build(), DhcpCounter.DROP_NOT_BOOTREQUEST);
        p.op = 0;
        assertDropped(p.build(), DhcpCounter.DROP_NOT_BOOTREQUEST);

        p = ClientPacket.discover(MAC3);
        p.giaddr = ip("10.1.2.3");
        assertDropped(p.build(), DhcpCounter.DROP_RELAYED);
    }

    @Test
    void malformedOptions() {
        // a length running past the end of the message
        assertDropped(ClientPacket.discover(MAC3).raw(12, 200, 'a', 'b').noEnd().build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).raw(12, 3, 'a', 'b', 255).noEnd().build(),
                DhcpCounter.DROP_BAD_OPTIONS);                          // END swallowed as data
        // a code with no room for its length
        assertDropped(ClientPacket.discover(MAC3).raw(12).noEnd().build(), DhcpCounter.DROP_BAD_OPTIONS);
        // no END, or only PADs
        assertDropped(ClientPacket.discover(MAC3).noEnd().build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).raw(0, 0, 0, 0).noEnd().build(), DhcpCounter.DROP_BAD_OPTIONS);
        // options the server reads with the wrong length, or twice
        assertDropped(ClientPacket.discover(MAC3).option(53, 1).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(50, 192, 0, 2).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(54).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(61, 1).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(61).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(55).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(57, 2).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).addr(50, A27).addr(50, A27).build(), DhcpCounter.DROP_BAD_OPTIONS);
        assertDropped(ClientPacket.discover(MAC3).option(52, 1, 2).build(), DhcpCounter.DROP_BAD_OPTIONS);
        // option overload: refused cleanly
        assertDropped(ClientPacket.discover(MAC3).option(52, 3).build(), DhcpCounter.DROP_OPTION_OVERLOAD);
        // message type: absent (BOOTP), zero, or one a client does not send
        assertDropped(bootpRequest(), DhcpCounter.DROP_NO_MESSAGE_TYPE);
        assertDropped(ClientPacket.of(0, MAC3).build(), DhcpCounter.DROP_BAD_OPTIONS);
        for (int t : new int[] {2, 5, 6, 9, 13, 255}) {
            assertDropped(ClientPacket.of(t, MAC3).build(), DhcpCounter.DROP_UNEXPECTED_MESSAGE_TYPE);
        }
    }

    /** A BOOTP request (RFC 951): the cookie and END, no option 53. */
    private static byte[] bootpRequest() {
        byte[] p = ClientPacket.discover(MAC3).padTo(300).build();
        p[240] = 0;   // 53 -> PAD, 1 -> PAD, 1 -> PAD: only pads, then END
        p[241] = 0;
        p[242] = 0;
        return p;
    }

    @Test
    void zeroLengthOptionsTheServerDoesNotReadAreAccepted() {
        // RFC 4039 Rapid Commit (80) is zero-length by definition
        assertThat(fx.send(ClientPacket.discover(MAC2).option(80).build())).isNotNull();
    }

    @Test
    void randomBytesAreCountedAndChangeNothing() {
        Random rnd = new Random(0x5117dc);
        byte[] buf = new byte[700];
        for (int i = 0; i < 50_000; i++) {
            int n = rnd.nextInt(buf.length + 1);
            rnd.nextBytes(buf);
            byte[] p = Arrays.copyOf(buf, n);
            assertThatCode(() -> fx.send(p)).doesNotThrowAnyException();
        }
        assertThat(fx.server.leases()).isEqualTo(before);
        assertThat(typedPlusMalformed(fx.server.counters())).isEqualTo(fx.count(DhcpCounter.RECEIVED));
    }

    @Test
    void randomOptionChainsReachTheStateMachineWithoutBreakingIt() {
        Random rnd = new Random(7756);
        int[] codes = {0, 1, 3, 12, 26, 50, 50, 51, 52, 53, 54, 54, 55, 57, 61, 61, 82, 255};
        int[] addresses = {0, SERVER, A26, A27, A28, ip("192.0.2.29"), ip("198.51.100.1"), -1};
        long[] macs = {MAC1, MAC2, MAC3, STATIC_MAC, 0x020000000000L | rnd.nextInt()};
        for (int i = 0; i < 50_000; i++) {
            ClientPacket p = ClientPacket.of(1 + rnd.nextInt(9), macs[rnd.nextInt(macs.length)]);
            p.ciaddr = rnd.nextInt(3) == 0 ? addresses[rnd.nextInt(addresses.length)] : 0;
            p.flags = rnd.nextBoolean() ? 0x8000 : 0;
            int n = rnd.nextInt(6);
            for (int k = 0; k < n; k++) {
                int code = rnd.nextInt(8) == 0 ? rnd.nextInt(256) : codes[rnd.nextInt(codes.length)];
                switch (code) {
                    case 0 -> p.raw(0);
                    case 255 -> p.raw(255);
                    case 50, 54 -> {
                        if (rnd.nextInt(8) == 0) {
                            p.option(code, rnd.nextInt(256));               // wrong length
                        } else {
                            p.addr(code, addresses[rnd.nextInt(addresses.length)]);
                        }
                    }
                    case 53 -> p.option(53, rnd.nextInt(12));
                    default -> {
                        int[] data = new int[rnd.nextInt(8) == 0 ? rnd.nextInt(256) : rnd.nextInt(10)];
                        for (int d = 0; d < data.length; d++) {
                            data[d] = rnd.nextInt(256);
                        }
                        p.option(code, data);
                    }
                }
            }
            if (rnd.nextInt(10) == 0) {
                p.noEnd();
            }
            byte[] b = p.padTo(rnd.nextBoolean() ? 300 : 0).build();
            byte[] q = rnd.nextInt(10) == 0 ? Arrays.copyOf(b, rnd.nextInt(b.length + 1)) : b;
            assertThatCode(() -> fx.send(q)).doesNotThrowAnyException();
            if (i % 500 == 0) {
                fx.advanceSeconds(rnd.nextInt(4000));
            }
            assertInvariants();
        }
        assertThat(typedPlusMalformed(fx.server.counters())).isEqualTo(fx.count(DhcpCounter.RECEIVED));
        // the chains do reach every part of the state machine
        for (DhcpCounter c : new DhcpCounter[] {DhcpCounter.OFFER, DhcpCounter.ACK, DhcpCounter.NAK,
                DhcpCounter.DECLINE, DhcpCounter.RELEASE, DhcpCounter.INFORM, DhcpCounter.POOL_EXHAUSTED,
                DhcpCounter.DROP_NOT_HELD, DhcpCounter.DROP_BAD_REQUEST, DhcpCounter.REQUEST_FOR_OTHER_SERVER,
                DhcpCounter.DROP_BAD_OPTIONS, DhcpCounter.DROP_UNEXPECTED_MESSAGE_TYPE}) {
            assertThat(fx.count(c)).as(c.operatorName()).isPositive();
        }
    }

    @Test
    void mutatedClientMessagesNeverBreakTheServersInvariants() {
        Random rnd = new Random(2131);
        List<byte[]> seeds = List.of(
                ClientPacket.discover(MAC3).clientId(MAC3).option(55, 1, 3, 6, 26, 28).build(),
                ClientPacket.select(MAC3, SERVER, A27).build(),
                ClientPacket.renew(MAC1, A26).build(),
                ClientPacket.initReboot(MAC2, A27).build(),
                ClientPacket.decline(MAC1, SERVER, A26).build(),
                ClientPacket.release(MAC1, SERVER, A26).build(),
                ClientPacket.inform(MAC2, A27).build());
        for (int i = 0; i < 50_000; i++) {
            byte[] p = seeds.get(rnd.nextInt(seeds.size())).clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = rnd.nextInt(10) < 7 ? 240 + rnd.nextInt(p.length - 240) : rnd.nextInt(p.length);
                p[at] = (byte) rnd.nextInt(256);
            }
            byte[] q = rnd.nextInt(10) == 0 ? Arrays.copyOf(p, rnd.nextInt(p.length + 1)) : p;
            assertThatCode(() -> fx.send(q)).doesNotThrowAnyException();
            if (i % 1000 == 0) {
                fx.advanceSeconds(97);
            }
            assertInvariants();
        }
        assertThat(typedPlusMalformed(fx.server.counters())).isEqualTo(fx.count(DhcpCounter.RECEIVED));
    }

    private void assertInvariants() {
        Set<Integer> pool = Set.of(A26, A27, A28);
        Set<String> owners = new HashSet<>();
        for (Lease l : fx.server.leases()) {
            assertThat(pool).contains(l.address());
            if (l.address() == A28 && l.state() != Lease.State.DECLINED) {
                assertThat(l.mac()).isEqualTo(STATIC_MAC);
            }
            if (l.state() != Lease.State.DECLINED && !l.expiredAt(fx.now)) {
                String who = l.clientId() == null ? Mac.format(l.mac()) : Arrays.toString(l.clientId());
                assertThat(owners.add(who)).as("%s holds one address", who).isTrue();
            }
        }
    }
}
