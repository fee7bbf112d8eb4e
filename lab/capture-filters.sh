#!/bin/sh
# Compiles the capture filters of the lab (lab/src/main/java/dev/siitdc/lab/CaptureFilters.java) with
# tcpdump -dd, once, for the two link types the lab captures on: Ethernet (veth) and raw IP (TUN).
# The demo and the tests then need no tcpdump: the arrays live in the code. To add a filter, add its
# expression below, run this as root (it needs tcpdump, only here) and commit the regenerated file:
#   sudo sh lab/capture-filters.sh > lab/src/main/java/dev/siitdc/lab/CaptureFilters.java
set -eu
EXPRESSIONS='
tcp port 7
ip and tcp port 7
ip and udp
ip6 and udp
icmp
ip6
udp
udp src port 67
udp port 67
icmp6 and ip6[40] == 3
ip and udp port 7
ip6[6] == 44 or (ip6[6] == 17 and udp port 7) or (ip6[6] == 6 and ip6[53] & 2 != 0)
ip6[6] == 44 or (ip6[6] == 6 and ip6[53] & 2 != 0)
ip6 and (udp or ip6[6] == 44)
ether src 02:00:5e:00:53:d4 and not ip6
'
ns=siitdc-bpfgen-$$
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" tuntap add mode tun name t0
for d in v0 v1 t0; do ip -n "$ns" link set "$d" up; done

emit() { # $1 device, $2 expression: one Java map entry, or nothing if the expression does not fit the link
    code=$(ip netns exec "$ns" tcpdump -i "$1" -dd "$2" 2>/dev/null) || return 0
    printf '        // tcpdump -dd %s\n' "'$2'"
    printf '        Map.entry(new Key(%s, "%s"), new int[] {\n' "$3" "$2"
    printf '%s\n' "$code" | sed -e 's/^{ \(.*\) },$/            \1,/' -e 's/^{ \(.*\) }$/            \1,/'
    printf '        }),\n'
}

cat <<'JAVA'
package dev.siitdc.lab;

import java.util.Map;

/**
 * The classic BPF programs (struct sock_filter arrays: code, jt, jf, k) of the lab's capture filters,
 * compiled once with {@code tcpdump -dd} by lab/capture-filters.sh (generated: do not edit, rerun it).
 * Each is there twice where it fits: for an Ethernet link (veth, the program sees the Ethernet header
 * first) and for a raw IP link (TUN, the program sees the IP header first). Every program returns
 * 0x40000 (the whole packet) or 0; {@link Capture} cuts the packet to its snap length itself.
 */
final class CaptureFilters {
    /** {@code ethernet}: for an ARPHRD_ETHER link, otherwise for a raw IP link (ARPHRD_NONE). */
    record Key(boolean ethernet, String expression) {
    }

    private CaptureFilters() {
    }

    /** The program for {@code expression} on the link type, or null when none was compiled. */
    static int[] program(boolean ethernet, String expression) {
        return PROGRAMS.get(new Key(ethernet, expression.strip().replaceAll("\\s+", " ")));
    }

    /** The expressions that have a program, for the error that names a missing one. */
    static java.util.Set<String> expressions() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Key k : PROGRAMS.keySet()) out.add(k.expression());
        return out;
    }

    private static final Map<Key, int[]> PROGRAMS = Map.ofEntries(
JAVA
{
    emit v0 "" true
    emit t0 "" false
    printf '%s\n' "$EXPRESSIONS" | while IFS= read -r e; do
        [ -n "$e" ] || continue
        emit v0 "$e" true
        emit t0 "$e" false
    done
} | sed '$ s/}),$/}));/'
echo '}'

