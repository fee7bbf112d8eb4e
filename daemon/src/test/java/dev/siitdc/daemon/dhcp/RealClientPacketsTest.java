package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.DhcpMessage.*;
import static dev.siitdc.daemon.dhcp.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siitdc.daemon.dhcp.DhcpReply.Destination;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Messages laid out byte for byte as the two common Linux clients send them, written out by hand from
 * RFC 2131 s2 and from what the clients put in them (not captured from a wire): BusyBox udhcpc
 * (send_discover/send_select/send_renew/send_release: message type, max message size 576, its default
 * parameter request list, vendor class, and client identifier 0x01 + MAC; padded with zeros to 300 bytes)
 * and ISC dhclient with Debian's default dhclient.conf (message type, host name, a long parameter
 * request list that includes the interface MTU; no client identifier; padded to 300 bytes).
 */
class RealClientPacketsTest {
    private static final long UDHCPC_MAC = Mac.parse("02:42:ac:11:00:02");
    private static final long DHCLIENT_MAC = Mac.parse("52:54:00:12:34:56");

    private static byte[] message(String header, String options) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(hex(header));
        o.writeBytes(new byte[64 + 128]);                 // sname, file
        o.writeBytes(hex("63 82 53 63"));                 // magic cookie 99.130.83.99
        o.writeBytes(hex(options));
        while (o.size() < 300) {
            o.write(0);
        }
        return o.toByteArray();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    // BusyBox udhcpc: the same xid for a whole exchange, secs since the first message, flags 0
    private static final String UDHCPC_HEADER_INIT = """
            01 01 06 00   5a 3c 1e 07   00 00 00 00
            00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
            02 42 ac 11 00 02 00 00 00 00 00 00 00 00 00 00
            """;
    private static final String UDHCPC_HEADER_BOUND = """
            01 01 06 00   7e 01 c4 55   00 00 00 00
            c0 00 02 1a   00 00 00 00   00 00 00 00   00 00 00 00
            02 42 ac 11 00 02 00 00 00 00 00 00 00 00 00 00
            """;
    private static final String UDHCPC_COMMON = """
            39 02 02 40
            37 07 01 03 06 0c 0f 1c 2a
            3c 0c 75 64 68 63 70 20 31 2e 33 36 2e 31
            3d 07 01 02 42 ac 11 00 02
            """;

    @Test
    void busyboxUdhcpc() {
        Fx fx = new Fx();
        DhcpMessage offer = fx.send(message(UDHCPC_HEADER_INIT, "35 01 01" + UDHCPC_COMMON + "ff"));
        assertThat(offer.messageType()).isEqualTo(DHCPOFFER);
        assertThat(offer.xid()).isEqualTo(0x5a3c1e07);
        assertThat(offer.yiaddr()).isEqualTo(ip("192.0.2.26"));
        assertThat(fx.reply.destination()).isEqualTo(Destination.YIADDR);
        assertThat(fx.reply.chaddr()).isEqualTo(UDHCPC_MAC);
        assertThat(optBytes(offer, OPT_CLIENT_ID)).containsExactly(hex("01 02 42 ac 11 00 02"));
        assertThat(opt32(offer, OPT_BROADCAST)).isEqualTo(ip("192.0.2.31"));
        // not requested by udhcpc, but sent anyway (RFC 7756 s4.2); udhcpc hands it to its script as $mtu
        assertThat(optBytes(offer, OPT_INTERFACE_MTU)).containsExactly(0x05, 0xc8);

        DhcpMessage ack = fx.send(message(UDHCPC_HEADER_INIT,
                "35 01 03   32 04 c0 00 02 1a   36 04 c0 00 02 19" + UDHCPC_COMMON + "ff"));
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(ack.yiaddr()).isEqualTo(ip("192.0.2.26"));
        assertThat(opt32(ack, OPT_LEASE_TIME)).isEqualTo(3600);
        assertThat(opt32(ack, OPT_SUBNET_MASK)).isEqualTo(ip("255.255.255.248"));
        assertThat(opt32(ack, OPT_ROUTER)).isEqualTo(SERVER);

        fx.advanceSeconds(1800);
        DhcpMessage renewed = fx.send(message(UDHCPC_HEADER_BOUND, "35 01 03" + UDHCPC_COMMON + "ff"));
        assertThat(renewed.messageType()).isEqualTo(DHCPACK);
        assertThat(fx.reply.destination()).isEqualTo(Destination.CIADDR);

        assertThat(fx.send(message(UDHCPC_HEADER_BOUND,
                "35 01 07   36 04 c0 00 02 19   3d 07 01 02 42 ac 11 00 02   ff"))).isNull();
        assertThat(fx.count(DhcpCounter.RELEASE)).isEqualTo(1);
        assertThat(fx.count(DhcpCounter.DROP_NOT_HELD)).isZero();
        assertThat(fx.server.leases().getFirst().expiredAt(fx.now)).isTrue();
    }

