// The IPv6 frames Linux's addrconf puts on the wire when an interface comes up, built byte for byte
// (RFC 8200 header, RFC 2711 Router Alert, RFC 3810 MLDv2 report, RFC 4861 router and neighbour
// solicitation, RFC 4862 DAD, RFC 7527 DAD nonce), and IPv6 address text (RFC 4291, RFC 5952).
// knetlab routes IPv4 only: these frames exist because users see them (bridges learn the sender's
// MAC from them, tcpdump prints them). When Linux sends them is the kernel's: src/kernel/addrconf.ts.
import { macByte, writeMac } from './_mac.js';
import { onesSum } from './checksum.js';
import { WireError } from './error.js';
import type { EthernetFrame, Mac } from './types.js';
import { ETHERTYPE_IPV6 } from './types.js';

/** An IPv6 address: 16 bytes in network order. Builders copy what they are given. */
export type Ipv6 = Uint8Array;

export const IPV6_HEADER_LEN = 40;
export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_NONE = 59;

export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const ICMPV6_ROUTER_SOLICITATION = 133;
export const ICMPV6_NEIGHBOR_SOLICITATION = 135;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
export const ICMPV6_MLDV2_REPORT = 143;

/** MLDv2 multicast address record types (RFC 3810 §5.2.12). */
export const MLDV2_MODE_IS_INCLUDE = 1;
export const MLDV2_MODE_IS_EXCLUDE = 2;
export const MLDV2_CHANGE_TO_INCLUDE = 3;
export const MLDV2_CHANGE_TO_EXCLUDE = 4;
export const MLDV2_ALLOW_NEW_SOURCES = 5;
export const MLDV2_BLOCK_OLD_SOURCES = 6;

/** Neighbour Discovery option types (RFC 4861 §4.6, RFC 7527 §4). */
export const ND_OPT_SOURCE_LINKADDR = 1;
export const ND_OPT_TARGET_LINKADDR = 2;
export const ND_OPT_NONCE = 14;

const addr = (...words: number[]): Ipv6 => {
  const b = new Uint8Array(16);
  words.forEach((w, i) => {
    b[i * 2] = w >>> 8;
    b[i * 2 + 1] = w & 0xff;
  });
  return b;
};

/** `::`, the source of everything sent while the link-local address is tentative. */
export const IPV6_UNSPECIFIED: Ipv6 = addr();
/** ff02::1, all nodes on the link (never reported by MLD). */
export const IPV6_ALL_NODES: Ipv6 = addr(0xff02, 0, 0, 0, 0, 0, 0, 1);
/** ff02::2, all routers: routers join it; hosts send router solicitations to it. */
export const IPV6_ALL_ROUTERS: Ipv6 = addr(0xff02, 0, 0, 0, 0, 0, 0, 2);
/** ff02::16, all MLDv2-capable routers: where MLDv2 reports go. */
export const IPV6_ALL_MLDV2_ROUTERS: Ipv6 = addr(0xff02, 0, 0, 0, 0, 0, 0, 0x16);
/** ff02::6a, all snoopers (RFC 4286): a Linux bridge with multicast snooping joins it when opened. */
export const IPV6_ALL_SNOOPERS: Ipv6 = addr(0xff02, 0, 0, 0, 0, 0, 0, 0x6a);

// ---- addresses ----

/**
 * The EUI-64 link-local address Linux gives an Ethernet interface (addr_gen_mode 0, RFC 4291
 * appendix A): fe80::/64, then the MAC with ff:fe in its middle and the universal/local bit flipped.
 * 02:42:0a:00:00:01 gives fe80::42:aff:fe00:1.
 */
export function linkLocalFromMac(mac: Mac): Ipv6 {
  // Read from the text at once: each link's MAC is new, so writeMac's cache would only churn.
  const a = new Uint8Array(16);
  a[0] = 0xfe;
  a[1] = 0x80;
  a[8] = macByte(mac, 0) ^ 0x02;
  a[9] = macByte(mac, 1);
  a[10] = macByte(mac, 2);
  a[11] = 0xff;
  a[12] = 0xfe;
  a[13] = macByte(mac, 3);
  a[14] = macByte(mac, 4);
  a[15] = macByte(mac, 5);
  return a;
}

/** The solicited-node multicast group of an address (RFC 4291 §2.7.1): ff02::1:ff and its low 24 bits. */
export function solicitedNodeGroup(a: Ipv6): Ipv6 {
  const g = new Uint8Array(16);
  g[0] = 0xff;
  g[1] = 0x02;
  g[11] = 0x01;
  g[12] = 0xff;
  g[13] = a[13]!;
  g[14] = a[14]!;
  g[15] = a[15]!;
  return g;
}

