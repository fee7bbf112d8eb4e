/**
 * The system libbpf ({@code libbpf.so.1}, 1.1 on Debian 12) through the Foreign Function &amp; Memory API
 * (no JNI): opening and loading a BPF object from memory ({@link dev.siitdc.linux.bpf.BpfObject}), map
 * access and {@code BPF_PROG_TEST_RUN} ({@link dev.siitdc.linux.bpf.Bpf}), and attaching tc programs
 * with clsact or tcx links ({@link dev.siitdc.linux.bpf.BpfTc}). Failures are
 * {@link dev.siitdc.linux.bpf.BpfException}s with a one-line message.
 */
package dev.siitdc.linux.bpf;
