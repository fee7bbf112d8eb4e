package dev.siitdc.daemon;

import dev.siitdc.dataplane.StopSignal;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.Rtnetlink;
import dev.siitdc.linux.UdpSocket;
import dev.siitdc.daemon.dhcp.DhcpCounters;
import dev.siitdc.daemon.dhcp.DhcpMessage;
import dev.siitdc.daemon.dhcp.DhcpReply;
import dev.siitdc.daemon.dhcp.DhcpServer;
import dev.siitdc.daemon.dhcp.Mac;
import dev.siitdc.dataplane.log.Level;
import dev.siitdc.dataplane.log.RateLimitedLog;

/**
 * The network-based Edge Relay's DHCPv4 server on its segment (RFC 7756 Appendix A.1): one thread that
 * reads the server port of the segment interface, lets {@link DhcpServer} answer, and sends the reply.
 * Replies go where RFC 2131 s4.1 says: to "ciaddr" for a configured client, broadcast when the client set
 * the BROADCAST flag (and for a DHCPNAK), otherwise unicast to "yiaddr" at the client's hardware address
 * "chaddr": the server first gives the kernel that neighbour entry (the client cannot answer ARP for an
 * address it does not have yet). Should that fail, the reply is broadcast, which s4.1 allows.
 * Leases are written by the server as they change, on its 1 s tick and once more when the thread ends.
 */
final class DhcpService implements Runnable {
    /** How long one receive waits: the stop signal and the lease tick are looked at this often. */
    static final int POLL_MILLIS = 250;

    private final DhcpServer server;
    private final UdpSocket socket;
    private final String device;
    private final Rtnetlink rtnl;
    private final int ifindex;
    private final byte[] yiaddr = new byte[4];
    private final byte[] chaddr = new byte[6];
    private final StopSignal stop;
    private final RateLimitedLog log;
    private final byte[] in = new byte[1500];
    private final DhcpReply reply = new DhcpReply(new byte[1500]);
    private volatile Throwable failure;

    DhcpService(DhcpServer server, UdpSocket socket, String device, int ifindex, Rtnetlink rtnl, StopSignal stop,
            RateLimitedLog log) {
        this.server = server;
        this.socket = socket;
        this.device = device;
        this.ifindex = ifindex;
        this.rtnl = rtnl;
        this.stop = stop;
        this.log = log;
    }

    DhcpCounters counters() {
        return server.counters();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        long lastTick = 0;
        try {
            while (!stop.requested()) {
                int n = socket.receive(in, 0, in.length, POLL_MILLIS);
                long now = System.currentTimeMillis();
                if (n > 0 && server.handle(in, 0, n, now, reply) > 0) {
                    send(now);
                }
                if (now - lastTick >= 1000) {
                    server.tick(now);
                    lastTick = now;
                }
            }
        } catch (LinuxException | RuntimeException e) {
            failure = e;
            log.log("dhcp-failed", Level.ERROR, "siitdc: the DHCP server on " + device + " failed: " + e
                    + "; stopping the relay");
            stop.request("DHCP server failed: " + e.getMessage());
        } finally {
            server.flush(System.currentTimeMillis());
        }
    }

    /** yiaddr, once the kernel has it at chaddr; the broadcast address if it cannot. */
    private int unicastTarget() {
        int a = reply.destinationAddress();
        Ipv4Prefix.write(a, yiaddr, 0);
        Mac.write(reply.chaddr(), chaddr, 0);
        try {
            rtnl.setNeighbor(ifindex, yiaddr, chaddr);
            return a;
        } catch (LinuxException | RuntimeException e) {
            log.log("dhcp-neighbour", Level.WARNING, "siitdc: warning: cannot add the neighbour " + Ipv4Prefix.format(a)
                    + " at " + Mac.format(reply.chaddr()) + " on " + device + " (" + e.getMessage()
                    + "): DHCP replies to clients without an address are broadcast");
            return DhcpReply.BROADCAST_ADDRESS;
        }
    }

    private void send(long now) {
        int dst = switch (reply.destination()) {
            case CIADDR -> reply.destinationAddress();
            case YIADDR -> unicastTarget();
            default -> DhcpReply.BROADCAST_ADDRESS;
        };
        try {
            socket.send(reply.buffer(), 0, reply.length(), dst, DhcpReply.CLIENT_PORT);
        } catch (LinuxException e) {
            server.countSendError();
            log.log("dhcp-send", Level.WARNING, "siitdc: warning: DHCP reply to " + Ipv4Prefix.format(dst) + " on "
                    + device + " not sent: " + e.getMessage());
            return;
        }
        if (reply.messageType() == DhcpMessage.DHCPACK || reply.messageType() == DhcpMessage.DHCPNAK) {
            log.log("dhcp-lease", Level.INFO, "siitdc: dhcp " + (reply.messageType() == DhcpMessage.DHCPACK ? "ack "
                    : "nak ") + Ipv4Prefix.format(reply.address()) + " for " + Mac.format(reply.chaddr()) + " on "
                    + device);
        }
    }
}
