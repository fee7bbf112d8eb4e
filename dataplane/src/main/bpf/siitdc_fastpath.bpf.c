// SPDX-License-Identifier: GPL-2.0
/*
 * siitdc fast path: RFC 7915 stateless translation of the common case in a tc BPF program.
 *
 * The Java core (core/src/main/java/dev/siitdc/core/xlat) is the reference: this program translates
 * exactly what it translates, the same way, for unfragmented TCP, UDP with a checksum and ICMP echo,
 * and PUNTS everything else: it returns TC_ACT_OK with the packet unchanged, so that the TUN path
 * (the Java core) handles it. A punt is never a drop.
 *
 * Maps: siit_settings (array: entry 0 holds the generation index, entries 1 and 2 the settings of
 * generations 0 and 1), one LPM trie per direction and generation for the EAMT (RFC 7757), and
 * per-CPU counters. A packet reads the generation once and uses only that generation's maps, so it
 * never sees half a table.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

#define F_NO_FORWARD      (1u << 0)  /* translate, then TC_ACT_OK (tests) */
#define F_POOL6           (1u << 1)  /* pool6 is set */
#define F_POOL6_WKP       (1u << 2)  /* pool6 is 64:ff9b::/96 (RFC 6052 s3.1) */
#define F_ZEROIZE_TC      (1u << 3)  /* zeroize-traffic-class */
#define F_OVERRIDE_TOS    (1u << 4)  /* override-tos */
#define F_HAIRPIN_OFF     (1u << 5)  /* eam-hairpin-mode = off */
#define F_HAIRPIN_SIMPLE  (1u << 6)  /* eam-hairpin-mode = simple */
#define F_ATOMIC_FRAGS    (1u << 7)  /* atomic-fragments */
#define F_OWN4            (1u << 8)  /* own-ipv4-address is set */
#define F_OWN6            (1u << 9)  /* own-ipv6-address is set */
#define F_ENABLED         (1u << 10) /* the generation is filled in */
#define F_EDGE            (1u << 11) /* Edge Relay: the RFC 7756 s6 filters */
#define F_NETWORK         (1u << 12) /* network-based Edge Relay (s3.2): IPv4 sources must be Service Addresses */

/* RFC 7915 s5.1: over this Total Length, without a Fragment header, DF is set (Ipv6To4Steps). */
#define DF_THRESHOLD 1260

struct siit_settings {
	__u32 generation;       /* entry 0 only */
	__u32 flags;
	__u32 pool6_len;        /* 32, 40, 48, 56, 64 or 96 */
	__u32 ipv4_mtu;
	__u32 ipv6_mtu;
	__u32 lowest_ipv6_mtu;
	__u32 own4;             /* network order */
	__u32 tos;
	__u8 pool6[16];
	__u8 own6[16];
};

struct eam4_key { __u32 prefixlen; __u8 addr[4]; };
struct eam4_val { __u8 v6[16]; __u32 p6; __u32 p4; };
struct eam6_key { __u32 prefixlen; __u8 addr[16]; };
struct eam6_val { __u32 v4; __u32 p4; __u32 p6; };    /* v4 in network order */

enum siit_counter {
	C_TRANSLATED46, C_TRANSLATED64,
	P_NOT_IP, P_NO_SETTINGS, P_BAD_HEADER, P_OPTIONS, P_FRAGMENT, P_TTL, P_PROTOCOL, P_ICMP_TYPE,
	P_UDP_ZERO, P_TRUNCATED, P_ADDRESS, P_OWN, P_HAIRPIN, P_MTU, P_EXT_HEADER, P_CHECKSUM_EDGE,
	P_GSO, P_HELPER, P_FILTER,
	C_REDIRECTED, C_FIB_MISS, C_ERROR_AFTER_CHANGE,
	C_COUNT
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct siit_settings);
} siit_settings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, C_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} siit_counters SEC(".maps");

