package dev.siitdc.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify(3)'s datagrams, to a socket path and to an abstract name, read back by a {@link NotifyReceiver}. */
class SdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void aDatagramReachesASocketPath() throws Exception {
        String path = dir.resolve("notify").toString();
        try (NotifyReceiver r = NotifyReceiver.bind(path); SdNotify n = SdNotify.of(path)) {
            n.send("READY=1\nSTATUS=up");
            n.send("STOPPING=1");
            assertThat(r.receive(2000)).isEqualTo("READY=1\nSTATUS=up");
            assertThat(r.receive(2000)).isEqualTo("STOPPING=1");
            assertThat(r.receive(50)).as("nothing more").isNull();
        }
    }

    @Test
    void aDatagramReachesAnAbstractName() throws Exception {
        String name = "@siitdc-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyReceiver r = NotifyReceiver.bind(name); SdNotify n = SdNotify.of(name)) {
            n.send("WATCHDOG=1");
            assertThat(r.receive(2000)).isEqualTo("WATCHDOG=1");
        }
    }

    @Test
    void unsetOrEmptyMeansNoSender() throws Exception {
        assertThat(SdNotify.of(null)).isNull();
        assertThat(SdNotify.of("")).isNull();
    }

    @Test
    void noListenerIsAnErrorNamingTheSocket() throws Exception {
        String path = dir.resolve("nobody").toString();
        try (SdNotify n = SdNotify.of(path)) {
            assertThatThrownBy(() -> n.send("READY=1")).isInstanceOf(LinuxException.class).hasMessageContaining(path);
        }
    }

    @Test
    void aRelativeOrTooLongNameIsRefused() {
        assertThatThrownBy(() -> SdNotify.of("relative")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute path or start with '@'");
        assertThatThrownBy(() -> SdNotify.of("/" + "x".repeat(120))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 107 bytes");
    }
}
