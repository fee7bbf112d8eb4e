package dev.siitdc.daemon.dhcp;

import dev.siitdc.dataplane.NamedCounter;

/**
 * What the Edge Relay's DHCPv4 server counts. The names are what an operator sees.
 *
 * <p>Every message given to {@link DhcpServer#handle} counts {@link #RECEIVED}, then exactly one of: a
 * message-type counter ({@link #DISCOVER}, {@link #REQUEST}, {@link #DECLINE}, {@link #RELEASE},
 * {@link #INFORM}) when it is a well-formed client message, or one of the {@linkplain #isMalformed()
 * malformed-message drops}. A well-formed message may then count an outcome as well (a reply sent, or why
 * none was: {@link #POOL_EXHAUSTED}, {@link #REQUEST_FOR_OTHER_SERVER}, ...).
 */
public enum DhcpCounter implements NamedCounter {
    RECEIVED("dhcp-received", "message received on the DHCP server port (counted before any check)"),

    // --- well-formed client messages, by DHCP message type (option 53) ---
    DISCOVER("dhcp-discover", "DHCPDISCOVER received"),
    REQUEST("dhcp-request", "DHCPREQUEST received"),
    DECLINE("dhcp-decline", "DHCPDECLINE received"),
    RELEASE("dhcp-release", "DHCPRELEASE received"),
    INFORM("dhcp-inform", "DHCPINFORM received"),

    // --- replies ---
    OFFER("dhcp-offer", "DHCPOFFER sent"),
    ACK("dhcp-ack", "DHCPACK sent (lease granted or extended, or the answer to a DHCPINFORM)"),
    NAK("dhcp-nak", "DHCPNAK sent (the client asked for an address it cannot have)"),

    // --- malformed messages: dropped before their type is looked at ---
    DROP_TRUNCATED("dhcp-drop-truncated", "message shorter than the fixed BOOTP header and magic cookie (240 bytes)"),
    DROP_NOT_BOOTREQUEST("dhcp-drop-not-bootrequest", "op is not BOOTREQUEST (1)"),
    DROP_BAD_HARDWARE("dhcp-drop-bad-hardware-address",
            "htype is not Ethernet (1), hlen is not 6, or chaddr is not a unicast MAC address"),
    DROP_BAD_COOKIE("dhcp-drop-bad-cookie", "the magic cookie is not 99.130.83.99 (RFC 2131 s3)"),
    DROP_BAD_OPTIONS("dhcp-drop-bad-options",
            "options overflow the message, END (255) is missing, or an option the server reads has the wrong"
            + " length or appears twice"),
    DROP_OPTION_OVERLOAD("dhcp-drop-option-overload",
            "the client put options in the sname/file fields (option 52, RFC 2132 s9.3): not supported"),
    DROP_NO_MESSAGE_TYPE("dhcp-drop-no-message-type",
            "no DHCP message type (option 53): a plain BOOTP client, which this server does not serve"),
    DROP_UNEXPECTED_MESSAGE_TYPE("dhcp-drop-unexpected-message-type",
            "message type a client does not send (OFFER, ACK, NAK, or unknown)"),
    DROP_RELAYED("dhcp-drop-relayed",
            "giaddr is set: the message came through a relay agent, but this server only serves its own segment"),

    // --- outcomes of well-formed messages that get no reply ---
    POOL_EXHAUSTED("dhcp-drop-pool-exhausted",
            "DHCPDISCOVER left unanswered: no address free for the client (pool in use, or its static address declined)"),
    DROP_BAD_REQUEST("dhcp-drop-bad-request",
            "DHCPREQUEST, DHCPDECLINE or DHCPRELEASE without the fields RFC 2131 s4.3 requires of it"),
    REQUEST_FOR_OTHER_SERVER("dhcp-request-for-other-server",
            "DHCPREQUEST selecting another server's offer: another DHCP server answers on the segment"),
    DROP_NOT_HELD("dhcp-drop-address-not-held",
            "DHCPDECLINE or DHCPRELEASE for an address the client does not hold from this server (ignored)"),
    DROP_INFORM_OFF_SUBNET("dhcp-drop-inform-off-subnet", "DHCPINFORM from an address outside the served subnet"),

    // --- the socket ---
    SEND_ERROR("dhcp-send-error", "reply the kernel refused to send (the daemon's socket; reported on stderr)"),

    // --- lease file ---
    LEASE_WRITE_ERROR("dhcp-lease-file-write-error",
            "the lease file could not be written (leases still held in memory; retried on the next change or tick)");

    /** True for the drops of messages that are not well-formed client DHCP messages. */
    public boolean isMalformed() {
        return switch (this) {
            case DROP_TRUNCATED, DROP_NOT_BOOTREQUEST, DROP_BAD_HARDWARE, DROP_BAD_COOKIE, DROP_BAD_OPTIONS,
                 DROP_OPTION_OVERLOAD, DROP_NO_MESSAGE_TYPE, DROP_UNEXPECTED_MESSAGE_TYPE, DROP_RELAYED -> true;
            default -> false;
        };
    }

    private final Label label;

    DhcpCounter(String operatorName, String description) {
        label = new Label(operatorName, description);
    }

    @Override
    public Label label() { return label; }
}