#define EAM_TRIE(name, K, V) \
	struct { \
		__uint(type, BPF_MAP_TYPE_LPM_TRIE); \
		__uint(max_entries, 65536); \
		__uint(map_flags, BPF_F_NO_PREALLOC); \
		__type(key, struct K); \
		__type(value, struct V); \
	} name SEC(".maps")

EAM_TRIE(siit_eam46_0, eam4_key, eam4_val);
EAM_TRIE(siit_eam46_1, eam4_key, eam4_val);
EAM_TRIE(siit_eam64_0, eam6_key, eam6_val);
EAM_TRIE(siit_eam64_1, eam6_key, eam6_val);

/* The Edge Relay's local Service Addresses (RFC 7756 s6), per generation: IPv4 (network order), IPv6. */
#define SA_SET(name, K) \
	struct { \
		__uint(type, BPF_MAP_TYPE_HASH); \
		__uint(max_entries, 4096); \
		__type(key, K); \
		__type(value, __u8); \
	} name SEC(".maps")

struct sa6_key { __u8 a[16]; };
SA_SET(siit_sa4_0, __u32);
SA_SET(siit_sa4_1, __u32);
SA_SET(siit_sa6_0, struct sa6_key);
SA_SET(siit_sa6_1, struct sa6_key);

static __always_inline int local4(__u32 gen, __u32 v4)
{
	__u32 k = bpf_htonl(v4);
	return (gen ? bpf_map_lookup_elem(&siit_sa4_1, &k) : bpf_map_lookup_elem(&siit_sa4_0, &k)) != 0;
}

static __always_inline int local6(__u32 gen, const __u8 *a)
{
	struct sa6_key k;
	__builtin_memcpy(k.a, a, 16);
	return (gen ? bpf_map_lookup_elem(&siit_sa6_1, &k) : bpf_map_lookup_elem(&siit_sa6_0, &k)) != 0;
}

struct ip4 {
	__u8 vihl, tos;
	__be16 tot_len, id, frag;
	__u8 ttl, proto;
	__be16 check;
	__u8 src[4], dst[4];
};

struct ip6 {
	__be32 vtcfl;
	__be16 plen;
	__u8 nh, hop;
	__u8 src[16], dst[16];
};

static __always_inline int count(__u32 c)
{
	__u64 *v = bpf_map_lookup_elem(&siit_counters, &c);
	if (v) *v += 1;
	return TC_ACT_OK;
}

#define PUNT(reason) return count(reason)

/* ------------------------------------------------------------------ checksum (RFC 1071, RFC 1624) */

static __always_inline __u32 fold(__u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u32)s;
}

static __always_inline __u32 sum_bytes(const __u8 *b, int n)
{
	__u64 s = 0;
#pragma unroll
	for (int i = 0; i + 1 < n; i += 2) s += ((__u32)b[i] << 8) | b[i + 1];
	return fold(s);
}

/* Checksum.update: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), exactly as the Java core computes it. */
static __always_inline __u16 csum_update(__u16 old, __u32 removed, __u32 added)
{
	__u32 s = (~old & 0xffff) + (~fold(removed) & 0xffff) + fold(added);
	return ~fold(s) & 0xffff;
}

/* ------------------------------------------------------------------ addresses */

static __always_inline __u32 be32_of(const __u8 *a)
{
	return ((__u32)a[0] << 24) | ((__u32)a[1] << 16) | ((__u32)a[2] << 8) | a[3];
}

/* SpecialAddresses.isIllegalSource (RFC 1812 s5.3.7) and 169.254/16: AddressMapper.isDenied4. */
static __always_inline int denied4(__u32 v)
{
	__u32 a = v >> 24;
	return a == 0 || a == 127 || a >= 224 || (v >> 16) == 0xa9fe;
}

