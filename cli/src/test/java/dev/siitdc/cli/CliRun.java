package dev.siitdc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the siitdc command line in this JVM ({@link Main#run}): its exit status, stdout and stderr. */
public record CliRun(int exit, String out, String err) {
    /** Runs {@code siitdc ARGS} in this JVM. */
    public static CliRun siitdc(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
