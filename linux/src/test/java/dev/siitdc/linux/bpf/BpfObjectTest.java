package dev.siitdc.linux.bpf;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libbpf over FFM: failures are one-line BpfExceptions. */
class BpfObjectTest {
    static boolean root() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith("Uid:")) return l.split("\\s+")[1].equals("0");
        return false;
    }

    @Test
    void libbpfIsThereOnThisMachine() {
        assertThat(BpfObject.unavailableReason()).isNull();
    }

    @Test
    void aFileThatIsNotABpfObjectIsRefusedInOneLine() {
        assumeTrue(BpfObject.unavailableReason() == null, "no libbpf.so.1");
        assertThatThrownBy(() -> BpfObject.load(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, "junk"))
                .isInstanceOf(BpfException.class)
                .hasMessage("BPF object junk could not be opened (not a valid BPF ELF object, or a libbpf older than 1.0)");
    }

    @Test
    void aProgramTheVerifierRefusesNamesTheVerifier(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(root(), "loading BPF needs root");
        assumeTrue(BpfObject.unavailableReason() == null, "no libbpf.so.1");
        Path c = dir.resolve("bad.bpf.c"), o = dir.resolve("bad.bpf.o");
        // reads a packet byte without a bounds check: the verifier must refuse it
        Files.writeString(c, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                char LICENSE[] SEC("license") = "GPL";
                SEC("tc") int bad(struct __sk_buff *skb) {
                    unsigned char *p = (unsigned char *)(long)skb->data;
                    return p[100];
                }
                """);
        Process p;
        try {
            p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                    "-c", c.toString(), "-o", o.toString()).inheritIO().start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no clang");
            return;
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThatThrownBy(() -> BpfObject.load(Files.readAllBytes(o), "bad"))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("BPF program rejected by the verifier: ")
                .hasMessageNotContaining("\n")
                .hasMessageContaining("invalid access to packet");
    }

    @Test
    void aMapThatIsNotThereIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(root(), "loading BPF needs root");
        Path c = dir.resolve("ok.bpf.c"), o = dir.resolve("ok.bpf.o");
        Files.writeString(c, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                char LICENSE[] SEC("license") = "GPL";
                SEC("tc") int ok(struct __sk_buff *skb) { return 0; }
                """);
        Process p;
        try {
            p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                    "-c", c.toString(), "-o", o.toString()).inheritIO().start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no clang");
            return;
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (BpfObject obj = BpfObject.load(Files.readAllBytes(o), "ok")) {
            assertThat(obj.programFd("ok")).isPositive();
            assertThatThrownBy(() -> obj.mapFd("nope")).isInstanceOf(BpfException.class).hasMessage("no BPF map nope");
            assertThatThrownBy(() -> obj.programFd("nope")).isInstanceOf(BpfException.class).hasMessage("no BPF program nope");
            Bpf.TestRun r = Bpf.testRun(obj.programFd("ok"), new byte[64], 128);
            assertThat(r.retval()).isZero();
            assertThat(r.data()).hasSize(64);
        }
    }
}
