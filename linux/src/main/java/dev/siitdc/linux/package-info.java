/**
 * Linux bindings for the data plane through the Foreign Function &amp; Memory API (no JNI):
 * {@link dev.siitdc.linux.Tun} (TUN queues: non-blocking, zero-copy heap reads and writes, poll),
 * {@link dev.siitdc.linux.Rtnetlink} (links, addresses, routes with per-route MTU, proxy neighbours),
 * {@link dev.siitdc.linux.Sysctl} and {@link dev.siitdc.linux.Cleanup} (the undo stack).
 *
 * <p>Failures of system calls and netlink requests are {@link dev.siitdc.linux.LinuxException}s with
 * the call, the errno and its name. The JVM must allow native access to the code using this package:
 * {@code --enable-native-access=ALL-UNNAMED} (or the jar manifest's Enable-Native-Access).
 */
package dev.siitdc.linux;
