package dev.siitdc.cli;

import dev.siitdc.daemon.ExitStatus;
import dev.siitdc.daemon.control.DaemonControl;

import dev.siitdc.daemon.config.ConfigError;
import dev.siitdc.daemon.config.ConfigLoader;
import dev.siitdc.core.config.TranslatorConfig;
import dev.siitdc.daemon.control.ControlProtocol.Reply;
import dev.siitdc.daemon.control.ControlProtocol.Status;
import dev.siitdc.daemon.control.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.siitdc.cli.CliRun.siitdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control commands' client side, against a control socket with a scripted handler (no root needed). */
class CtlCommandsTest {
    @TempDir
    Path dir;


    final List<String> requests = new CopyOnWriteArrayList<>();

    ControlServer server(Path path) throws Exception {
        ControlServer s = ControlServer.bind(path);
        s.start(req -> {
            requests.add(req);
            if (req.contains("192.0.2.300")) return Reply.refused("\"192.0.2.300\": octet 300 is greater than 255");
            if (req.contains("fail")) return Reply.failed("netlink said no");
            if (req.startsWith("eamt apply entries") && req.contains("203.0.113.9"))
                return Reply.refused("entry 2: the IPv4 prefix 203.0.113.9/32 is already mapped by the EAM X");
            if (req.startsWith("eamt apply commit"))
                return new Reply(Status.OK, (req.contains("dry-run") ? "dry run: " : "applied: ")
                        + "2 added, 1 removed, 0 changed, 0 unchanged (3 EAMs)" + (req.contains("dry-run") ? "; nothing changed" : ""),
                        List.of("- 192.0.2.10/32 2001:db8:1::10/128", "+ 192.0.2.1/32 2001:db8::1/128",
                                "+ 192.0.2.3/32 2001:db8::3/128"), List.of());
            return switch (req) {
                case "eamt display" -> new Reply(Status.OK, "2 EAMs", List.of("192.0.2.10/32 2001:db8:1::10/128",
                        "198.51.100.0/24 2001:db8:100::/120"), List.of());
                case "stats display" -> new Reply(Status.OK, "", List.of("translated-4to6 5", "tun-packets-read 12"), List.of());
                case "eamt flush" -> new Reply(Status.OK, "EAMT: 0 added, 1 removed, 1 EAM", List.of(),
                        List.of("kept 1 EAM of this Edge Relay's Service Addresses"));
                default -> Reply.ok(req.startsWith("eamt add") ? "added X (3 EAMs)" : "done");
            };
        });
        return s;
    }

    @Test
    void noDaemonExits3WithAClearMessage() {
        Path sock = dir.resolve("siit9.sock");
        CliRun r = siitdc("eamt", "display", "--socket", sock.toString());
        assertThat(r.exit()).isEqualTo(Ctl.EXIT_NO_DAEMON).isEqualTo(3);
        assertThat(r.err()).isEqualTo("siitdc: no siitdc daemon is listening on " + sock + " (is `siitdc run` running?)\n");
        assertThat(siitdc("stats", "display", "--tun", "siit9").err())
                .isEqualTo("siitdc: no siitdc daemon is listening on /run/siitdc/" + dev.siitdc.daemon.NetnsIdentity.id()
                        + "/siit9.sock (is `siitdc run` running?)\n");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(siitdc("eamt", "add", "192.0.2.1", "--socket", "/x", "--tun", "y").exit()).isEqualTo(2);
        CliRun r = siitdc("eamt", "add", "192.0.2.1", "--socket", "/x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give an IPv4 prefix and an IPv6 prefix (or --file)");
        assertThat(siitdc("eamt").exit()).isEqualTo(2);
        assertThat(siitdc("eamt", "add", "--help").out()).contains("runtime-only", "Exit status (every siitdc command): 0 done", "5 permission denied", "--socket", "--tun");
        assertThat(siitdc("global", "update", "--help").out()).contains("runtime-only", "pool6");
    }

