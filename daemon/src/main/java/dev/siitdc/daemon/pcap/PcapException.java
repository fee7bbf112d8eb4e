package dev.siitdc.daemon.pcap;

import java.io.IOException;

/** A pcap file that cannot be read; the message names the file (and the record, counted from 1). */
public final class PcapException extends IOException {
    public PcapException(String message) {
        super(message);
    }
}