/** The Ethernet address a multicast group is sent to (RFC 2464 §7): 33:33 and its low 32 bits. */
export function multicastMac(group: Ipv6): Mac {
  const low = ((group[12]! << 24) | (group[13]! << 16) | (group[14]! << 8) | group[15]!) >>> 0;
  let mac = MULTICAST_MACS.get(low);
  if (mac === undefined) {
    mac = ['33', '33', ...Array.from(group.subarray(12, 16), (b) => b.toString(16).padStart(2, '0'))].join(':');
    if (MULTICAST_MACS.size < MULTICAST_MACS_KEPT) MULTICAST_MACS.set(low, mac);
  }
  return mac;
}

/**
 * The MACs of the groups met so far, by their low 32 bits: every link-up sends to ff02::16 and
 * ff02::2, whose frames then share one string each. Bounded (solicited-node groups are one per address).
 */
const MULTICAST_MACS = new Map<number, Mac>();
const MULTICAST_MACS_KEPT = 64;

export function ipv6Equal(a: Ipv6, b: Ipv6): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Text form as glibc's inet_ntop() writes it, which is what tcpdump and iproute2 print: RFC 5952
 * (lowercase, no leading zeros, the first longest run of two or more zero groups as `::`), except
 * that ::a.b.c.d and ::ffff:a.b.c.d keep a dotted quad.
 */