    @Test
    void repliesBecomeOutputAndExitStatuses() throws Exception {
        Path sock = dir.resolve("s.sock");
        try (ControlServer s = server(sock)) {
            String k = sock.toString();
            CliRun add = siitdc("eamt", "add", "2001:db8:1::/120", "192.0.2.0/24", "--socket", k);
            assertThat(add.exit()).isZero();
            assertThat(add.out()).startsWith("added X (3 EAMs)\nnote: The change is runtime-only");
            assertThat(requests).contains("eamt add 2001:db8:1::/120 192.0.2.0/24");

            CliRun bad = siitdc("eamt", "add", "192.0.2.300", "2001:db8::1", "--socket", k);
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).isEqualTo("siitdc: eamt add: \"192.0.2.300\": octet 300 is greater than 255\n");
            assertThat(bad.out()).isEmpty();

            CliRun failed = siitdc("global", "update", "pool6", "fail", "--socket", k);
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.err()).isEqualTo("siitdc: global update: netlink said no\n");

            assertThat(siitdc("eamt", "display", "--socket", k).out()).isEqualTo("""
                    IPV4 PREFIX      IPV6 PREFIX
                    192.0.2.10/32    2001:db8:1::10/128
                    198.51.100.0/24  2001:db8:100::/120
                    (2 EAMs)
                    """);
            assertThat(siitdc("eamt", "display", "--csv", "--socket", k).out()).isEqualTo("""
                    ipv4,ipv6
                    192.0.2.10/32,2001:db8:1::10/128
                    198.51.100.0/24,2001:db8:100::/120
                    """);
            assertThat(siitdc("stats", "display", "--json", "--socket", k).out())
                    .isEqualTo("{\n  \"translated-4to6\": 5,\n  \"tun-packets-read\": 12\n}\n");
            assertThat(siitdc("stats", "display", "--socket", k).out()).isEqualTo("translated-4to6   5\ntun-packets-read  12\n");
            CliRun flush = siitdc("eamt", "flush", "--socket", k);
            assertThat(flush.err()).isEqualTo("siitdc: warning: kept 1 EAM of this Edge Relay's Service Addresses\n");
            assertThat(flush.exit()).isZero();
        }
    }

    @Test
    void addFileIsCheckedWholeFirstAndABadLineSendsNothing() throws Exception {
        Path sock = dir.resolve("s.sock");
        Path file = dir.resolve("eams.txt");
        Files.writeString(file, """
                # test
                192.0.2.1 2001:db8::1
                192.0.2.300, 2001:db8::2

                192.0.2.3 2001:db8::3   # last
                """);
        try (ControlServer s = server(sock)) {
            CliRun r = siitdc("eamt", "add", "--file", file.toString(), "--socket", sock.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("siitdc: " + file + ":3: eamt: '192.0.2.300' is not an IPv4 address: octet 300 is greater than 255;"
                    + " nothing was sent\n");
            assertThat(r.out()).isEmpty();
            assertThat(requests).isEmpty();
        }
    }

    @Test
    void addFileIsOneStagedTableAddedAtOnce() throws Exception {
        Path sock = dir.resolve("s.sock");
        Path file = dir.resolve("eams.txt");
        Files.writeString(file, "192.0.2.1 2001:db8::1\n2001:db8::3, 192.0.2.3\n");
        try (ControlServer s = server(sock)) {
            CliRun r = siitdc("eamt", "add", "--file", file.toString(), "--socket", sock.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("added 2 of 2 EAMs from " + file + " (3 EAMs now)\nnote:");
            assertThat(requests).containsExactly("eamt apply begin",
                    "eamt apply entries 192.0.2.1/32 2001:db8::1/128 192.0.2.3/32 2001:db8::3/128", "eamt apply commit add");
        }
    }

    @Test
    void aRefusalOfTheDaemonNamesTheEntrysLine() throws Exception {
        Path sock = dir.resolve("s.sock");
        Path file = dir.resolve("eams.txt");
        Files.writeString(file, "# two\n192.0.2.1 2001:db8::1\n\n203.0.113.9 2001:db8::9\n");
        try (ControlServer s = server(sock)) {
            CliRun r = siitdc("eamt", "add", "--file", file.toString(), "--socket", sock.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("siitdc: " + file + ":4: the IPv4 prefix 203.0.113.9/32 is already mapped by"
                    + " the EAM X; nothing was changed\n");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void applyPrintsTheDiffThenTheCountLine() throws Exception {
        Path sock = dir.resolve("s.sock");
        Path file = dir.resolve("new.toml");
        Files.writeString(file, """
                [[eamt]]
                ipv4 = "192.0.2.1"
                ipv6 = "2001:db8::1"

                [[eamt]]
                ipv4 = "192.0.2.3"
                ipv6 = "2001:db8::3"
                """);
        try (ControlServer s = server(sock)) {
            CliRun dry = siitdc("eamt", "apply", "--file", file.toString(), "--dry-run", "--socket", sock.toString());
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out()).isEqualTo("""
                    - 192.0.2.10/32 2001:db8:1::10/128
                    + 192.0.2.1/32 2001:db8::1/128
                    + 192.0.2.3/32 2001:db8::3/128
                    dry run: 2 added, 1 removed, 0 changed, 0 unchanged (3 EAMs); nothing changed
                    """);
            assertThat(requests).containsExactly("eamt apply begin",
                    "eamt apply entries 192.0.2.1/32 2001:db8::1/128 192.0.2.3/32 2001:db8::3/128", "eamt apply commit dry-run");
            CliRun real = siitdc("eamt", "apply", "--file", file.toString(), "--socket", sock.toString());
            assertThat(real.exit()).as(real.err()).isZero();
            assertThat(real.out()).contains("applied: 2 added, 1 removed, 0 changed, 0 unchanged (3 EAMs)\nnote:");
            assertThat(requests.getLast()).isEqualTo("eamt apply commit");
        }
    }

    @Test
    void applyOfABadTomlFileNamesItsLineAndSendsNothing() throws Exception {
        Path sock = dir.resolve("s.sock");
        Path file = dir.resolve("new.toml");
        Files.writeString(file, "[[eamt]]\nipv4 = \"192.0.2.1/24\"\nipv6 = \"2001:db8::/120\"\n");
        try (ControlServer s = server(sock)) {
            CliRun r = siitdc("eamt", "apply", "--file", file.toString(), "--socket", sock.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("siitdc: " + file + ":2: eamt[1].ipv4: ").endsWith("; nothing was sent\n");
            assertThat(requests).isEmpty();
        }
    }

    // ---------------------------------------------------------------- global update checks values as a file does

    static final String BASE = "[translator]\npool6 = \"64:ff9b::/96\"\n";

    @Test
    void globalUpdateChecksValuesWithTheConfigurationFilesReasons() throws Exception {
        TranslatorConfig current = ConfigLoader.parse(BASE, "f.toml");
        Map<String, String> cases = Map.of(
                "ipv4-mtu", "14", "ipv6-mtu", "\"x\"", "pool6", "64:ff9b::/41", "eam-hairpin-mode", "sometimes",
                "own-ipv4-address", "192.0.2.300", "tos", "256", "randomize-rfc6791-addresses", "yes",
                "mtu-plateaus", "1500, 20");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String key = c.getKey(), cli = c.getValue();
            String tomlValue = List.of("pool6", "eam-hairpin-mode", "own-ipv4-address").contains(key) ? "\"" + cli + "\""
                    : key.equals("mtu-plateaus") ? "[" + cli + "]" : cli.equals("yes") ? "\"yes\"" : cli;
            ConfigError fromFile = catchError(() -> ConfigLoader.parse(BASE.replace("pool6 = \"64:ff9b::/96\"\n",
                    key.equals("pool6") ? "" : "pool6 = \"64:ff9b::/96\"\n") + key + " = " + tomlValue + "\n", "f.toml"));
            ConfigError fromCli = catchError(() -> ConfigLoader.update(current, key, cli.equals("\"x\"") ? "x" : cli));
            assertThat(fromCli.key()).as(key).isEqualTo(fromFile.key());
            assertThat(fromCli.reason()).as(key).isEqualTo(fromFile.reason());
        }
        assertThat(ConfigLoader.update(current, "mtu-plateaus", "1500,1280").mtuPlateaus()).containsExactly(1500, 1280);
        assertThat(ConfigLoader.update(current, "ipv4-mtu", "1400").ipv4Mtu()).isEqualTo(1400);
        TranslatorConfig withOwn = ConfigLoader.update(current, "own-ipv4-address", "192.0.2.1");
        assertThat(ConfigLoader.update(withOwn, "own-ipv4-address", "none").ownIpv4Address()).isNull();
        assertThat(catchError(() -> ConfigLoader.update(current, "pool6", "none")).getMessage())
                .isEqualTo("global update:1: pool6: at least one of pool6 and [[eamt]] must be present");
        assertThat(catchError(() -> ConfigLoader.update(current, "poo6", "x")).reason())
                .startsWith("unknown key in [translator] (did you mean \"pool6\"?)");
    }

    interface Throwing {
        void run() throws Exception;
    }

    static ConfigError catchError(Throwing t) {
        try {
            t.run();
        } catch (ConfigError e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no ConfigError");
    }

    @Test
    void reloadNamesTheRelayKeysThatNeedARestart() throws Exception {
        var a = dev.siitdc.daemon.config.DaemonConfigLoader.parse(BASE + "[relay]\nrole = \"border-relay\"\nqueues = 2\n", "f");
        var b = dev.siitdc.daemon.config.DaemonConfigLoader.parse(BASE + "[relay]\nrole = \"border-relay\"\nqueues = 3\n"
                + "tun-name = \"siit1\"\ncontrol-socket = \"/run/x.sock\"\n", "f");
        assertThat(DaemonControl.relayChanges(a.relay(), b.relay())).containsExactly(
                "[relay] tun-name \"siit0\" -> \"siit1\"", "[relay] queues 2 -> 3",
                "[relay] control-socket (unset) -> /run/x.sock");
        assertThatThrownBy(() -> dev.siitdc.daemon.config.DaemonConfigLoader.parse(
                BASE + "[relay]\nrole = \"border-relay\"\ncontrol-socket = \"x.sock\"\n", "f"))
                .hasMessage("f:5: relay.control-socket: \"x.sock\" must be an absolute path");
    }

    @Test
    void theIdleTimeoutVariableIsWholeSecondsAndABadValueIsWarnedAbout() {
        java.io.StringWriter w = new java.io.StringWriter();
        java.io.PrintWriter err = new java.io.PrintWriter(w, true);
        assertThat(DaemonControl.idleTimeout(null, err)).isEqualTo(ControlServer.IDLE_TIMEOUT).hasSeconds(60);
        assertThat(DaemonControl.idleTimeout("5", err)).hasSeconds(5);
        assertThat(w.toString()).isEmpty();
        assertThat(DaemonControl.idleTimeout("0", err)).isEqualTo(ControlServer.IDLE_TIMEOUT);
        assertThat(DaemonControl.idleTimeout("soon", err)).isEqualTo(ControlServer.IDLE_TIMEOUT);
        assertThat(w.toString()).isEqualTo("siitdc: warning: SIITDC_CONTROL_IDLE_TIMEOUT=0 is not a number of seconds from 1"
                + " to 86400; using 60\nsiitdc: warning: SIITDC_CONTROL_IDLE_TIMEOUT=soon is not a number of seconds from 1"
                + " to 86400; using 60\n");
    }
}