    // ISC dhclient 4.4: secs counts up, flags 0
    private static final String DHCLIENT_HEADER_INIT = """
            01 01 06 00   e2 9a 07 3b   00 03 00 00
            00 00 00 00   00 00 00 00   00 00 00 00   00 00 00 00
            52 54 00 12 34 56 00 00 00 00 00 00 00 00 00 00
            """;
    private static final String DHCLIENT_HEADER_BOUND = """
            01 01 06 00   9c 10 5f 21   00 00 00 00
            c0 00 02 1a   00 00 00 00   00 00 00 00   00 00 00 00
            52 54 00 12 34 56 00 00 00 00 00 00 00 00 00 00
            """;
    private static final String DHCLIENT_HOST_AND_PRL = """
            0c 05 6e 6f 64 65 31
            37 0d 01 1c 02 03 0f 06 77 0c 2c 2f 1a 79 2a
            """;

    @Test
    void iscDhclient() {
        Fx fx = new Fx();
        DhcpMessage offer = fx.send(message(DHCLIENT_HEADER_INIT, "35 01 01" + DHCLIENT_HOST_AND_PRL + "ff"));
        assertThat(offer.messageType()).isEqualTo(DHCPOFFER);
        assertThat(offer.xid()).isEqualTo(0xe29a073b);
        assertThat(offer.findOption(OPT_CLIENT_ID)).isNegative();
        assertThat(opt32(offer, OPT_BROADCAST)).isEqualTo(ip("192.0.2.31"));
        assertThat(optBytes(offer, OPT_INTERFACE_MTU)).containsExactly(0x05, 0xc8);

        DhcpMessage ack = fx.send(message(DHCLIENT_HEADER_INIT,
                "35 01 03   36 04 c0 00 02 19   32 04 c0 00 02 1a" + DHCLIENT_HOST_AND_PRL + "ff"));
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(ack.chaddr()).isEqualTo(DHCLIENT_MAC);
        assertThat(fx.server.leases()).containsExactly(
                new Lease(ip("192.0.2.26"), Lease.State.BOUND, DHCLIENT_MAC, null, fx.now + 3_600_000));

        fx.advanceSeconds(1800);
        DhcpMessage renewed = fx.send(message(DHCLIENT_HEADER_BOUND, "35 01 03" + DHCLIENT_HOST_AND_PRL + "ff"));
        assertThat(renewed.messageType()).isEqualTo(DHCPACK);
        assertThat(renewed.ciaddr()).isEqualTo(ip("192.0.2.26"));

        // after a reboot, dhclient asks for its old address with DISCOVER + option 50, then INIT-REBOOT
        fx.advanceSeconds(60);
        assertThat(fx.send(message(DHCLIENT_HEADER_INIT,
                "35 01 03   32 04 c0 00 02 1a" + DHCLIENT_HOST_AND_PRL + "ff")).messageType()).isEqualTo(DHCPACK);

        assertThat(fx.send(message(DHCLIENT_HEADER_BOUND, "35 01 07   36 04 c0 00 02 19   ff"))).isNull();
        assertThat(fx.count(DhcpCounter.DROP_NOT_HELD)).isZero();
    }
}
