package dev.siitdc.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void namesTheCommonOnes() {
        assertThat(Errno.name(Errno.EEXIST)).isEqualTo("EEXIST");
        assertThat(Errno.name(Errno.ENODEV)).isEqualTo("ENODEV");
        assertThat(Errno.name(Errno.EAGAIN)).isEqualTo("EAGAIN");
        assertThat(Errno.name(Errno.EADDRNOTAVAIL)).isEqualTo("EADDRNOTAVAIL");
        assertThat(Errno.name(0)).isEqualTo("E#0");
        assertThat(Errno.name(4095)).isEqualTo("E#4095");
    }

    @Test
    void describesWithStrerror() {
        assertThat(Errno.describe(Errno.ENODEV)).isEqualTo("No such device");
        assertThat(Errno.describe(Errno.EEXIST)).isEqualTo("File exists");
    }

    /** The table agrees with glibc's strerrorname_np (glibc 2.32+) for every number it knows. */
    @Test
    void tableAgreesWithGlibc() throws Throwable {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> sym = linker.defaultLookup().find("strerrorname_np");
        Assumptions.assumeTrue(sym.isPresent(), "glibc without strerrorname_np");
        MethodHandle h = linker.downcallHandle(sym.get(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        int checked = 0;
        for (int e = 1; e < Errno.tableSize(); e++) {
            MemorySegment p = (MemorySegment) h.invokeExact(e);
            String glibc = p.equals(MemorySegment.NULL) ? null : p.reinterpret(64).getString(0);
            if (e == 41 || e == 58) {
                continue; // unused numbers (EWOULDBLOCK and EDEADLOCK are aliases)
            }
            assertThat(Errno.name(e)).as("errno %d", e).isEqualTo(glibc);
            checked++;
        }
        assertThat(checked).isGreaterThan(120);
    }

    @Test
    void exceptionMessageNamesCallErrnoAndText() {
        LinuxException e = new LinuxException("RTM_NEWADDR", Errno.EEXIST, "add 192.0.2.1/24 to ifindex 2");
        assertThat(e).isInstanceOf(java.io.IOException.class);
        assertThat(e.syscall()).isEqualTo("RTM_NEWADDR");
        assertThat(e.errno()).isEqualTo(17);
        assertThat(e.errnoName()).isEqualTo("EEXIST");
        assertThat(e.strerror()).isEqualTo("File exists");
        assertThat(e.detail()).isEqualTo("add 192.0.2.1/24 to ifindex 2");
        assertThat(e.getMessage())
                .isEqualTo("RTM_NEWADDR failed: EEXIST (errno 17, File exists): add 192.0.2.1/24 to ifindex 2");
    }

    /** A real failing call without root: opening a path that does not exist. */
    @Test
    void capturesErrnoOfARealCall() {
        LinuxException e = org.assertj.core.api.Assertions.catchThrowableOfType(LinuxException.class,
                () -> Libc.open("/nonexistent/siitdc", Libc.O_RDWR));
        assertThat(e.syscall()).isEqualTo("open");
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.getMessage()).contains("No such file or directory", "/nonexistent/siitdc");
        LinuxException nodev = org.assertj.core.api.Assertions.catchThrowableOfType(LinuxException.class,
                () -> Libc.ifNameToIndex("nosuch-siitdc"));
        assertThat(nodev.syscall()).isEqualTo("if_nametoindex");
        assertThat(nodev.errnoName()).isEqualTo("ENODEV");
    }
}
