package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {
    @TempDir
    Path root;

    private Sysctl sysctl() throws Exception {
        Files.createDirectories(root.resolve("net/ipv6/conf/all"));
        Files.createDirectories(root.resolve("net/ipv4/conf/eth0.100"));
        Files.writeString(root.resolve("net/ipv6/conf/all/forwarding"), "0\n");
        Files.writeString(root.resolve("net/ipv4/conf/eth0.100/forwarding"), "1\n");
        return new Sysctl(root);
    }

    @Test
    void mapsDottedAndSlashedKeys() throws Exception {
        Sysctl s = sysctl();
        assertThat(s.path("net.ipv6.conf.all.forwarding")).isEqualTo(root.resolve("net/ipv6/conf/all/forwarding"));
        assertThat(s.path("net/ipv4/conf/eth0.100/forwarding"))
                .isEqualTo(root.resolve("net/ipv4/conf/eth0.100/forwarding"));
        assertThat(s.read("net/ipv4/conf/eth0.100/forwarding")).isEqualTo("1");
    }

    @Test
    void writeReturnsThePreviousValue() throws Exception {
        Sysctl s = sysctl();
        assertThat(s.write("net.ipv6.conf.all.forwarding", "1")).isEqualTo("0");
        assertThat(s.read("net.ipv6.conf.all.forwarding")).isEqualTo("1");
    }

    @Test
    void setPushesTheRestore() throws Exception {
        Sysctl s = sysctl();
        Cleanup undo = new Cleanup();
        assertThat(s.set("net.ipv6.conf.all.forwarding", "1", undo)).isEqualTo("0");
        assertThat(undo.pending()).containsExactly("restore sysctl net.ipv6.conf.all.forwarding = 0");
        undo.close();
        assertThat(s.read("net.ipv6.conf.all.forwarding")).isEqualTo("0");
    }

    @Test
    void missingKeysAndBadKeys() throws Exception {
        Sysctl s = sysctl();
        assertThatThrownBy(() -> s.read("net.ipv6.conf.nosuch.forwarding")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> s.write("net.ipv6.conf.nosuch.forwarding", "1")).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.exists(root.resolve("net/ipv6/conf/nosuch"))).isFalse();
        for (String bad : new String[] {"", ".net", "net.", "/etc/passwd", "net/../../etc", "net..ipv4"}) {
            assertThatThrownBy(() -> s.path(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsTheRealProcSys() throws Exception {
        Sysctl s = new Sysctl();
        assertThat(s.read("net.ipv4.ip_forward")).matches("[01]");
    }
}