/* SpecialAddresses.isGlobal (RFC 6890 registry), for the Well-Known Prefix (RFC 6052 s3.1). */
static __always_inline int global4(__u32 v)
{
	switch (v >> 24) {
	case 0: case 10: case 127: return 0;
	case 100: return (v & 0xffc00000) != 0x64400000;
	case 169: return (v >> 16) != 0xa9fe;
	case 172: return (v & 0xfff00000) != 0xac100000;
	case 192:
		if ((v >> 8) == 0xc00000) return v == 0xc0000009 || v == 0xc000000a;
		return (v >> 8) != 0xc00002 && (v >> 8) != 0xc05863 && (v >> 16) != 0xc0a8;
	case 198: return (v & 0xfffe0000) != 0xc6120000 && (v >> 8) != 0xc63364;
	case 203: return (v >> 8) != 0xcb0071;
	default: return (v >> 24) < 224;
	}
}

static __always_inline void put64(__u8 *d, __u64 v)
{
#pragma unroll
	for (int i = 0; i < 8; i++) d[i] = (__u8)(v >> (56 - 8 * i));
}

static __always_inline __u64 get64(const __u8 *d)
{
	__u64 v = 0;
#pragma unroll
	for (int i = 0; i < 8; i++) v = (v << 8) | d[i];
	return v;
}

static __always_inline int same16(const __u8 *a, const __u8 *b)
{
	int d = 0;
#pragma unroll
	for (int i = 0; i < 16; i++) d |= a[i] ^ b[i];
	return d == 0;
}

/* RFC 6052 s2.2: the IPv4 bytes after the prefix, skipping the u octet (byte 8). */
static __always_inline void pool6_embed(const struct siit_settings *s, __u32 v4, __u8 *out)
{
	__u32 first = (s->pool6_len & 0x7f) / 8;
#pragma unroll
	for (int i = 0; i < 16; i++) out[i] = s->pool6[i];
#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u32 p = first + i;
		if (p >= 8 && first < 12) p++;
		if (p < 16) out[p & 15] = (__u8)(v4 >> (24 - 8 * i));
	}
}

static __always_inline int pool6_match(const struct siit_settings *s, const __u8 *a)
{
	__u32 n = (s->pool6_len & 0x7f) / 8;
#pragma unroll
	for (int i = 0; i < 16; i++)
		if (i < n && a[i] != s->pool6[i]) return 0;
	return 1;
}

static __always_inline __u32 pool6_extract(const struct siit_settings *s, const __u8 *a)
{
	__u32 first = (s->pool6_len & 0x7f) / 8, v = 0;
#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u32 p = first + i;
		if (p >= 8 && first < 12) p++;
		v = (v << 8) | a[p & 15];
	}
	return v;
}

/* EamTable.translate4to6 + Eam.write46 (RFC 7757 s3.3): the suffix right after the IPv6 prefix. */
static __always_inline int eam46(__u32 gen, __u32 v4, __u8 *out)
{
	struct eam4_key k = { .prefixlen = 32 };
	__builtin_memcpy(k.addr, &(__u32){ bpf_htonl(v4) }, 4);
	struct eam4_val *e = gen ? bpf_map_lookup_elem(&siit_eam46_1, &k) : bpf_map_lookup_elem(&siit_eam46_0, &k);
	if (!e) return 0;
	__u32 s = 32 - (e->p4 & 63);
	__u64 hi = get64(e->v6), lo = get64(e->v6 + 8);
	if (s > 0 && s <= 32) {
		__u64 suffix = v4 & ((1ull << s) - 1);
		__u32 sh = 128 - (e->p6 & 0xff) - s;
		if (sh >= 64 && sh < 128) {
			hi |= suffix << (sh - 64);
		} else if (sh < 64) {
			lo |= suffix << sh;
			if (sh != 0) hi |= suffix >> (64 - sh);
		}
	}
	put64(out, hi);
	put64(out + 8, lo);
	return 1;
}

