package dev.siitdc.linux.bpf;

import dev.siitdc.linux.LinuxException;

/**
 * A libbpf call failed, or libbpf itself is missing. The message is one line that says what failed
 * ("libbpf.so.1 not found", "BPF program rejected by the verifier: ..."); {@link #errno()} is the errno
 * libbpf returned (0 when there is none, e.g. a missing library).
 */
public class BpfException extends LinuxException {
    private final String message;

    public BpfException(String call, int errno, String message) {
        super(call, errno, message);
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
