package dev.siitdc.lab;

/** A lab step that failed: the message names the step, the command and what it printed. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