/* EamTable.translate6to4 + Eam.extract64: -1 if no EAM covers the address. */
static __always_inline __s64 eam64(__u32 gen, const __u8 *a)
{
	struct eam6_key k = { .prefixlen = 128 };
	__builtin_memcpy(k.addr, a, 16);
	struct eam6_val *e = gen ? bpf_map_lookup_elem(&siit_eam64_1, &k) : bpf_map_lookup_elem(&siit_eam64_0, &k);
	if (!e) return -1;
	__u32 s = 32 - (e->p4 & 63);
	__u32 v4 = bpf_ntohl(e->v4);
	if (s == 0 || s > 32) return v4;
	__u64 hi = get64(a), lo = get64(a + 8), v;
	__u32 sh = 128 - (e->p6 & 0xff) - s;
	if (sh >= 64 && sh < 128) {
		v = hi >> (sh - 64);
	} else if (sh < 64) {
		v = lo >> sh;
		if (sh != 0) v |= hi << (64 - sh);
	} else {
		v = 0;
	}
	return v4 | (__u32)(v & ((1ull << s) - 1));
}

/* AddressMapper.map46: 1 mapped, 0 not (punt). */
static __always_inline int map46(const struct siit_settings *s, __u32 gen, __u32 v4, int use_eam, __u8 *out)
{
	if (use_eam && eam46(gen, v4, out)) return 1;
	if (!(s->flags & F_POOL6)) return 0;
	if ((s->flags & F_POOL6_WKP) && !global4(v4)) return 0;
	pool6_embed(s, v4, out);
	return 1;
}

#define MAP64_POOL6 (1ll << 32)

/* AddressMapper.map64: the address, with MAP64_POOL6 when pool6 matched, or -1 (punt). */
static __always_inline __s64 map64(const struct siit_settings *s, __u32 gen, const __u8 *a)
{
	__s64 r = eam64(gen, a);
	if (r >= 0) return r;
	if (!(s->flags & F_POOL6) || !pool6_match(s, a)) return -1;
	__u32 v4 = pool6_extract(s, a);
	if ((s->flags & F_POOL6_WKP) && !global4(v4)) return -1;
	return (__s64)v4 | MAP64_POOL6;
}

static __always_inline int covers4(__u32 gen, __u32 v4)
{
	struct eam4_key k = { .prefixlen = 32 };
	__builtin_memcpy(k.addr, &(__u32){ bpf_htonl(v4) }, 4);
	return (gen ? bpf_map_lookup_elem(&siit_eam46_1, &k) : bpf_map_lookup_elem(&siit_eam46_0, &k)) != 0;
}

/* ------------------------------------------------------------------ forwarding */

static __always_inline int forward(struct __sk_buff *skb, const struct siit_settings *s, int family,
				   const __u8 *src, const __u8 *dst, __u32 l3len)
{
	if (s->flags & F_NO_FORWARD) return TC_ACT_OK;
	struct bpf_fib_lookup fib = {};
	fib.family = family;
	fib.ifindex = skb->ingress_ifindex ? skb->ingress_ifindex : skb->ifindex;
	fib.tot_len = l3len;
	if (family == 2 /* AF_INET */) {
		__builtin_memcpy(&fib.ipv4_src, src, 4);
		__builtin_memcpy(&fib.ipv4_dst, dst, 4);
	} else {
		__builtin_memcpy(fib.ipv6_src, src, 16);
		__builtin_memcpy(fib.ipv6_dst, dst, 16);
	}
	long rc = bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS) {
		/* The translated packet goes on through the kernel's own routing (and its ICMP errors). */
		count(C_FIB_MISS);
		return TC_ACT_OK;
	}
	struct bpf_redir_neigh nh = {};
	nh.nh_family = fib.family;
	if (fib.family == 2) nh.ipv4_nh = fib.ipv4_dst;
	else __builtin_memcpy(nh.ipv6_nh, fib.ipv6_dst, 16);
	count(C_REDIRECTED);
	return bpf_redirect_neigh(fib.ifindex, &nh, sizeof(nh), 0);
}

/* ------------------------------------------------------------------ IPv4 -> IPv6 (RFC 7915 s4) */

