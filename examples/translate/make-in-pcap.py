#!/usr/bin/env python3
"""Writes in.pcap, the input of the Border Relay example (siitdc-br.toml).

Four packets, link type RAW (101):
  1. IPv4 TCP SYN         198.51.100.7:40000 -> 192.0.2.1:443    (EAM: web server)
  2. IPv4 UDP DNS query   198.51.100.7:53000 -> 192.0.2.130:53   (EAM: DNS farm /25)
  3. IPv4 ICMP echo       198.51.100.7       -> 192.0.2.1
  4. IPv6 ICMPv6 echo reply from the web server back to the client:
                          2001:db8:12:34::1  -> 2001:db8:46::c633:6407 (pool6 + 198.51.100.7)

Usage: ./make-in-pcap.py [OUT]   (default: in.pcap next to this script). Python 3, stdlib only.
"""
import ipaddress
import os
import struct
import sys

CLIENT4 = "198.51.100.7"
WEB4, DNS4 = "192.0.2.1", "192.0.2.130"
WEB6 = "2001:db8:12:34::1"
CLIENT6 = "2001:db8:46::c633:6407"  # pool6 2001:db8:46::/96 + 198.51.100.7
ECHO_ID, ECHO_DATA = 0x5115, b"siitdc example!!"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def a4(s):
    return ipaddress.IPv4Address(s).packed


def a6(s):
    return ipaddress.IPv6Address(s).packed


def ipv4(src, dst, proto, payload, ident, df=True):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000 if df else 0,
                      64, proto, 0, a4(src), a4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def l4_checksum4(src, dst, proto, seg, at):
    pseudo = a4(src) + a4(dst) + struct.pack("!BBH", 0, proto, len(seg))
    c = csum(pseudo + seg)
    return seg[:at] + struct.pack("!H", c) + seg[at + 2:]


def tcp_syn(src, dst, sport, dport):
    opts = struct.pack("!BBH", 2, 4, 1460)  # MSS 1460
    seg = struct.pack("!HHIIBBHHH", sport, dport, 0x1000, 0, (5 + len(opts) // 4) << 4, 0x02,
                      64240, 0, 0) + opts
    return ipv4(src, dst, 6, l4_checksum4(src, dst, 6, seg, 16), 0x1001)


def udp_dns(src, dst, sport, dport):
    query = struct.pack("!HHHHHH", 0xabcd, 0x0100, 1, 0, 0, 0) + b"\x07example\x03com\x00" + struct.pack("!HH", 1, 1)
    seg = struct.pack("!HHHH", sport, dport, 8 + len(query), 0) + query
    return ipv4(src, dst, 17, l4_checksum4(src, dst, 17, seg, 6), 0x1002)


def icmp4_echo(src, dst):
    msg = struct.pack("!BBHHH", 8, 0, 0, ECHO_ID, 1) + ECHO_DATA
    msg = msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]
    return ipv4(src, dst, 1, msg, 0x1003)


def icmp6_echo_reply(src, dst):
    msg = struct.pack("!BBHHH", 129, 0, 0, ECHO_ID, 1) + ECHO_DATA
    pseudo = a6(src) + a6(dst) + struct.pack("!IxxxB", len(msg), 58)
    msg = msg[:2] + struct.pack("!H", csum(pseudo + msg)) + msg[4:]
    return struct.pack("!IHBB16s16s", 6 << 28, len(msg), 58, 64, a6(src), a6(dst)) + msg


def write_pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for i, p in enumerate(packets):
            f.write(struct.pack("<IIII", 1700000000, 1000 * i, len(p), len(p)))
            f.write(p)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "in.pcap")
    write_pcap(out, [
        tcp_syn(CLIENT4, WEB4, 40000, 443),
        udp_dns(CLIENT4, DNS4, 53000, 53),
        icmp4_echo(CLIENT4, WEB4),
        icmp6_echo_reply(WEB6, CLIENT6),
    ])


if __name__ == "__main__":
    main()
