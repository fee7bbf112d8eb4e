package dev.siitdc.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network namespace's identity in the default control socket path: its ip netns name, else its inode. */
class NetnsIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theInodeWithoutANameAndTheNameFirstWhenOneIsThisNamespace() throws Exception {
        Path self = Path.of("/proc/self/ns/net");
        String ino = String.valueOf(Files.getAttribute(self, "unix:ino"));
        Path named = Files.createDirectories(dir.resolve("netns"));
        assertThat(NetnsIdentity.compute(self, named)).containsExactly(ino);
        assertThat(NetnsIdentity.compute(self, dir.resolve("none"))).containsExactly(ino);

        // /run/netns/NAME is a bind mount of the namespace: a link to it has the same device and inode
        Files.createSymbolicLink(named.resolve("blue"), self);
        Files.writeString(named.resolve("other"), "not a namespace");
        assertThat(NetnsIdentity.compute(self, named)).containsExactly("blue", ino);
        assertThat(RelayConfig.defaultControlSocket("blue", "siit0")).isEqualTo(Path.of("/run/siitdc/blue/siit0.sock"));
    }

    @Test
    void theDefaultSocketIsInThisNamespacesDirectory() {
        assertThat(RelayConfig.borderRelay("siit0", 1).effectiveControlSocket())
                .isEqualTo(Path.of("/run/siitdc", NetnsIdentity.id(), "siit0.sock"));
    }
}