static __always_inline int xlat46(struct __sk_buff *skb, const struct siit_settings *s, __u32 gen, __u32 l2)
{
	struct ip4 h;
	if (bpf_skb_load_bytes(skb, l2, &h, sizeof(h))) PUNT(P_TRUNCATED);
	if (h.vihl != 0x45) PUNT((h.vihl >> 4) != 4 ? P_BAD_HEADER : P_OPTIONS);   /* IP options: punt */
	__u32 tot = bpf_ntohs(h.tot_len);
	if (tot < 20) PUNT(P_BAD_HEADER);
	if (l2 + tot > skb->len) PUNT(P_TRUNCATED);
	if (sum_bytes((const __u8 *)&h, 20) != 0xffff) PUNT(P_BAD_HEADER);        /* RFC 1812 s5.2.2 */
	__u16 frag = bpf_ntohs(h.frag);
	int df = (frag & 0x4000) != 0;
	if (frag & 0x3fff) PUNT(P_FRAGMENT);
	__u32 l4len = tot - 20, l4 = l2 + 20;
	__u32 src4 = be32_of(h.src), dst4 = be32_of(h.dst);
	if ((s->flags & F_OWN4) && bpf_htonl(dst4) == s->own4) PUNT(P_OWN);
	/* RFC 7756 s6 ingress filtering (RelayFilter): the TUN path drops these */
	if ((s->flags & F_EDGE) && !((s->flags & F_NETWORK) ? local4(gen, src4) : covers4(gen, src4))) PUNT(P_FILTER);

	/* validateTransport */
	__u8 l4h[20];
	__u32 csum_at;
	if (h.proto == 6) {
		if (l4len < 20 || bpf_skb_load_bytes(skb, l4, l4h, 20)) PUNT(P_TRUNCATED);
		if ((__u32)(l4h[12] >> 4) * 4 > l4len) PUNT(P_TRUNCATED);
		csum_at = 16;
	} else if (h.proto == 17) {
		if (l4len < 8 || bpf_skb_load_bytes(skb, l4, l4h, 8)) PUNT(P_TRUNCATED);
		if (l4h[6] == 0 && l4h[7] == 0) PUNT(P_UDP_ZERO);                   /* RFC 7915 s4.5 */
		csum_at = 6;
	} else if (h.proto == 1) {
		if (l4len < 8 || bpf_skb_load_bytes(skb, l4, l4h, 8)) PUNT(P_TRUNCATED);
		if (l4h[0] != 8 && l4h[0] != 0) PUNT(P_ICMP_TYPE);                  /* errors and the rest */
		csum_at = 2;
	} else {
		PUNT(P_PROTOCOL);
	}

	/* mapAddresses (RFC 7915 s4.1, RFC 7757) */
	if (denied4(src4) || src4 == 0xffffffff || denied4(dst4)) PUNT(P_ADDRESS);
	struct ip6 o = {};
	if (!map46(s, gen, src4, !(s->flags & F_HAIRPIN_SIMPLE), o.src)) PUNT(P_ADDRESS);
	if (!map46(s, gen, dst4, 1, o.dst)) PUNT(P_ADDRESS);

	/* hopLimit, fitMtu */
	if (h.ttl <= 1) PUNT(P_TTL);
	if ((s->flags & F_ATOMIC_FRAGS) && !df) PUNT(P_FRAGMENT);               /* a Fragment header */
	__u32 limit = df ? s->ipv6_mtu : (s->lowest_ipv6_mtu < s->ipv6_mtu ? s->lowest_ipv6_mtu : s->ipv6_mtu);
	if (skb->gso_size) {
		if (h.proto != 6 || skb->gso_size + 40 + 60 > limit) PUNT(P_GSO);
	} else if (40 + l4len > limit) {
		PUNT(P_MTU);
	}

	/* the IPv6 header (RFC 7915 s4.1) */
	__u32 tc = (s->flags & F_ZEROIZE_TC) ? 0 : h.tos;
	o.vtcfl = bpf_htonl((6u << 28) | (tc << 20));
	o.plen = bpf_htons(l4len);
	o.nh = h.proto == 1 ? 58 : h.proto;
	o.hop = h.ttl - 1;

	__u32 removed = (src4 >> 16) + (src4 & 0xffff) + (dst4 >> 16) + (dst4 & 0xffff);
	__u32 added = sum_bytes(o.src, 16) + sum_bytes(o.dst, 16);
	__u16 old = ((__u16)l4h[csum_at] << 8) | l4h[csum_at + 1];
	__u16 icmp_word = 0, icmp_csum = 0;
	if (h.proto == 1) {
		/* RFC 7915 s4.2: Echo 8 -> 128, 0 -> 129, code 0; the checksum gains the pseudo-header */
		icmp_word = (l4h[0] == 8 ? 128 : 129) << 8;
		__u32 pseudo = added + (l4len >> 16) + (l4len & 0xffff) + 58;
		icmp_csum = csum_update(old, ((__u32)l4h[0] << 8) | l4h[1], icmp_word + pseudo);
	}

	/* trailing bytes (Ethernet padding) are not part of the packet */
	if (l2 + tot < skb->len && bpf_skb_change_tail(skb, l2 + tot, 0)) PUNT(P_HELPER);
	if (bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0)) PUNT(P_HELPER);
	/* point of no return */
	__be16 eth6 = bpf_htons(ETH_P_IPV6);
	int err = 0;
	if (l2) err |= bpf_skb_store_bytes(skb, 12, &eth6, 2, 0);
	err |= bpf_skb_store_bytes(skb, l2, &o, sizeof(o), 0);
	/* CHECKSUM_COMPLETE: the IPv4 header summed to zero, the IPv6 one is added (as Android's CLAT) */
	bpf_csum_update(skb, bpf_csum_diff(0, 0, (__be32 *)&o, sizeof(o), 0));
	__u32 nl4 = l2 + 40;
	if (h.proto == 1) {
		__u8 tcw[4] = { icmp_word >> 8, 0, icmp_csum >> 8, icmp_csum & 0xff };
		err |= bpf_skb_store_bytes(skb, nl4, tcw, 4, BPF_F_RECOMPUTE_CSUM);
	} else {
		/* RFC 1624 through the kernel, which also knows CHECKSUM_PARTIAL (GSO) */
		/* the kernel sums raw (network order) words: the 16-bit difference goes in byte-swapped */
		__u32 diff = bpf_htons((__u16)fold((~fold(removed) & 0xffff) + fold(added)));
		__u64 flags = BPF_F_PSEUDO_HDR | (h.proto == 17 ? BPF_F_MARK_MANGLED_0 : 0);
		err |= bpf_l4_csum_replace(skb, nl4 + csum_at, 0, diff, flags);
	}
	if (err) return count(C_ERROR_AFTER_CHANGE), TC_ACT_SHOT;
	count(C_TRANSLATED46);
	return forward(skb, s, 10 /* AF_INET6 */, o.src, o.dst, 40 + l4len);
}

