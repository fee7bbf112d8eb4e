package dev.siitdc.daemon.dhcp;

import static dev.siitdc.daemon.dhcp.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {
    @TempDir
    Path dir;

    @Test
    void savedLeasesLoadBackAndOffersAreNotSaved() throws IOException {
        LeaseStore store = new LeaseStore(dir.resolve("dhcp.leases"));
        List<Lease> leases = List.of(
                new Lease(A26, Lease.State.BOUND, MAC1, null, T0),
                new Lease(A27, Lease.State.BOUND, MAC2, new byte[] {1, 2, 0, 0x5e, 0, 0x53, 2}, T0 + 1),
                new Lease(A28, Lease.State.DECLINED, 0, null, T0 + 2),
                new Lease(ip("192.0.2.29"), Lease.State.OFFERED, MAC3, null, T0 + 3));
        store.save(leases);
        LeaseStore.Loaded loaded = store.load();
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.leases()).containsExactlyElementsOf(leases.subList(0, 3));
        assertThat(Files.readString(dir.resolve("dhcp.leases")))
                .contains("bound 192.0.2.26 02:00:5e:00:53:01 - 1767225600000\n")
                .contains("bound 192.0.2.27 02:00:5e:00:53:02 0102005e005302 1767225600001\n")
                .contains("declined 192.0.2.28 - - 1767225600002\n");
        assertThat(Files.list(dir).toList()).as("no temporary file left").containsExactly(dir.resolve("dhcp.leases"));
    }

    @Test
    void aMissingFileIsEmpty() {
        LeaseStore.Loaded loaded = new LeaseStore(dir.resolve("none")).load();
        assertThat(loaded.leases()).isEmpty();
        assertThat(loaded.problems()).isEmpty();
    }

    @Test
    void corruptLinesAreReportedWithFileAndLineAndSkipped() throws IOException {
        Path f = dir.resolve("dhcp.leases");
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 7};
        String text = """
                # comment

                bound 192.0.2.26 02:00:5e:00:53:01 - 1767225600000
                bound 192.0.2.27
                leased 192.0.2.27 02:00:5e:00:53:02 - 1
                bound 192.0.2.256 02:00:5e:00:53:02 - 1
                bound 192.0.2.27 02:00:5e:00:53 - 1
                bound 192.0.2.27 03:00:5e:00:53:02 - 1
                bound 192.0.2.27 02:00:5e:00:53:02 0g00 1
                bound 192.0.2.27 02:00:5e:00:53:02 01 1
                bound 192.0.2.27 02:00:5e:00:53:02 - soon
                bound 192.0.2.27 02:00:5e:00:53:02 - -5
                declined 192.0.2.27 02:00:5e:00:53:02 - 1
                """;
        byte[] tail = "  declined   192.0.2.28 - - 1767225600002  \r\n".getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(f)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.write(garbage);
            out.write(" 192.0.2.27 02:00:5e:00:53:02 - 1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(tail);
            out.write("bound 192.0.2.27 02:00:5e:00:53:02 - 17672256".getBytes(StandardCharsets.US_ASCII)); // no newline
        }
        LeaseStore.Loaded loaded = new LeaseStore(f).load();
        assertThat(loaded.leases()).containsExactly(
                new Lease(A26, Lease.State.BOUND, MAC1, null, T0),
                new Lease(A28, Lease.State.DECLINED, 0, null, T0 + 2),
                new Lease(A27, Lease.State.BOUND, MAC2, null, 17672256));
        assertThat(loaded.problems()).hasSize(11).allSatisfy(p -> assertThat(p).startsWith(f + ":").endsWith(": ignored"));
        assertThat(loaded.problems().getFirst()).startsWith(f + ":4: expected 5 fields");
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith(f + ":5: unknown state 'leased'"));
        assertThat(loaded.problems()).anySatisfy(p -> assertThat(p).startsWith(f + ":14: unknown state '\\xff\\xfe\\x00\\x07'"));
    }

    @Test
    void anUnreadableFileIsReportedNotThrown() throws IOException {
        Path d = Files.createDirectory(dir.resolve("leases-is-a-directory"));
        LeaseStore.Loaded loaded = new LeaseStore(d).load();
        assertThat(loaded.leases()).isEmpty();
        assertThat(loaded.problems()).singleElement().asString().startsWith(d + ": cannot read");
    }

    @Test
    void leasesSurviveARestartOfTheServer() {
        LeaseStore store = new LeaseStore(dir.resolve("dhcp.leases"));
        Fx first = new Fx(config().build(), store);
        assertThat(first.dora(MAC1)).isEqualTo(A26);
        first.send(ClientPacket.discover(MAC2));                    // an offer: not kept across a restart
        first.advanceSeconds(5);
        assertThat(first.dora(STATIC_MAC)).isEqualTo(A28);
        first.advanceSeconds(5);
        first.send(ClientPacket.decline(STATIC_MAC, SERVER, A28));

        Fx second = new Fx(config().build(), store);
        second.now = first.now + 60_000;
        assertThat(second.warnings).isEmpty();
        assertThat(second.server.leases()).containsExactly(
                new Lease(A26, Lease.State.BOUND, MAC1, null, T0 + 3_600_000),
                new Lease(A28, Lease.State.DECLINED, 0, null, first.now + 600_000));
        assertThat(second.send(ClientPacket.renew(MAC1, A26)).messageType()).isEqualTo(DhcpMessage.DHCPACK);
        assertThat(second.send(ClientPacket.discover(MAC2)).yiaddr()).isEqualTo(A27);
        assertThat(second.send(ClientPacket.discover(MAC3))).isNull();
    }

    /**
     * Found by {@link DhcpFuzzTest}: a DHCPDISCOVER that turned an expired lease (or an expired decline)
     * into an offer left the old entry in the lease file, which then no longer said what the server knew.
     */
    @Test
    void anExpiredLeaseOrDeclineReofferedLeavesTheLeaseFile() {
        LeaseStore store = new LeaseStore(dir.resolve("dhcp.leases"));
        Fx fx = new Fx(config().build(), store);
        assertThat(fx.dora(MAC1)).isEqualTo(A26);
        fx.advanceSeconds(3601);
        assertThat(fx.send(ClientPacket.discover(MAC1)).yiaddr()).isEqualTo(A26);
        assertThat(fx.server.leases()).singleElement()
                .satisfies(l -> assertThat(l.state()).isEqualTo(Lease.State.OFFERED));
        assertThat(store.load().leases()).as("the expired lease, now an offer, is not in the file").isEmpty();

        assertThat(fx.send(ClientPacket.select(MAC1, SERVER, A26)).messageType()).isEqualTo(DhcpMessage.DHCPACK);
        fx.send(ClientPacket.decline(MAC1, SERVER, A26));
        assertThat(store.load().leases()).singleElement()
                .satisfies(l -> assertThat(l.state()).isEqualTo(Lease.State.DECLINED));
        fx.advanceSeconds(601);
        assertThat(fx.send(ClientPacket.discover(MAC2).addr(DhcpMessage.OPT_REQUESTED_ADDRESS, A26)).yiaddr())
                .isEqualTo(A26);
        assertThat(store.load().leases()).as("the expired decline, now an offer, is not in the file").isEmpty();
        assertThat(new Fx(config().build(), store).server.leases()).isEmpty();
    }

    @Test
    void leasesForAddressesNoLongerConfiguredAreDroppedWithAWarning() {
        LeaseStore store = new LeaseStore(dir.resolve("dhcp.leases"));
        Fx first = new Fx(config().build(), store);
        first.dora(MAC1);                                            // .26
        first.dora(MAC2);                                            // .27

        // .26 leaves the pool; .27 becomes MAC3's static address
        DhcpConfig changed = DhcpConfig.builder(SERVER, 29).pool(ip("192.0.2.29")).staticBinding(MAC3, A27).build();
        Fx second = new Fx(changed, store);
        assertThat(second.server.leases()).isEmpty();
        assertThat(second.warnings).hasSize(2);
        assertThat(second.warnings.get(0)).contains("192.0.2.26", "no longer in the DHCP pool");
        assertThat(second.warnings.get(1)).contains("192.0.2.27", "bound statically to 02:00:5e:00:53:03");
    }

    @Test
    void aCorruptFileDoesNotStopTheServer() throws IOException {
        Path f = dir.resolve("dhcp.leases");
        Files.write(f, new byte[] {(byte) 0x80, 0, '\n', 'x', '\n'});
        Fx fx = new Fx(config().build(), new LeaseStore(f));
        assertThat(fx.warnings).hasSize(2).allSatisfy(w -> assertThat(w).startsWith(f + ":"));
        assertThat(fx.dora(MAC1)).isEqualTo(A26);
        assertThat(new LeaseStore(f).load().leases()).hasSize(1);
    }

    @Test
    void aWriteErrorIsCountedAndReportedAndTheClientStillGetsItsLease() {
        LeaseStore store = new LeaseStore(dir.resolve("no-such-dir").resolve("dhcp.leases"));
        Fx fx = new Fx(config().build(), store);
        assertThat(fx.dora(MAC1)).isEqualTo(A26);
        assertThat(fx.count(DhcpCounter.LEASE_WRITE_ERROR)).isEqualTo(1);
        assertThat(fx.warnings).singleElement().asString().contains("cannot write the DHCP lease file");
    }

    @Test
    void writesCanBeBatched() throws IOException {
        Path f = dir.resolve("dhcp.leases");
        Fx fx = new Fx(config().leaseWriteIntervalMillis(10_000).build(), new LeaseStore(f));
        fx.dora(MAC1);
        assertThat(new LeaseStore(f).load().leases()).hasSize(1);      // the first write is immediate
        fx.advanceSeconds(1);
        fx.dora(MAC2);
        assertThat(new LeaseStore(f).load().leases()).hasSize(1);      // within the interval: held back
        fx.server.tick(fx.now + 5_000);
        assertThat(new LeaseStore(f).load().leases()).hasSize(1);
        fx.server.tick(fx.now + 9_000);
        assertThat(new LeaseStore(f).load().leases()).hasSize(2);

        fx.advanceSeconds(10);
        fx.send(ClientPacket.renew(MAC1, A26));
        fx.advanceSeconds(1);
        fx.send(ClientPacket.renew(MAC2, A27));
        fx.server.flush(fx.now);
        assertThat(new LeaseStore(f).load().leases())
                .allSatisfy(l -> assertThat(l.expiresMillis()).isGreaterThan(T0 + 3_600_000));
    }
}
