package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.DhcpMessage.*;
import static dev.siitdc.daemon.dhcp.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siitdc.daemon.dhcp.DhcpReply.Destination;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpServerTest {

    @Test
    void doraGivesAPoolAddressWithTheErAsRouterAndTheTranslatorsMtu() {
        Fx fx = new Fx();
        DhcpMessage offer = fx.send(ClientPacket.discover(MAC1).xid(0x11223344));
        assertThat(offer.messageType()).isEqualTo(DHCPOFFER);
        assertThat(offer.xid()).isEqualTo(0x11223344);
        assertThat(offer.chaddr()).isEqualTo(MAC1);
        assertThat(offer.yiaddr()).isEqualTo(A26);
        assertThat(offer.ciaddr()).isZero();
        assertThat(offer.siaddr()).isZero();
        assertThat(offer.giaddr()).isZero();
        assertThat(offer.serverId()).isEqualTo(SERVER);
        assertThat(opt32(offer, OPT_LEASE_TIME)).isEqualTo(3600);
        assertThat(opt32(offer, OPT_RENEWAL_TIME)).isEqualTo(1800);
        assertThat(opt32(offer, OPT_REBINDING_TIME)).isEqualTo(3150);
        assertThat(opt32(offer, OPT_SUBNET_MASK)).isEqualTo(ip("255.255.255.248"));
        assertThat(opt32(offer, OPT_ROUTER)).isEqualTo(SERVER);
        assertThat(optBytes(offer, OPT_INTERFACE_MTU)).containsExactly(1480 >> 8, 1480 & 0xff);
        assertThat(offer.findOption(OPT_BROADCAST)).as("not requested").isNegative();
        assertThat(offer.findOption(OPT_DNS)).as("none configured").isNegative();
        // no BROADCAST flag, no ciaddr: unicast to yiaddr at chaddr (RFC 2131 s4.1)
        assertThat(fx.reply.destination()).isEqualTo(Destination.YIADDR);
        assertThat(fx.reply.destinationAddress()).isEqualTo(A26);
        assertThat(fx.reply.chaddr()).isEqualTo(MAC1);
        assertThat(fx.server.leases()).singleElement()
                .satisfies(l -> assertThat(l.state()).isEqualTo(Lease.State.OFFERED));

        DhcpMessage ack = fx.send(ClientPacket.select(MAC1, SERVER, A26).xid(0x11223345));
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(ack.xid()).isEqualTo(0x11223345);
        assertThat(ack.yiaddr()).isEqualTo(A26);
        assertThat(opt32(ack, OPT_LEASE_TIME)).isEqualTo(3600);
        assertThat(opt32(ack, OPT_SUBNET_MASK)).isEqualTo(ip("255.255.255.248"));
        assertThat(opt32(ack, OPT_ROUTER)).isEqualTo(SERVER);
        assertThat(optBytes(ack, OPT_INTERFACE_MTU)).containsExactly(0x05, 0xc8);
        assertThat(fx.reply.destination()).isEqualTo(Destination.YIADDR);
        assertThat(fx.server.leases()).containsExactly(new Lease(A26, Lease.State.BOUND, MAC1, null, T0 + 3_600_000));
        assertThat(fx.count(DhcpCounter.DISCOVER)).isEqualTo(1);
        assertThat(fx.count(DhcpCounter.OFFER)).isEqualTo(1);
        assertThat(fx.count(DhcpCounter.REQUEST)).isEqualTo(1);
        assertThat(fx.count(DhcpCounter.ACK)).isEqualTo(1);
        assertThat(fx.warnings).isEmpty();
    }

    @Test
    void broadcastFlagAndRequestedOptionsAreHonoured() {
        Fx fx = new Fx(config().dnsServers(ip("198.51.100.53"), ip("198.51.100.54")).build(), null);
        DhcpMessage offer = fx.send(ClientPacket.discover(MAC1).broadcast().option(55, 1, 3, 28, 6));
        assertThat(fx.reply.destination()).isEqualTo(Destination.BROADCAST);
        assertThat(fx.reply.destinationAddress()).isEqualTo(0xffffffff);
        assertThat(offer.broadcastFlag()).as("flags echoed").isTrue();
        assertThat(opt32(offer, OPT_BROADCAST)).isEqualTo(ip("192.0.2.31"));
        assertThat(optBytes(offer, OPT_DNS)).containsExactly(198, 51, 100, 53, 198, 51, 100, 54);
    }

    @Test
    void anOfferReservesTheAddressForAWhile() {
        Fx fx = new Fx();
        assertThat(fx.send(ClientPacket.discover(MAC1)).yiaddr()).isEqualTo(A26);
        assertThat(fx.send(ClientPacket.discover(MAC2)).yiaddr()).isEqualTo(A27);
        assertThat(fx.send(ClientPacket.discover(MAC3))).isNull();
        assertThat(fx.count(DhcpCounter.POOL_EXHAUSTED)).isEqualTo(1);
        // the same client asking again gets the same offer
        assertThat(fx.send(ClientPacket.discover(MAC1)).yiaddr()).isEqualTo(A26);
        fx.advanceSeconds(61);
        assertThat(fx.send(ClientPacket.discover(MAC3))).isNotNull();
    }

    @Test
    void discoverPrefersTheRequestedAddressWhenFree() {
        Fx fx = new Fx();
        assertThat(fx.send(ClientPacket.discover(MAC1).addr(50, A27)).yiaddr()).isEqualTo(A27);
        assertThat(fx.send(ClientPacket.discover(MAC2).addr(50, A27)).yiaddr()).isEqualTo(A26);
    }

    @Test
    void renewingExtendsTheLeaseAndAnswersCiaddr() {
        Fx fx = new Fx();
        int a = fx.dora(MAC1);
        fx.advanceSeconds(1800);                               // T1
        DhcpMessage ack = fx.send(ClientPacket.renew(MAC1, a));
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(ack.ciaddr()).isEqualTo(a);
        assertThat(ack.yiaddr()).isEqualTo(a);
        assertThat(fx.reply.destination()).isEqualTo(Destination.CIADDR);
        assertThat(fx.reply.destinationAddress()).isEqualTo(a);
        assertThat(fx.server.leases().getFirst().expiresMillis()).isEqualTo(fx.now + 3_600_000);
    }

    @Test
    void rebindingAfterT2ExtendsTheLease() {
        Fx fx = new Fx();
        int a = fx.dora(MAC1);
        fx.advanceSeconds(3200);                               // past T2 (3150), before expiry
        DhcpMessage ack = fx.send(ClientPacket.renew(MAC1, a).broadcast());
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(fx.reply.destination()).as("ciaddr wins over the flag").isEqualTo(Destination.CIADDR);
        assertThat(fx.server.leases().getFirst().expiresMillis()).isEqualTo(fx.now + 3_600_000);
    }

    @Test
    void renewingAnExpiredLeaseIsGrantedWhileTheAddressIsFreeAndRefusedOnceTaken() {
        Fx fx = new Fx();
        int a = fx.dora(MAC1);
        fx.advanceSeconds(4000);
        assertThat(fx.send(ClientPacket.renew(MAC1, a)).messageType()).isEqualTo(DHCPACK);

        fx.advanceSeconds(4000);
        assertThat(fx.dora(MAC2)).isEqualTo(A27);              // never-used addresses first
        assertThat(fx.dora(MAC3)).isEqualTo(a);                // then the expired lease
        DhcpMessage nak = fx.send(ClientPacket.renew(MAC1, a));
        assertThat(nak.messageType()).isEqualTo(DHCPNAK);
        assertThat(fx.reply.destination()).isEqualTo(Destination.BROADCAST);
    }

    @Test
    void initRebootWithAWrongAddressIsNakedWithOnlyTheNakOptions() {
        Fx fx = new Fx();
        fx.dora(MAC2);                                                          // holds .26
        for (int wrong : new int[] {ip("198.51.100.7"), A26, SERVER, A28, ip("192.0.2.29")}) {
            DhcpMessage nak = fx.send(ClientPacket.initReboot(MAC1, wrong).clientId(MAC1));
            assertThat(nak.messageType()).as(Integer.toHexString(wrong)).isEqualTo(DHCPNAK);
            assertThat(nak.yiaddr()).isZero();
            assertThat(nak.ciaddr()).isZero();
            assertThat(nak.serverId()).isEqualTo(SERVER);
            assertThat(nak.findOption(OPT_LEASE_TIME)).isNegative();
            assertThat(nak.findOption(OPT_SUBNET_MASK)).isNegative();
            assertThat(nak.findOption(OPT_ROUTER)).isNegative();
            assertThat(optBytes(nak, OPT_CLIENT_ID)).as("RFC 6842").containsExactly(1, 2, 0, 0x5e, 0, 0x53, 1);
            assertThat(fx.reply.destination()).isEqualTo(Destination.BROADCAST);
            assertThat(fx.reply.address()).isEqualTo(wrong);
        }
        assertThat(fx.count(DhcpCounter.NAK)).isEqualTo(5);
        assertThat(fx.server.leases()).singleElement().satisfies(l -> assertThat(l.mac()).isEqualTo(MAC2));
    }

    @Test
    void initRebootWithItsOwnAddressIsAcked() {
        Fx fx = new Fx();
        int a = fx.dora(MAC1);
        fx.advanceSeconds(600);
        DhcpMessage ack = fx.send(ClientPacket.initReboot(MAC1, a));
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(ack.yiaddr()).isEqualTo(a);
    }

    @Test
    void selectingAnotherServerWithdrawsOurOffer() {
        Fx fx = new Fx();
        fx.send(ClientPacket.discover(MAC1));
        fx.send(ClientPacket.discover(MAC2));
        assertThat(fx.send(ClientPacket.select(MAC1, ip("192.0.2.30"), ip("192.0.2.30")))).isNull();
        assertThat(fx.count(DhcpCounter.REQUEST_FOR_OTHER_SERVER)).isEqualTo(1);
        assertThat(fx.send(ClientPacket.discover(MAC3)).yiaddr()).isEqualTo(A26);
    }

    @Test
    void selectingWithoutARequestedAddressIsDropped() {
        Fx fx = new Fx();
        fx.send(ClientPacket.discover(MAC1));
        assertThat(fx.send(ClientPacket.of(DHCPREQUEST, MAC1).addr(54, SERVER))).isNull();
        assertThat(fx.send(ClientPacket.of(DHCPREQUEST, MAC1))).isNull();
        assertThat(fx.count(DhcpCounter.DROP_BAD_REQUEST)).isEqualTo(2);
    }

    @Test
    void aStaticBindingGoesToItsMacOnly() {
        Fx fx = new Fx();
        assertThat(fx.dora(STATIC_MAC)).isEqualTo(A28);
        fx.advanceSeconds(7200);                                           // expired, still reserved
        assertThat(fx.send(ClientPacket.discover(MAC1).addr(50, A28)).yiaddr()).isEqualTo(A26);
        assertThat(fx.send(ClientPacket.initReboot(MAC2, A28)).messageType()).isEqualTo(DHCPNAK);
        assertThat(fx.send(ClientPacket.initReboot(STATIC_MAC, A27)).messageType()).isEqualTo(DHCPNAK);
        assertThat(fx.send(ClientPacket.discover(STATIC_MAC).clientId(0x0a0b0c0d0e0fL)).yiaddr())
                .as("by chaddr, whatever the client identifier").isEqualTo(A28);
    }

    @Test
    void aStaticAddressAlsoListedInThePoolStaysReservedForItsMac() {
        Fx fx = new Fx(DhcpConfig.builder(SERVER, 29).pool(A26, A27, A28).staticBinding(STATIC_MAC, A28).build(), null);
        assertThat(fx.dora(MAC1)).isEqualTo(A26);
        assertThat(fx.dora(MAC2)).isEqualTo(A27);
        assertThat(fx.send(ClientPacket.discover(MAC3))).isNull();
        assertThat(fx.dora(STATIC_MAC)).isEqualTo(A28);
    }

    @Test
    void declineTakesTheAddressOutOfUseForTheHoldTime() {
        Fx fx = new Fx(config().declineHoldMillis(600_000).build(), null);
        int a = fx.dora(MAC1);
        assertThat(fx.send(ClientPacket.decline(MAC1, SERVER, a))).isNull();
        assertThat(fx.count(DhcpCounter.DECLINE)).isEqualTo(1);
        assertThat(fx.server.leases()).containsExactly(new Lease(a, Lease.State.DECLINED, 0, null, fx.now + 600_000));
        assertThat(fx.warnings).singleElement().asString().contains("DHCPDECLINE", "192.0.2.26", "02:00:5e:00:53:01");

        assertThat(fx.dora(MAC1)).isEqualTo(A27);
        assertThat(fx.send(ClientPacket.discover(MAC2))).isNull();
        assertThat(fx.send(ClientPacket.initReboot(MAC2, a)).messageType()).isEqualTo(DHCPNAK);
        fx.advanceSeconds(601);
        assertThat(fx.send(ClientPacket.discover(MAC2)).yiaddr()).isEqualTo(a);
    }

    @Test
    void onlyTheHolderMayDeclineOrRelease() {
        Fx fx = new Fx();
        int a = fx.dora(MAC1);
        List<Lease> before = fx.server.leases();
        fx.send(ClientPacket.decline(MAC2, SERVER, a));
        fx.send(ClientPacket.release(MAC2, SERVER, a));
        fx.send(ClientPacket.decline(MAC1, ip("192.0.2.30"), a));         // addressed to another server
        fx.send(ClientPacket.release(MAC1, SERVER, A27));
        assertThat(fx.count(DhcpCounter.DROP_NOT_HELD)).isEqualTo(4);
        fx.send(ClientPacket.of(DHCPDECLINE, MAC1).addr(54, SERVER));     // no requested address
        fx.send(ClientPacket.of(DHCPRELEASE, MAC1).addr(54, SERVER));     // no ciaddr
        assertThat(fx.count(DhcpCounter.DROP_BAD_REQUEST)).isEqualTo(2);
        assertThat(fx.server.leases()).isEqualTo(before);
        assertThat(fx.warnings).isEmpty();
    }

    @Test
    void releaseFreesTheAddressButTheSameClientGetsItBackFirst() {
        Fx fx = new Fx();
        int a = fx.dora(MAC1);
        fx.advanceSeconds(100);
        assertThat(fx.send(ClientPacket.release(MAC1, SERVER, a))).isNull();
        assertThat(fx.count(DhcpCounter.RELEASE)).isEqualTo(1);
        assertThat(fx.server.leases().getFirst().expiresMillis()).isEqualTo(fx.now);
        assertThat(fx.send(ClientPacket.discover(MAC1)).yiaddr()).isEqualTo(a);

        fx.advanceSeconds(61);
        assertThat(fx.dora(MAC2)).isEqualTo(A27);
        assertThat(fx.dora(MAC3)).as("released, so free for others").isEqualTo(a);
    }

    @Test
    void informGetsTheConfigurationButNoLease() {
        Fx fx = new Fx();
        DhcpMessage ack = fx.send(ClientPacket.inform(MAC1, ip("192.0.2.29")).option(55, 1, 3, 26));
        assertThat(ack.messageType()).isEqualTo(DHCPACK);
        assertThat(ack.yiaddr()).isZero();
        assertThat(ack.ciaddr()).isEqualTo(ip("192.0.2.29"));
        assertThat(ack.findOption(OPT_LEASE_TIME)).isNegative();
        assertThat(ack.findOption(OPT_RENEWAL_TIME)).isNegative();
        assertThat(ack.findOption(OPT_REBINDING_TIME)).isNegative();
        assertThat(opt32(ack, OPT_SUBNET_MASK)).isEqualTo(ip("255.255.255.248"));
        assertThat(opt32(ack, OPT_ROUTER)).isEqualTo(SERVER);
        assertThat(optBytes(ack, OPT_INTERFACE_MTU)).containsExactly(0x05, 0xc8);
        assertThat(ack.serverId()).isEqualTo(SERVER);
        assertThat(fx.reply.destination()).isEqualTo(Destination.CIADDR);
        assertThat(fx.reply.destinationAddress()).isEqualTo(ip("192.0.2.29"));
        assertThat(fx.server.leases()).isEmpty();

        assertThat(fx.send(ClientPacket.inform(MAC1, ip("203.0.113.9")))).isNull();
        assertThat(fx.count(DhcpCounter.DROP_INFORM_OFF_SUBNET)).isEqualTo(1);
        assertThat(fx.count(DhcpCounter.INFORM)).isEqualTo(2);
    }

    @Test
    void expiredLeasesReturnToThePool() {
        Fx fx = new Fx();
        fx.dora(MAC1);
        fx.advanceSeconds(10);
        fx.dora(MAC2);
        assertThat(fx.send(ClientPacket.discover(MAC3))).isNull();
        fx.advanceSeconds(3595);                                // MAC1's lease has expired, MAC2's not yet
        assertThat(fx.send(ClientPacket.discover(MAC3)).yiaddr()).isEqualTo(A26);
        assertThat(fx.send(ClientPacket.renew(MAC2, A27)).messageType()).isEqualTo(DHCPACK);
    }

    @Test
    void theClientIdentifierIsTheClientsIdentity() {
        Fx fx = new Fx();
        DhcpMessage offer = fx.send(ClientPacket.discover(MAC1).clientId(0x0a0000000001L));
        assertThat(optBytes(offer, OPT_CLIENT_ID)).containsExactly(1, 0x0a, 0, 0, 0, 0, 1);
        fx.send(ClientPacket.select(MAC1, SERVER, A26).clientId(0x0a0000000001L));
        // the same identifier on another NIC is the same client; the same MAC without it is another one
        assertThat(fx.send(ClientPacket.renew(MAC2, A26).clientId(0x0a0000000001L)).messageType()).isEqualTo(DHCPACK);
        assertThat(fx.send(ClientPacket.renew(MAC1, A26)).messageType()).isEqualTo(DHCPNAK);
        assertThat(fx.server.leases()).singleElement().satisfies(l -> {
            assertThat(l.mac()).isEqualTo(MAC2);
            assertThat(l.clientId()).containsExactly(1, 0x0a, 0, 0, 0, 0, 1);
        });
    }

    @Test
    void aClientHoldsOneAddressAtATime() {
        Fx fx = new Fx();
        fx.dora(MAC1);
        assertThat(fx.send(ClientPacket.initReboot(MAC1, A27)).messageType()).isEqualTo(DHCPACK);
        assertThat(fx.server.leases()).singleElement().satisfies(l -> assertThat(l.address()).isEqualTo(A27));
        assertThat(fx.dora(MAC2)).isEqualTo(A26);
    }

    @Test
    void aReplyFitsTheClientsLimitAndEchoesALongClientIdentifier() {
        Fx fx = new Fx(config().dnsServers(1, 2, 3, 4, 5, 6, 7, 8).build(), null);
        int[] id = new int[255];
        id[0] = 0xff;
        DhcpMessage offer = fx.send(ClientPacket.discover(MAC1).option(61, id).option(55, 28));
        assertThat(fx.reply.length()).isLessThanOrEqualTo(548);
        assertThat(opt32(offer, OPT_LEASE_TIME)).isEqualTo(3600);
        assertThat(optBytes(offer, OPT_INTERFACE_MTU)).hasSize(2);
        // with room (option 57 = 1500), the identifier is echoed too
        DhcpReply big = new DhcpReply(new byte[1500]);
        byte[] p = ClientPacket.discover(MAC1).option(61, id).option(57, 1500 >> 8, 1500 & 0xff).build();
        fx.server.handle(p, 0, p.length, fx.now, big);
        DhcpMessage m = new DhcpMessage();
        assertThat(m.parse(big.buffer(), 0, big.length())).isTrue();
        assertThat(optBytes(m, OPT_CLIENT_ID)).hasSize(255);
    }

    @Test
    void theReplyBufferMustHoldAMinimalDhcpMessage() {
        assertThatThrownBy(() -> new DhcpReply(new byte[547])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMessageIsCountedOnceAsATypeOrAMalformedDrop() {
        Fx fx = new Fx();
        fx.dora(MAC1);
        fx.send(ClientPacket.inform(MAC2, A27));
        fx.send(new byte[10]);
        ClientPacket relayed = ClientPacket.discover(MAC3);
        relayed.giaddr = ip("10.0.0.1");
        fx.send(relayed);
        assertThat(fx.count(DhcpCounter.DROP_RELAYED)).isEqualTo(1);
        assertThat(fx.count(DhcpCounter.RECEIVED)).isEqualTo(5);
        assertThat(HostileInputTest.typedPlusMalformed(fx.server.counters())).isEqualTo(5);
    }
}
