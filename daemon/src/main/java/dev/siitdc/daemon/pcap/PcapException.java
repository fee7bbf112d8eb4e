package dev.siitdc.daemon.pcap;

import dev.siitdc.daemon.IoErrors;

import java.io.IOException;
import java.nio.file.Path;

/** A pcap file that cannot be read; the message names the file (and the record, counted from 1). */
public final class PcapException extends IOException {
    public PcapException(String message) {
        super(message);
    }

    /** "NAME: cannot WHAT: REASON" for an I/O failure on the file {@code name}. */
    static PcapException io(Object name, String what, IOException e) {
        return new PcapException(name + ": cannot " + what + ": " + IoErrors.describe(e));
    }

    /** Opens {@code file} with {@code open}; a failure is {@link #io} ("cannot WHAT"). */
    static <T> T opened(Path file, String what, Opener<T> open) throws PcapException {
        try {
            return open.open(file);
        } catch (IOException e) {
            throw io(file, what, e);
        }
    }

    /** Opens a stream on a file ({@code Files::newInputStream}, {@code Files::newOutputStream}). */
    @FunctionalInterface
    interface Opener<T> {
        T open(Path file) throws IOException;
    }
}