/* ------------------------------------------------------------------ IPv6 -> IPv4 (RFC 7915 s5) */

static __always_inline int xlat64(struct __sk_buff *skb, const struct siit_settings *s, __u32 gen, __u32 l2)
{
	struct ip6 h;
	if (bpf_skb_load_bytes(skb, l2, &h, sizeof(h))) PUNT(P_TRUNCATED);
	if ((bpf_ntohl(h.vtcfl) >> 28) != 6) PUNT(P_BAD_HEADER);
	__u32 l4len = bpf_ntohs(h.plen), l4 = l2 + 40;
	if (l4 + l4len > skb->len) PUNT(P_TRUNCATED);
	if ((s->flags & F_OWN6) && same16(h.dst, s->own6)) PUNT(P_OWN);

	__u8 l4h[20];
	__u32 csum_at;
	if (h.nh == 6) {
		if (l4len < 20 || bpf_skb_load_bytes(skb, l4, l4h, 20)) PUNT(P_TRUNCATED);
		if ((__u32)(l4h[12] >> 4) * 4 > l4len) PUNT(P_TRUNCATED);
		csum_at = 16;
	} else if (h.nh == 17) {
		if (l4len < 8 || bpf_skb_load_bytes(skb, l4, l4h, 8)) PUNT(P_TRUNCATED);
		if (l4h[6] == 0 && l4h[7] == 0) PUNT(P_UDP_ZERO);                   /* RFC 8200 s8.1 */
		csum_at = 6;
	} else if (h.nh == 58) {
		if (l4len < 8 || bpf_skb_load_bytes(skb, l4, l4h, 8)) PUNT(P_TRUNCATED);
		if (l4h[0] != 128 && l4h[0] != 129) PUNT(P_ICMP_TYPE);
		csum_at = 2;
	} else if (h.nh == 0 || h.nh == 43 || h.nh == 44 || h.nh == 60 || h.nh == 51 || h.nh == 50
		   || h.nh == 135 || h.nh == 139 || h.nh == 140) {
		PUNT(P_EXT_HEADER);
	} else {
		PUNT(P_PROTOCOL);
	}

	/* mapAddresses (RFC 7915 s5.1, RFC 7757 s3.2, s4.2) */
	/* RFC 7756 s6: a source that is, or maps to, a local Service Address (RelayFilter) */
	if ((s->flags & F_EDGE) && local6(gen, h.src)) PUNT(P_FILTER);
	__s64 sr = map64(s, gen, h.src);
	if (sr < 0) PUNT(P_ADDRESS);
	__u32 src4 = (__u32)sr;
	if ((s->flags & F_EDGE) && local4(gen, src4)) PUNT(P_FILTER);
	if (denied4(src4)) PUNT(P_ADDRESS);
	__s64 dr = map64(s, gen, h.dst);
	if (dr < 0) PUNT(P_ADDRESS);
	__u32 dst4 = (__u32)dr;
	if (denied4(dst4)) PUNT(P_ADDRESS);
	if (!(s->flags & F_HAIRPIN_OFF) && (dr & MAP64_POOL6) && covers4(gen, dst4)) PUNT(P_HAIRPIN);

	/* hopLimit, fitMtu */
	if (h.hop <= 1) PUNT(P_TTL);
	__u32 tot4 = 20 + l4len;
	if (tot4 > 65535) PUNT(P_MTU);
	if (skb->gso_size) {
		if (h.nh != 6 || skb->gso_size + 20 + 60 > s->ipv4_mtu) PUNT(P_GSO);
	} else if (tot4 > s->ipv4_mtu) {
		PUNT(P_MTU);
	}

	/* the IPv4 header (RFC 7915 s5.1); Identification: a generated field (RFC 6864) */
	struct ip4 o = {};
	o.vihl = 0x45;
	o.tos = (s->flags & F_OVERRIDE_TOS) ? (__u8)s->tos : (__u8)(bpf_ntohl(h.vtcfl) >> 20);
	o.tot_len = bpf_htons(tot4);
	o.id = (__be16)bpf_get_prandom_u32();
	o.frag = bpf_htons(tot4 > DF_THRESHOLD ? 0x4000 : 0);
	o.ttl = h.hop - 1;
	o.proto = h.nh == 58 ? 1 : h.nh;
	__u32 s4 = bpf_htonl(src4), d4 = bpf_htonl(dst4);
	__builtin_memcpy(o.src, &s4, 4);
	__builtin_memcpy(o.dst, &d4, 4);
	o.check = 0;
	__u16 hc = ~sum_bytes((const __u8 *)&o, 20) & 0xffff;
	o.check = bpf_htons(hc);

	__u32 removed = sum_bytes(h.src, 16) + sum_bytes(h.dst, 16);
	__u32 added = (src4 >> 16) + (src4 & 0xffff) + (dst4 >> 16) + (dst4 & 0xffff);
	__u16 old = ((__u16)l4h[csum_at] << 8) | l4h[csum_at + 1];
	__u16 icmp_word = 0, icmp_csum = 0;
	if (h.nh == 58) {
		/* RFC 7915 s5.2: Echo 128 -> 8, 129 -> 0, code 0; the checksum loses the pseudo-header */
		icmp_word = (l4h[0] == 128 ? 8 : 0) << 8;
		__u32 pseudo = removed + (l4len >> 16) + (l4len & 0xffff) + 58;
		icmp_csum = csum_update(old, (((__u32)l4h[0] << 8) | l4h[1]) + pseudo, icmp_word);
		/* Checksum.noPseudoHeader: 0x0000 is right unless all else is zero; not worth a scan here */
		if (icmp_csum == 0) PUNT(P_CHECKSUM_EDGE);
	}

	if (l4 + l4len < skb->len && bpf_skb_change_tail(skb, l4 + l4len, 0)) PUNT(P_HELPER);
	/* CHECKSUM_COMPLETE: the IPv6 header leaves the sum, the IPv4 one sums to zero */
	__s64 sum6 = bpf_csum_diff((__be32 *)&h, sizeof(h), 0, 0, 0);
	if (bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0)) PUNT(P_HELPER);
	/* point of no return */
	__be16 eth4 = bpf_htons(ETH_P_IP);
	int err = 0;
	if (l2) err |= bpf_skb_store_bytes(skb, 12, &eth4, 2, 0);
	err |= bpf_skb_store_bytes(skb, l2, &o, sizeof(o), 0);
	if (sum6 >= 0) bpf_csum_update(skb, (__wsum)sum6);
	__u32 nl4 = l2 + 20;
	if (h.nh == 58) {
		__u8 tcw[4] = { icmp_word >> 8, 0, icmp_csum >> 8, icmp_csum & 0xff };
		err |= bpf_skb_store_bytes(skb, nl4, tcw, 4, BPF_F_RECOMPUTE_CSUM);
	} else {
		/* the kernel sums raw (network order) words: the 16-bit difference goes in byte-swapped */
		__u32 diff = bpf_htons((__u16)fold((~fold(removed) & 0xffff) + fold(added)));
		__u64 flags = BPF_F_PSEUDO_HDR | (h.nh == 17 ? BPF_F_MARK_MANGLED_0 : 0);
		err |= bpf_l4_csum_replace(skb, nl4 + csum_at, 0, diff, flags);
	}
	if (err) return count(C_ERROR_AFTER_CHANGE), TC_ACT_SHOT;
	count(C_TRANSLATED64);
	return forward(skb, s, 2 /* AF_INET */, o.src, o.dst, tot4);
}

