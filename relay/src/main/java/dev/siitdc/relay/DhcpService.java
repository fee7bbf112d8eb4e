package dev.siitdc.relay;

import dev.siitdc.core.addr.Ipv4Prefix;
import dev.siitdc.linux.LinuxException;
import dev.siitdc.linux.UdpSocket;
import dev.siitdc.relay.dhcp.DhcpCounters;
import dev.siitdc.relay.dhcp.DhcpMessage;
import dev.siitdc.relay.dhcp.DhcpReply;
import dev.siitdc.relay.dhcp.DhcpServer;
import dev.siitdc.relay.dhcp.Mac;
import dev.siitdc.relay.log.Level;
import dev.siitdc.relay.log.RateLimitedLog;

/**
 * The network-based Edge Relay's DHCPv4 server on its segment (RFC 7756 Appendix A.1): one thread that
 * reads the server port of the segment interface, lets {@link DhcpServer} answer, and sends the reply.
 * A reply to a client without an address yet (RFC 2131 s4.1: "yiaddr" at "chaddr") is broadcast, which
 * s4.1 allows when the server cannot unicast to an unconfigured client; every client listens for it.
 * Leases are written by the server as they change, on its 1 s tick and once more when the thread ends.
 */
final class DhcpService implements Runnable {
    /** How long one receive waits: the stop signal and the lease tick are looked at this often. */
    static final int POLL_MILLIS = 250;

    private final DhcpServer server;
    private final UdpSocket socket;
    private final String device;
    private final StopSignal stop;
    private final RateLimitedLog log;
    private final byte[] in = new byte[1500];
    private final DhcpReply reply = new DhcpReply(new byte[1500]);
    private volatile Throwable failure;

    DhcpService(DhcpServer server, UdpSocket socket, String device, StopSignal stop, RateLimitedLog log) {
        this.server = server;
        this.socket = socket;
        this.device = device;
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

    private void send(long now) {
        int dst = reply.destination() == DhcpReply.Destination.CIADDR ? reply.destinationAddress()
                : DhcpReply.BROADCAST_ADDRESS;
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
