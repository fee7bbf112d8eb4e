/**
 * The DHCPv4 server of a network-based Edge Relay (RFC 7756 s3.2, Appendix A.1): it leases the IPv4
 * Service Addresses to the IPv4-only nodes of the ER's segment, with the ER as their default router and
 * the IPv4 MTU that fits the IPv6 path (option 26, RFC 7756 s4.2).
 *
 * <p>A protocol engine without sockets: {@link dev.siitdc.daemon.dhcp.DhcpMessage} reads a message in
 * place, {@link dev.siitdc.daemon.dhcp.DhcpServer} decides and writes the reply into a
 * {@link dev.siitdc.daemon.dhcp.DhcpReply}, {@link dev.siitdc.daemon.dhcp.LeaseStore} keeps the leases in a
 * file. The daemon owns the socket and the thread:
 *
 * <pre>{@code
 * DhcpConfig cfg = DhcpConfig.builder(gateway, prefixLength)          // 192.0.2.25, 29
 *         .pool(serviceAddresses)                                     // 192.0.2.26, 192.0.2.27
 *         .staticBinding(Mac.parse("02:00:5e:00:53:99"), address)     // optional
 *         .interfaceMtu(DhcpConfig.interfaceMtuFor(lowestIpv6Mtu))
 *         .leaseSeconds(3600)
 *         .build();
 * DhcpServer server = new DhcpServer(cfg, new LeaseStore(stateDir.resolve("dhcp.leases")), rateLimitedWarn);
 * DhcpReply reply = new DhcpReply();
 * byte[] in = new byte[1500];
 * // UDP socket bound to 0.0.0.0:67 on the segment interface (SO_BINDTODEVICE), SO_BROADCAST set;
 * // for Destination.YIADDR, give the kernel the neighbour yiaddr at chaddr first (RFC 2131 s4.1)
 * for (;;) {
 *     int n = receive(in);                                            // the UDP payload
 *     if (server.handle(in, 0, n, System.currentTimeMillis(), reply) > 0) {
 *         int dst = reply.destinationAddress();                       // see DhcpReply.Destination
 *         send(reply.buffer(), reply.length(), dst, DhcpReply.CLIENT_PORT);
 *     }
 *     server.tick(System.currentTimeMillis());                        // also on a 1 s timer
 * }
 * // at shutdown: server.flush(System.currentTimeMillis());
 * // metrics: server.counters().forEachNonZero((c, v) -> ...c.operatorName()...)
 * }</pre>
 */
package dev.siitdc.daemon.dhcp;
