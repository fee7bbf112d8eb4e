package dev.siitdc.dataplane;

import dev.siitdc.linux.LinkStats;

/**
 * The kernel's own counters of the TUN link (IFLA_STATS64, as {@code ip -s link show siit0} prints them),
 * read from rtnetlink when the counters are shown, not on the packet path. From the link's point of view:
 * {@code tx} is what the kernel sent into the TUN for the relay to read, {@code rx} what the relay wrote.
 */
public enum TunLinkCounter implements NamedCounter {
    TX_DROPPED("tun-tx-dropped", "packets the kernel dropped at the TUN queue before the relay read them (the"
            + " queue, txqueuelen packets, was full: the workers did not keep up, or were stopped)"),
    RX_DROPPED("tun-rx-dropped", "packets the relay wrote to the TUN that the kernel dropped"),
    TX_ERRORS("tun-tx-errors", "the kernel's transmit errors on the TUN link"),
    RX_ERRORS("tun-rx-errors", "the kernel's receive errors on the TUN link");

    private final Label label;

    TunLinkCounter(String operatorName, String description) {
        label = new Label(operatorName, description);
    }

    @Override
    public Label label() {
        return label;
    }

    /** "tx" or "rx": the direction label of its metric. */
    public String direction() {
        return this == TX_DROPPED || this == TX_ERRORS ? "tx" : "rx";
    }

    /** This counter's value in {@code s}. */
    public long of(LinkStats s) {
        return switch (this) {
            case TX_DROPPED -> s.txDropped();
            case RX_DROPPED -> s.rxDropped();
            case TX_ERRORS -> s.txErrors();
            case RX_ERRORS -> s.rxErrors();
        };
    }
}
