package dev.siitdc.daemon.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siitdc.core.addr.Ipv4Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The test segment of RFC 7756 Appendix A.1: the ER holds 192.0.2.25/29 and leases 192.0.2.26 and .27;
 * 192.0.2.28 is bound to one MAC.
 */
final class Fx {
    static final int SERVER = ip("192.0.2.25");
    static final int A26 = ip("192.0.2.26");
    static final int A27 = ip("192.0.2.27");
    static final int A28 = ip("192.0.2.28");
    static final long MAC1 = Mac.parse("02:00:5e:00:53:01");
    static final long MAC2 = Mac.parse("02:00:5e:00:53:02");
    static final long MAC3 = Mac.parse("02:00:5e:00:53:03");
    static final long STATIC_MAC = Mac.parse("02:00:5e:00:53:99");
    /** 2026-01-01T00:00:00Z: a wall-clock time, as the daemon passes. */
    static final long T0 = 1_767_225_600_000L;

    final DhcpServer server;
    final DhcpReply reply = new DhcpReply();
    final List<String> warnings = new ArrayList<>();
    long now = T0;

    Fx() {
        this(config().build(), null);
    }

    Fx(DhcpConfig cfg, LeaseStore store) {
        server = new DhcpServer(cfg, store, warnings::add);
    }

    static DhcpConfig.Builder config() {
        return DhcpConfig.builder(SERVER, 29).pool(A26, A27).staticBinding(STATIC_MAC, A28)
                .leaseSeconds(3600).interfaceMtu(DhcpConfig.interfaceMtuFor(1500));
    }

    static int ip(String s) {
        return Ipv4Prefix.parseAddress(s);
    }

    /** Sends {@code p}; returns the reply, parsed, or null when there is none. */
    DhcpMessage send(ClientPacket p) {
        return send(p.build());
    }

    DhcpMessage send(byte[] packet) {
        int n = server.handle(packet, 0, packet.length, now, reply);
        assertThat(n).isEqualTo(reply.length());
        if (n == 0) {
            assertThat(reply.destination()).isEqualTo(DhcpReply.Destination.NONE);
            return null;
        }
        byte[] copy = Arrays.copyOf(reply.buffer(), n);
        DhcpMessage m = new DhcpMessage();
        assertThat(m.parse(copy, 0, n)).as("reply parses: %s", m.dropReason()).isTrue();
        assertThat(m.op()).isEqualTo(DhcpMessage.BOOTREPLY);
        assertThat(n).isBetween(DhcpReply.MIN_REPLY, DhcpReply.MIN_BUFFER);
        return m;
    }

    /** DISCOVER then SELECTING REQUEST; returns the address bound. */
    int dora(long mac) {
        DhcpMessage offer = send(ClientPacket.discover(mac));
        assertThat(offer).isNotNull();
        assertThat(offer.messageType()).isEqualTo(DhcpMessage.DHCPOFFER);
        DhcpMessage ack = send(ClientPacket.select(mac, SERVER, offer.yiaddr()));
        assertThat(ack.messageType()).isEqualTo(DhcpMessage.DHCPACK);
        assertThat(ack.yiaddr()).isEqualTo(offer.yiaddr());
        return ack.yiaddr();
    }

    long count(DhcpCounter c) {
        return server.counters().get(c);
    }

    void advanceSeconds(long s) {
        now += s * 1000;
    }

    /** The 4-byte value of option {@code code} in {@code m}; fails if absent or of another length. */
    static int opt32(DhcpMessage m, int code) {
        int at = m.findOption(code);
        assertThat(at).as("option %d present", code).isPositive();
        assertThat(m.optionLength(at)).isEqualTo(4);
        byte[] b = m.buffer();
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    static byte[] optBytes(DhcpMessage m, int code) {
        int at = m.findOption(code);
        return at < 0 ? null : Arrays.copyOfRange(m.buffer(), at, at + m.optionLength(at));
    }
}
