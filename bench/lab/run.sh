#!/usr/bin/env bash
# Lab benchmark: siitdc vs TAYGA as the SIIT-DC Border Relay, through siitdc Edge Relays, in the lab's
# network namespaces (docs/lab.md). Measures, for each BR, iperf3 TCP throughput from the IPv4 client to
# the app on ER A (10 s runs, median of 3) and 64-byte UDP datagrams received per second (iperf3 -u -l 64
# -b 0), then prints a table and the ratios. All traffic stays inside the lab's namespaces.
#
#   sudo bench/lab/run.sh [--runs N] [--seconds S] [--udp-seconds S] [--warmup S] [--no-tayga] [--no-offload]
#   sudo bench/lab/run.sh --network [--runs N] [--seconds S] [--udp-seconds S] [--warmup S] [--no-offload | --offload-only]
#
# --no-offload runs the siitdc relays with [relay] offload = false (no TSO/GSO through the translation).
#
# --network: the network-based Edge Relay (RFC 7756 s3.2, Appendix A.1) against the node-based ER A, same
# siitdc BR, same lab, runs interleaved: iperf3 TCP client -> node and node -> client (-R) and 64-byte UDP
# client -> node, to iperf3 -s in ER A's namespace (baseline) and in an IPv4-only node behind the A.1 ER on
# the Service Address it leased by DHCP (busybox udhcpc). Offload on, then off (a fresh lab each); prints
# the medians, the network/node ratios, each ER's gso-packets-read/-written over the TCP runs, and
# /proc/loadavg after every run. Also needs busybox, tcpdump and python3; about 8.5 minutes with the defaults.
#
# Needs root, iproute2, iperf3 and (for the comparison) tayga; builds cli/target/siitdc.jar if it is stale.
# Takes about 2.5 minutes with the defaults. The table goes to stdout, progress to stderr.
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd)

[[ $(id -u) == 0 ]] || { echo "bench/lab/run.sh: needs root (it creates network namespaces)" >&2; exit 2; }
command -v iperf3 >/dev/null || { echo "bench/lab/run.sh: needs iperf3 (apt-get install iperf3)" >&2; exit 2; }
command -v tayga >/dev/null || [[ " $* " == *" --no-tayga "* || " $* " == *" --network "* ]] \
    || echo "bench/lab/run.sh: tayga is not installed (apt-get install tayga): siitdc only" >&2

# The launcher builds the jar when it is missing or older than the sources, and knows where a JDK 25 is.
"$root/bin/siitdc" --version >/dev/null
java=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -n "$d" && -x "$d/bin/java" ]] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2>/dev/null | head -n 1)
    if (( ${v:-0} >= 25 )); then java="$d/bin/java"; break; fi
done
[[ -n "$java" ]] || { echo "bench/lab/run.sh: no JDK 25 found (set JAVA_HOME)" >&2; exit 2; }

exec "$java" --enable-native-access=ALL-UNNAMED -cp "$root/cli/target/siitdc.jar" dev.siitdc.lab.LabBench "$@"