/* ------------------------------------------------------------------ entry points */

static __always_inline int fastpath(struct __sk_buff *skb, __u32 l2)
{
	__u32 zero = 0;
	struct siit_settings *ctl = bpf_map_lookup_elem(&siit_settings, &zero);
	if (!ctl) PUNT(P_NO_SETTINGS);
	__u32 gen = ctl->generation & 1;          /* read once: this packet uses only this generation */
	__u32 idx = 1 + gen;
	struct siit_settings *s = bpf_map_lookup_elem(&siit_settings, &idx);
	if (!s || !(s->flags & F_ENABLED)) PUNT(P_NO_SETTINGS);
	if (skb->protocol == bpf_htons(ETH_P_IP)) return xlat46(skb, s, gen, l2);
	if (skb->protocol == bpf_htons(ETH_P_IPV6)) return xlat64(skb, s, gen, l2);
	PUNT(P_NOT_IP);
}

/* An Ethernet device (the Border Relay's, a network-based Edge Relay's interfaces). */
SEC("tc")
int siitdc_fastpath_eth(struct __sk_buff *skb) { return fastpath(skb, ETH_HLEN); }

/* A device without a link-layer header (the TUN of a node-based Edge Relay). */
SEC("tc")
int siitdc_fastpath_l3(struct __sk_buff *skb) { return fastpath(skb, 0); }
