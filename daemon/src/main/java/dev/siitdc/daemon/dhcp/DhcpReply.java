package dev.siitdc.daemon.dhcp;

/**
 * Where {@link DhcpServer#handle} writes its reply, and where the reply must go (RFC 2131 s4.1). The
 * daemon keeps one and reuses it for every message; {@link DhcpServer#handle} resets it.
 *
 * <p>When {@link #length()} is 0 there is nothing to send. Otherwise send {@code buffer()[0, length())} as
 * one UDP datagram from the server's address, port 67, to port {@link #CLIENT_PORT} of:
 * <ul>
 * <li>{@link Destination#BROADCAST}: 255.255.255.255 (link-layer broadcast);</li>
 * <li>{@link Destination#CIADDR}: {@link #destinationAddress()}, the address the client already uses
 *     (ordinary routing and ARP);</li>
 * <li>{@link Destination#YIADDR}: {@link #destinationAddress()} at link-layer address {@link #chaddr()}:
 *     the client does not answer ARP for that address yet, so this needs a static neighbour entry or an
 *     AF_PACKET socket. RFC 2131 s4.1 lets a server that cannot do that broadcast instead.</li>
 * </ul>
 */
public final class DhcpReply {
    /** The smallest reply buffer: every DHCP client accepts 576-byte IP datagrams (RFC 2131 s2), 548 of DHCP. */
    public static final int MIN_BUFFER = 548;
    /** BOOTP relay agents and old clients expect at least 300 bytes (RFC 1542 s2.1); replies are padded to it. */
    public static final int MIN_REPLY = 300;
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;
    public static final int BROADCAST_ADDRESS = 0xffffffff;

    /** Where a reply goes: RFC 2131 s4.1, for a message that did not come through a relay agent. */
    public enum Destination {
        /** No reply. */
        NONE,
        /** 255.255.255.255, link-layer broadcast: DHCPNAK, or the client set the BROADCAST flag. */
        BROADCAST,
        /** Unicast to ciaddr: the client is configured (RENEWING, REBINDING, DHCPINFORM). */
        CIADDR,
        /** Unicast to yiaddr at link-layer address chaddr (the client is not configured yet). */
        YIADDR
    }

    private final byte[] buffer;
    int length;
    Destination destination = Destination.NONE;
    int destinationAddress;
    long chaddr;
    int messageType;
    int address;

    public DhcpReply() {
        this(new byte[MIN_BUFFER]);
    }

    /** A reply written into {@code buffer} (at offset 0), of at least {@link #MIN_BUFFER} bytes. */
    public DhcpReply(byte[] buffer) {
        if (buffer.length < MIN_BUFFER) {
            throw new IllegalArgumentException("a DHCP reply buffer needs at least " + MIN_BUFFER + " bytes, not "
                    + buffer.length);
        }
        this.buffer = buffer;
    }

    void clear() {
        length = 0;
        destination = Destination.NONE;
        destinationAddress = 0;
        chaddr = 0;
        messageType = 0;
        address = 0;
    }

    public byte[] buffer() {
        return buffer;
    }

    /** Bytes of reply in {@link #buffer()} from offset 0; 0 when there is nothing to send. */
    public int length() {
        return length;
    }

    public Destination destination() {
        return destination;
    }

    /** The IPv4 destination: 255.255.255.255, ciaddr or yiaddr (see {@link #destination()}). */
    public int destinationAddress() {
        return destinationAddress;
    }

    /** The client's MAC address, for {@link Destination#YIADDR}. */
    public long chaddr() {
        return chaddr;
    }

    /** {@link DhcpMessage#DHCPOFFER}, {@link DhcpMessage#DHCPACK} or {@link DhcpMessage#DHCPNAK}; 0 for none. */
    public int messageType() {
        return messageType;
    }

    /** The address the reply is about, for logging: offered, acknowledged, refused (NAK) or informed; or 0. */
    public int address() {
        return address;
    }
}
