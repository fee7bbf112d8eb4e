package dev.siitdc.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real DHCPv4 clients run in a node's namespace of the {@link NetworkLab}: busybox udhcpc and ISC dhclient,
 * each with an event script written here that applies what the server gave (address and subnet, default
 * router, interface MTU) with {@code ip} and logs it, one line per event, to a file this class reads back.
 * Their files (scripts, events, dhclient's lease and pid files) are in {@code DIR/dhcp/NODE/}.
 */
public final class DhcpClient {
    private DhcpClient() {}

    /**
     * What a client got and applied.
     *
     * @param client       "udhcpc" or "dhclient"
     * @param address      the leased address
     * @param prefixLength from the subnet mask (option 1)
     * @param router       the first router (option 3), or null
     * @param mtu          the Interface MTU (option 26), or 0 when the server sent none
     * @param serverId     the server identifier (option 54), or null
     * @param leaseSeconds the lease time (option 51), or 0
     * @param events       the event lines the script logged
     * @param output       the client's own output
     */
    public record Lease(String client, String address, int prefixLength, String router, int mtu, String serverId,
                        long leaseSeconds, List<String> events, String output) {
        @Override
        public String toString() {
            return client + ": " + address + "/" + prefixLength + " router " + router + " mtu " + mtu + " server "
                    + serverId + " lease " + leaseSeconds + " s";
        }
    }

    /** The udhcpc event script: $1 is the event; ip, mask/subnet, router, mtu, serverid, lease in the environment. */
    static String udhcpcScript(Path events) {
        return """
                #!/bin/sh
                # udhcpc event script of the siitdc network lab (dev.siitdc.lab.DhcpClient)
                PATH=/usr/sbin:/usr/bin:/sbin:/bin
                echo "$1 ip=$ip mask=$mask subnet=$subnet router=$router mtu=$mtu serverid=$serverid lease=$lease" >> EVENTS
                case "$1" in
                deconfig)
                    ip -4 addr flush dev "$interface"
                    ip link set dev "$interface" up
                    ;;
                bound|renew)
                    if [ -n "$mtu" ]; then ip link set dev "$interface" mtu "$mtu"; fi
                    ip -4 addr flush dev "$interface"
                    ip -4 addr add "$ip/${mask:-$subnet}" dev "$interface"
                    for r in $router; do ip -4 route replace default via "$r" dev "$interface"; break; done
                    echo "applied $1" >> EVENTS
                    ;;
                esac
                exit 0
                """.replace("EVENTS", events.toString());
    }

    /** The dhclient script: $reason, and new_* in the environment (dhclient-script(8)). */
    static String dhclientScript(Path events) {
        return """
                #!/bin/sh
                # dhclient script of the siitdc network lab (dev.siitdc.lab.DhcpClient), instead of dhclient-script
                PATH=/usr/sbin:/usr/bin:/sbin:/bin
                echo "$reason ip=$new_ip_address subnet=$new_subnet_mask router=$new_routers mtu=$new_interface_mtu serverid=$new_dhcp_server_identifier lease=$new_dhcp_lease_time" >> EVENTS
                case "$reason" in
                PREINIT)
                    ip link set dev "$interface" up
                    ;;
                BOUND|RENEW|REBIND|REBOOT)
                    if [ -n "$new_interface_mtu" ]; then ip link set dev "$interface" mtu "$new_interface_mtu"; fi
                    ip -4 addr flush dev "$interface"
                    ip -4 addr add "$new_ip_address/$new_subnet_mask" dev "$interface"
                    for r in $new_routers; do ip -4 route replace default via "$r" dev "$interface"; break; done
                    echo "applied $reason" >> EVENTS
                    ;;
                EXPIRE|FAIL|RELEASE|STOP)
                    ip -4 addr flush dev "$interface"
                    ;;
                esac
                exit 0
                """.replace("EVENTS", events.toString());
    }

    /** dhclient's configuration: the options the lab checks, quick retries. */
    static final String DHCLIENT_CONF = """
            # dhclient.conf of the siitdc network lab
            request subnet-mask, broadcast-address, routers, interface-mtu, domain-name-servers,
                    dhcp-lease-time, dhcp-server-identifier;
            timeout 20;
            retry 1;
            initial-interval 1;
            """;

    private static Path dir(NetworkLab nl, String node) {
        Path d = nl.dir().resolve("dhcp").resolve(node);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    private static void write(Path file, String text, boolean executable) {
        try {
            Files.writeString(file, text);
            if (executable) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code busybox udhcpc -i IFACE -f -q -n -t 5 -T 1 -O mtu -s SCRIPT}: a DISCOVER (a fresh one each time:
     * udhcpc keeps no lease), the lease applied, exit. Throws a {@link LabException} with the client's output
     * when it gets no lease.
     */
    public static Lease udhcpc(NetworkLab nl, String node, String iface) {
        Path d = dir(nl, node);
        Path events = d.resolve("udhcpc.events");
        Path script = d.resolve("udhcpc.script");
        write(script, udhcpcScript(events), true);
        try {
            Files.deleteIfExists(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shell.Result r = nl.exec(node, 30, "busybox", "udhcpc", "-i", iface, "-f", "-q", "-n", "-t", "5", "-T", "1",
                "-O", "mtu", "-s", script.toString());
        List<String> ev = lines(events);
        if (!r.ok() || ev.stream().noneMatch(l -> l.startsWith("applied bound"))) {
            throw new LabException("udhcpc on " + node + " " + iface + " got no lease (exit " + r.exit() + "): "
                    + r.out().strip() + "\nevents: " + ev);
        }
        String bound = ev.stream().filter(l -> l.startsWith("bound ")).reduce((a, b) -> b).orElseThrow();
        Map<String, String> f = fields(bound);
        String mask = f.getOrDefault("mask", "");
        int len = mask.isEmpty() ? prefixLength(f.get("subnet")) : Integer.parseInt(mask);
        return new Lease("udhcpc", f.get("ip"), len, first(f.get("router")), intOr0(f.get("mtu")),
                emptyToNull(f.get("serverid")), longOr0(f.get("lease")), ev, r.out());
    }

    /**
     * {@code dhclient -4 -d -1 -v -cf CONF -lf LEASES -pf PID -sf SCRIPT IFACE} with a fresh lease file (so a
     * DISCOVER, not an INIT-REBOOT REQUEST), stopped once the lease is applied (the address stays).
     */
    public static Lease dhclient(NetworkLab nl, String node, String iface) {
        Path d = dir(nl, node);
        Path events = d.resolve("dhclient.events");
        Path script = d.resolve("dhclient.script");
        Path conf = d.resolve("dhclient.conf");
        Path leases = d.resolve("dhclient.leases");
        Path pid = d.resolve("dhclient.pid");
        write(script, dhclientScript(events), true);
        write(conf, DHCLIENT_CONF, false);
        try {
            Files.deleteIfExists(events);
            Files.deleteIfExists(leases);
            Files.deleteIfExists(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LabProcess p = nl.spawn(node, "dhclient-" + node, List.of("dhclient", "-4", "-d", "-1", "-v", "-cf", conf.toString(),
                "-lf", leases.toString(), "-pf", pid.toString(), "-sf", script.toString(), iface));
        try {
            long end = System.nanoTime() + 30_000_000_000L;
            while (lines(events).stream().noneMatch(l -> l.startsWith("applied "))) {
                if (!p.alive() || System.nanoTime() > end) {
                    throw new LabException("dhclient on " + node + " " + iface + " got no lease"
                            + (p.alive() ? " within 30 s" : " (exit " + p.exitValue() + ")") + "; its output:\n"
                            + p.tail(30) + "\nevents: " + lines(events));
                }
                Shell.sleep(100);
            }
        } finally {
            p.stop(3000);
        }
        List<String> ev = lines(events);
        String bound = ev.stream().filter(l -> l.matches("^(BOUND|RENEW|REBIND|REBOOT) .*")).reduce((a, b) -> b).orElseThrow();
        Map<String, String> f = fields(bound);
        return new Lease("dhclient", f.get("ip"), prefixLength(f.get("subnet")), first(f.get("router")),
                intOr0(f.get("mtu")), emptyToNull(f.get("serverid")), longOr0(f.get("lease")), ev, p.output());
    }

    /** "bound ip=1.2.3.4 mask=29 ..." as a map (values end at the next " key="). */
    static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] parts = line.split(" (?=[a-z]+=)");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            m.put(parts[i].substring(0, eq), parts[i].substring(eq + 1).strip());
        }
        return m;
    }

    static int prefixLength(String dottedMask) {
        if (dottedMask == null || dottedMask.isEmpty()) return -1;
        int bits = 0;
        for (String o : dottedMask.split("\\.")) bits += Integer.bitCount(Integer.parseInt(o));
        return bits;
    }

    private static String first(String s) {
        if (s == null || s.isBlank()) return null;
        return s.split("\\s+")[0];
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int intOr0(String s) {
        return s == null || s.isBlank() ? 0 : Integer.parseInt(s);
    }

    private static long longOr0(String s) {
        return s == null || s.isBlank() ? 0 : Long.parseLong(s);
    }

    /** Removes the IPv4 addresses and the IPv4 default route of {@code iface} and resets its MTU (a node "reboots"). */
    public static void forget(NetworkLab nl, String node, String iface, int mtu) {
        nl.exec(node, 10, "ip", "-4", "addr", "flush", "dev", iface).check();
        nl.exec(node, 10, "ip", "-4", "route", "flush", "dev", iface);
        nl.exec(node, 10, "ip", "link", "set", "dev", iface, "mtu", Integer.toString(mtu)).check();
    }

    /** The lines of a lease file that mention {@code needle} (a MAC, an address). */
    public static List<String> linesWith(String text, String needle) {
        List<String> out = new ArrayList<>();
        for (String l : text.lines().toList()) if (l.toLowerCase().contains(needle.toLowerCase())) out.add(l);
        return out;
    }
}