export function formatIpv6(a: Ipv6): string {
  if (a.length !== 16) throw new WireError('IPv6', `an address has 16 bytes, not ${a.length}`);
  const words = Array.from({ length: 8 }, (_, i) => (a[i * 2]! << 8) | a[i * 2 + 1]!);
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i >= best.base && i < best.base + best.len) {
      if (i === best.base) s += ':';
      continue;
    }
    if (i) s += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      return `${s}${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
    }
    s += words[i]!.toString(16);
  }
  if (best.base + best.len === 8) s += ':';
  return s;
}

/** Parses RFC 4291 §2.2 text (with `::` and a trailing dotted quad); undefined if it is not one. */
export function parseIpv6(text: string): Ipv6 | undefined {
  let words: number[] = [];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (h: string, last: boolean): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (last && i === parts.length - 1 && p.includes('.')) {
        const q = p.split('.');
        if (q.length !== 4 || !q.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255)) return undefined;
        const [a, b, c, d] = q.map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  if (halves.length === 2) {
    const head = parseHalf(halves[0]!, false);
    const tail = parseHalf(halves[1]!, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseHalf(text, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  }
  return addr(...words);
}

// ---- packets ----

/**
 * The one's-complement sum of the IPv6 pseudo-header (RFC 8200 §8.1): source, destination,
 * upper-layer length, next header. Add the message's own sum and complement for a checksum.
 */
export function ipv6PseudoHeaderSum(src: Ipv6, dst: Ipv6, nextHeader: number, length: number): number {
  let sum = onesSum(src, 0, 16) + onesSum(dst, 0, 16) + (length >>> 16) + (length & 0xffff) + nextHeader;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Fills in the checksum (bytes 2..3) of an ICMPv6 message in place and returns the message. */
export function setIcmpv6Checksum(src: Ipv6, dst: Ipv6, message: Uint8Array): Uint8Array {
  writeIcmpv6Checksum(src, dst, message, 0, message.length);
  return message;
}

/** setIcmpv6Checksum() of the `len` bytes of `buf` at `off` (a message inside a packet, without a view of it). */
function writeIcmpv6Checksum(src: Ipv6, dst: Ipv6, buf: Uint8Array, off: number, len: number): void {
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  const sum = ~onesSum(buf, off, len, ipv6PseudoHeaderSum(src, dst, IPPROTO_ICMPV6, len)) & 0xffff;
  buf[off + 2] = sum >>> 8;
  buf[off + 3] = sum & 0xff;
}

const NO_EXTENSION_HEADERS = new Uint8Array(0);

export interface Ipv6FrameOptions {
  readonly hopLimit: number;
  /** Traffic class and flow label (0 for everything addrconf sends). */
  readonly trafficClass?: number;
  readonly flowLabel?: number;
  /** Extension headers between the IPv6 header and the ICMPv6 message (their first byte is 58). */
  readonly extensionHeaders?: Uint8Array;
  /** The destination MAC; by default the group's 33:33 address for multicast, else an error. */
  readonly dstMac?: Mac;
}

/**
 * An Ethernet frame carrying an IPv6 packet with an ICMPv6 message. The message is copied and
 * its checksum computed over the pseudo-header; the caller's bytes are not changed.
 */
export function icmpv6Frame(srcMac: Mac, src: Ipv6, dst: Ipv6, message: Uint8Array, o: Ipv6FrameOptions): EthernetFrame {
  const ext = o.extensionHeaders ?? NO_EXTENSION_HEADERS;
  const payloadLen = ext.length + message.length;
  const b = new Uint8Array(IPV6_HEADER_LEN + payloadLen);
  const tc = o.trafficClass ?? 0;
  const flow = o.flowLabel ?? 0;
  b[0] = 0x60 | (tc >>> 4);
  b[1] = ((tc & 0x0f) << 4) | ((flow >>> 16) & 0x0f);
  b[2] = (flow >>> 8) & 0xff;
  b[3] = flow & 0xff;
  b[4] = payloadLen >>> 8;
  b[5] = payloadLen & 0xff;
  b[6] = ext.length ? IPPROTO_HOPOPTS : IPPROTO_ICMPV6;
  b[7] = o.hopLimit;
  b.set(src, 8);
  b.set(dst, 24);
  b.set(ext, IPV6_HEADER_LEN);
  b.set(message, IPV6_HEADER_LEN + ext.length);
  writeIcmpv6Checksum(src, dst, b, IPV6_HEADER_LEN + ext.length, message.length);
  let dstMac = o.dstMac;
  if (dstMac === undefined) {
    if (dst[0] !== 0xff) throw new WireError('IPv6', `a frame to unicast ${formatIpv6(dst)} needs a destination MAC`);
    dstMac = multicastMac(dst);
  }
  return { kind: 'eth', dst: dstMac, src: srcMac, etherType: ETHERTYPE_IPV6, payload: { kind: 'raw', bytes: b } };
}

/**
 * The Hop-by-Hop header every Linux MLD message carries: next header ICMPv6, length 0 (8 bytes),
 * Router Alert (type 5, length 2) with value 0 "MLD" (RFC 2711), then PadN of two bytes.
 */
const MLD_HOP_BY_HOP = Uint8Array.of(IPPROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0);

/**
 * An MLDv2 report (RFC 3810 §5.2) as Linux sends it: to ff02::16 from `srcAddr` (:: while the
 * link-local address is tentative), hop limit 1, the Router Alert Hop-by-Hop header, then one
 * record per group with no auxiliary data and no sources. Linux reports a join as
 * CHANGE_TO_EXCLUDE_MODE ("to_ex"), both in state-change and in post-DAD reports.
 */
export function mldv2Report(
  srcMac: Mac,
  srcAddr: Ipv6,
  groups: readonly Ipv6[],
  recordType: number = MLDV2_CHANGE_TO_EXCLUDE,
): EthernetFrame {
  const m = new Uint8Array(8 + 20 * groups.length);
  m[0] = ICMPV6_MLDV2_REPORT;
  m[6] = groups.length >>> 8;
  m[7] = groups.length & 0xff;
  groups.forEach((g, i) => {
    m[8 + 20 * i] = recordType;
    m.set(g, 8 + 20 * i + 4);
  });
  return icmpv6Frame(srcMac, srcAddr, IPV6_ALL_MLDV2_ROUTERS, m, { hopLimit: 1, extensionHeaders: MLD_HOP_BY_HOP });
}

/**
 * A router solicitation (RFC 4861 §4.1) to ff02::2, hop limit 255, with the Source Link-Layer
 * Address option unless the source is :: (§4.1 forbids it then).
 */
export function routerSolicitation(srcMac: Mac, srcAddr: Ipv6): EthernetFrame {
  const withOption = !ipv6Equal(srcAddr, IPV6_UNSPECIFIED);
  const m = new Uint8Array(withOption ? 16 : 8);
  m[0] = ICMPV6_ROUTER_SOLICITATION;
  if (withOption) {
    m[8] = ND_OPT_SOURCE_LINKADDR;
    m[9] = 1;
    writeMac(srcMac, m, 10);
  }
  return icmpv6Frame(srcMac, srcAddr, IPV6_ALL_ROUTERS, m, { hopLimit: 255 });
}

/**
 * The duplicate address detection probe (RFC 4862 §5.4.2): a neighbour solicitation for `target`
 * from :: to its solicited-node group, hop limit 255, no link-layer address option. Linux's
 * default enhanced_dad=1 adds a 6-byte Nonce option (RFC 7527), random per probe; pass
 * `nonce` undefined for enhanced_dad=0.
 */
export function dadNeighborSolicitation(srcMac: Mac, target: Ipv6, nonce?: Uint8Array): EthernetFrame {
  if (nonce && nonce.length !== 6) throw new WireError('ICMPv6', `a DAD nonce has 6 bytes here, not ${nonce.length}`);
  const m = new Uint8Array(nonce ? 32 : 24);
  m[0] = ICMPV6_NEIGHBOR_SOLICITATION;
  m.set(target, 8);
  if (nonce) {
    m[24] = ND_OPT_NONCE;
    m[25] = 1;
    m.set(nonce, 26);
  }
  return icmpv6Frame(srcMac, IPV6_UNSPECIFIED, solicitedNodeGroup(target), m, { hopLimit: 255 });
}
