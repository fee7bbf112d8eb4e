package dev.siitdc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code siitdc run} refusing to start: each case fails before anything is changed on the system (the
 * last one after read-only netlink queries), with FILE:LINE: KEY: REASON and exit status 2. The daemon's
 * life itself is {@code dev.siitdc.it.BorderRelaySmokeTest}'s (it needs root).
 */
class RunCommandTest {
    static final String TRANSLATOR = """
            [translator]
            pool6 = "2001:db8:46::/96"

            [[eamt]]
            ipv4 = "198.51.100.10"
            ipv6 = "2001:db8:a::"
            """;

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    Run run(String toml) throws IOException {
        Path f = dir.resolve("d.toml");
        Files.writeString(f, toml);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"run", "--config", f.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String file() {
        return dir.resolve("d.toml").toString();
    }

    @Test
    void unknownRole() throws IOException {
        Run r = run(TRANSLATOR + "[relay]\nrole = \"bridge\"\n");
        assertThat(r.status()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).isEqualTo(file() + ":8: relay.role: must be \"border-relay\" or \"edge-relay\", not"
                + " \"bridge\"\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void serviceAddressWithoutEam() throws IOException {
        Run r = run(TRANSLATOR + "[relay]\nrole = \"edge-relay\"\nservice-addresses = [\"198.51.100.10\", \"198.51.100.99\"]\n");
        assertThat(r.status()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).startsWith(file() + ":9: relay.service-addresses[2]: 198.51.100.99 has no EAM");
    }

    @Test
    void noRelaySection() throws IOException {
        Run r = run(TRANSLATOR);
        assertThat(r.status()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).isEqualTo(file() + ":1: relay: missing: siitdc run needs a [relay] section with"
                + " role = \"border-relay\" or role = \"edge-relay\"\n");
    }

    @Test
    void missingUpstreamInterface() throws IOException {
        // Found at start-up (netlink RTM_GETLINK, which needs no privilege), before anything is created.
        Run r = run(TRANSLATOR + "[relay]\nrole = \"edge-relay\"\ntun-name = \"siitdct9\"\n"
                + "service-addresses = [\"198.51.100.10\"]\nupstream-interface = \"nosuchif9\"\n");
        assertThat(r.status()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).isEqualTo(file() + ":11: relay.upstream-interface: no interface named \"nosuchif9\""
                + " (ip link lists them)\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingConfigFile() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"run", "--config", dir.resolve("none.toml").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("none.toml:1: file: cannot read");
    }
}
