// The IPv6 frames Linux's addrconf puts on the wire when an interface comes up, built byte for byte
// (RFC 8200 header, RFC 2711 Router Alert, RFC 3810 MLDv2 report, RFC 4861 router and neighbour
// solicitation, RFC 4862 DAD, RFC 7527 DAD nonce), and IPv6 address text (RFC 4291, RFC 5952).
// knetlab routes IPv4 only: these frames exist because users see them (bridges learn the sender's
// MAC from them, tcpdump prints them). LINK_UP_IPV6 and linkUpIpv6Plan() state when Linux sends
// them; the facts come from captures on Linux 6.18 (veth pairs in fresh namespaces, tcpdump -tt).
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
  return ['33', '33', ...Array.from(group.subarray(12, 16), (b) => b.toString(16).padStart(2, '0'))].join(':');
}

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
  message[2] = 0;
  message[3] = 0;
  const sum = ~onesSum(message, 0, message.length, ipv6PseudoHeaderSum(src, dst, IPPROTO_ICMPV6, message.length)) & 0xffff;
  message[2] = sum >>> 8;
  message[3] = sum & 0xff;
  return message;
}

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
  const ext = o.extensionHeaders ?? new Uint8Array(0);
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
  const msg = b.subarray(IPV6_HEADER_LEN + ext.length);
  msg.set(message);
  setIcmpv6Checksum(src, dst, msg);
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

// ---- what Linux sends on link-up ----

/**
 * What Linux 6.x (captured on 6.18 with default sysctls) sends when an Ethernet-like interface
 * gets its first carrier while up: `ip link set X up` on a veth whose peer is up, or bringing up
 * the peer later (nothing is sent while NO-CARRIER). A bridge has carrier even with no ports and
 * starts at once. Times are from that moment; U(a, b) is uniform.
 *
 * With DAD (accept_dad=1, the default), a host (forwarding=0) sends:
 *   1. ~12 ms   MLDv2 report from :: [ff02::1:ffXX:XXXX to_ex]   (state change on the join)
 *   2. U(0,1) s  DAD NS from :: to ff02::1:ffXX:XXXX, who has fe80::…, Nonce option
 *   3. #1 + U(0,1) s  the report again (from fe80:: if DAD is already over)
 *   4. #2 + 1 s  DAD done: MLDv2 report from fe80::… (all groups), and at the same instant an RS
 *   5. #4 + U(0,1) s  that report again
 *   6. RS again at #4 + 4 s·U(0.9,1.1), then each gap ×U(1.9,2.1), capped at 3600 s·U(0.9,1.1),
 *      forever (router_solicitations = -1); seen: +1.1, +5.5, +14.2, +31.4 s.
 * Without DAD (accept_dad=0) the address is usable at once: at ~0 the all-groups report from
 * fe80::… and the RS, ~12 ms later the state-change report, then each repeated after U(0,1) s —
 * four reports within about a second, all from fe80::…; RSs as above.
 *
 * Groups: a host reports only its solicited-node group (ff02::1 and ff01::* are never reported).
 * A router (forwarding=1 before the device exists) also reports ff02::2, after DAD the
 * solicited-node group of the subnet-router anycast fe80:: (ff02::1:ff00:0), and sends no RS. A
 * bridge with multicast snooping also reports ff02::6a. Records list the newest join first.
 * Every report is type 4 (to_ex) with no sources. (A snooping bridge also sends IGMPv3 reports
 * for 224.0.0.106 from 0.0.0.0, twice, U(0,1) s apart — IPv4: src/kernel/igmp.ts.)
 *
 * Later events. `ip link set X down; … up` starts all of this again (new DAD from ::, RS backoff
 * from 4 s). Losing and regaining carrier while up (the veth peer goes down and up) sends only
 * two reports from fe80::…, at once and U(0,1) s later: no DAD, and the RS timer runs on (what
 * it sent meanwhile was lost). A bridge keeps the link-local address of the MAC it had when it
 * came up, even after taking its first port's MAC; a new port made it report again (twice, from
 * fe80::… and its new MAC).
 */
export const LINK_UP_IPV6 = {
  /** mc_qrv: each MLD report is sent this many times (RFC 3810 robustness variable). */
  mldRobustness: 2,
  /** mldv2_unsolicited_report_interval: a repeat follows after U(0, this) ms. */
  mldUnsolicitedReportIntervalMs: 1000,
  /** A state-change report leaves this long after the join (2 jiffies and the MLD workqueue; 11–15 ms seen). */
  mldStateChangeDelayMs: 12,
  /** rtr_solicit_delay: the DAD probe leaves after U(0, this) ms. */
  dadDelayMaxMs: 1000,
  /** dad_transmits. */
  dadTransmits: 1,
  /** The neighbour table's retrans_time: DAD succeeds this long after the last probe. */
  dadRetransMs: 1000,
  /** enhanced_dad: probes carry a 6-byte random nonce. */
  dadNonce: true,
  /** rtr_solicit_interval: the first RS gap is this ×U(0.9, 1.1). */
  rsIntervalMs: 4000,
  /** Each later gap is the previous one ×U(1.9, 2.1) (RFC 7559 backoff). */
  rsBackoff: [1.9, 2.1] as const,
  rsFirstJitter: [0.9, 1.1] as const,
  /** rtr_solicit_max_interval: gaps stop growing here (then ×U(0.9, 1.1)). */
  rsMaxIntervalMs: 3_600_000,
  /** router_solicitations = -1: they never stop while no router answers. */
  rsCount: Infinity,
} as const;

export interface LinkUpIpv6Options {
  readonly mac: Mac;
  /** net.ipv6.conf.<if>.accept_dad (default true). */
  readonly dad?: boolean;
  /** net.ipv6.conf.<if>.forwarding when the device was created (default false). */
  readonly forwarding?: boolean;
  /**
   * Groups joined when the device opened, before its link-local address, oldest first: a
   * snooping bridge's IPV6_ALL_SNOOPERS. (A router's ff02::2 is added from `forwarding`.)
   */
  readonly openGroups?: readonly Ipv6[];
  /** Uniform in [0, 1): the world's seeded RNG, e.g. `() => rng.float()`. */
  readonly random: () => number;
  /** Frames are planned up to this many ms after carrier-up (RSs go on forever). Default 60 000. */
  readonly untilMs?: number;
}

export interface PlannedFrame {
  /** Milliseconds after carrier-up. */
  readonly atMs: number;
  readonly what: 'mld-report' | 'dad-ns' | 'router-solicitation';
  readonly frame: EthernetFrame;
}

/**
 * A link-up plan as the kernel holds it until each frame leaves: the times in order and, per
 * frame, a code (what it is and its source) and its groups or nonce, in three flat arrays; the
 * bytes are built when asked for (most of a ten-minute plan is never sent: the link goes first).
 */
export class LinkUpIpv6Series {
  /** Milliseconds after carrier-up, in order (shift() makes them absolute). */
  readonly atMs: number[] = [];
  private readonly codes: number[] = [];
  /** A report's groups, a DAD probe's nonce. */
  private readonly extra: (Ipv6[] | Uint8Array | undefined)[] = [];

  constructor(
    private readonly mac: Mac,
    /** The link-local address: the source of reports after DAD and of solicitations, the probe's target. */
    private readonly ll: Ipv6,
  ) {}

  get length(): number {
    return this.atMs.length;
  }

  /** Adds `by` to every time, as `by + atMs` each. */
  shift(by: number): void {
    for (let i = 0; i < this.atMs.length; i++) this.atMs[i] = by + this.atMs[i]!;
  }

  add(atMs: number, code: number, extra?: Ipv6[] | Uint8Array): void {
    this.atMs.push(atMs);
    this.codes.push(code);
    this.extra.push(extra);
  }

  what(i: number): PlannedFrame['what'] {
    const c = this.codes[i]!;
    return c === CODE_DAD_NS ? 'dad-ns' : c === CODE_RS ? 'router-solicitation' : 'mld-report';
  }

  /** Frame `i`'s bytes, built now. */
  frame(i: number): EthernetFrame {
    const c = this.codes[i]!;
    const extra = this.extra[i];
    return c === CODE_DAD_NS
      ? dadNeighborSolicitation(this.mac, this.ll, extra as Uint8Array | undefined)
      : c === CODE_RS
        ? routerSolicitation(this.mac, this.ll)
        : mldv2Report(this.mac, c === CODE_MLD_FROM_LL ? this.ll : IPV6_UNSPECIFIED, extra as Ipv6[]);
  }
}

const CODE_MLD_FROM_UNSPECIFIED = 0;
const CODE_MLD_FROM_LL = 1;
const CODE_DAD_NS = 2;
const CODE_RS = 3;

/** A planned frame whose bytes are built when first read. */
class Planned implements PlannedFrame {
  private built: EthernetFrame | undefined;
  readonly atMs: number;
  readonly what: PlannedFrame['what'];
  constructor(
    private readonly series: LinkUpIpv6Series,
    private readonly i: number,
  ) {
    this.atMs = series.atMs[i]!;
    this.what = series.what(i);
  }

  get frame(): EthernetFrame {
    return (this.built ??= this.series.frame(this.i));
  }
}

/**
 * The frames Linux sends after carrier-up, in order, modelling mcast.c's per-group change
 * counters and its two report timers (state change and post-DAD) as LINK_UP_IPV6 describes.
 * Pure: all randomness comes from `random`. The plan assumes nothing interrupts it (no link
 * down, no DAD conflict, no router advertisement).
 */
export function linkUpIpv6Plan(o: LinkUpIpv6Options): PlannedFrame[] {
  const series = linkUpIpv6Series(o);
  const out: PlannedFrame[] = [];
  for (let i = 0; i < series.length; i++) out.push(new Planned(series, i));
  return out;
}

/** linkUpIpv6Plan() as a LinkUpIpv6Series: the same frames, times and random draws, held flat. */
export function linkUpIpv6Series(o: LinkUpIpv6Options): LinkUpIpv6Series {
  const L = LINK_UP_IPV6;
  const until = o.untilMs ?? 60_000;
  const rnd = o.random;
  const ll = linkLocalFromMac(o.mac);
  const dad = o.dad ?? true;
  const forwarding = o.forwarding ?? false;
  const out = new LinkUpIpv6Series(o.mac, ll);
  // mc_list, newest join first; every group gets a fresh change count when the link comes up.
  const groups: { addr: Ipv6; crcount: number }[] = [];
  const joinOrder = [...(forwarding ? [IPV6_ALL_ROUTERS] : []), ...(o.openGroups ?? []), solicitedNodeGroup(ll)];
  for (const g of joinOrder) groups.unshift({ addr: g, crcount: L.mldRobustness });

  let ifcCount = L.mldRobustness;
  let ifcAt: number | undefined = L.mldStateChangeDelayMs;
  let dadReportsLeft = 0;
  let dadReportAt: number | undefined;
  let nsAt = dad ? rnd() * L.dadDelayMaxMs : undefined;
  const dadDoneAt = nsAt === undefined ? 0 : nsAt + L.dadTransmits * L.dadRetransMs;
  let dadDone = false;
  let rsAt: number | undefined;
  let rsGap = 0;

  const report = (at: number, gs: Ipv6[]) => {
    if (gs.length) out.add(at, dadDone ? CODE_MLD_FROM_LL : CODE_MLD_FROM_UNSPECIFIED, gs);
  };
  const join = (g: Ipv6, at: number) => {
    groups.unshift({ addr: g, crcount: L.mldRobustness });
    ifcCount = L.mldRobustness;
    ifcAt = at + L.mldStateChangeDelayMs;
  };

  type Ev = 'ns' | 'dad' | 'ifc' | 'dadReport' | 'rs';
  for (;;) {
    // The next event; at equal times, the earlier in this order comes first (DAD completion is
    // scheduled with no delay). Compared one by one: no list of candidates per step.
    let ev: Ev | undefined;
    let at = 0;
    if (!dadDone) {
      ev = 'dad';
      at = dadDoneAt;
    }
    if (nsAt !== undefined && (!ev || nsAt < at)) {
      ev = 'ns';
      at = nsAt;
    }
    if (ifcAt !== undefined && (!ev || ifcAt < at)) {
      ev = 'ifc';
      at = ifcAt;
    }
    if (dadReportAt !== undefined && (!ev || dadReportAt < at)) {
      ev = 'dadReport';
      at = dadReportAt;
    }
    if (rsAt !== undefined && (!ev || rsAt < at)) {
      ev = 'rs';
      at = rsAt;
    }
    if (!ev || at > until) break;
    switch (ev) {
      case 'ns': {
        const nonce = L.dadNonce ? Uint8Array.from({ length: 6 }, () => Math.floor(rnd() * 256)) : undefined;
        out.add(at, CODE_DAD_NS, nonce);
        nsAt = undefined;
        break;
      }
      case 'dad':
        dadDone = true;
        // A router joins the subnet-router anycast address's group as the address becomes valid.
        if (forwarding) join(solicitedNodeGroup(addr(0xfe80)), at);
        report(
          at,
          groups.map((g) => g.addr),
        );
        dadReportsLeft = L.mldRobustness - 1;
        dadReportAt = dadReportsLeft > 0 ? at + rnd() * L.mldUnsolicitedReportIntervalMs : undefined;
        if (!forwarding) {
          out.add(at, CODE_RS);
          rsGap = L.rsIntervalMs * jitter(rnd, L.rsFirstJitter);
          rsAt = at + rsGap;
        }
        break;
      case 'ifc': {
        const due = groups.filter((g) => g.crcount > 0);
        due.forEach((g) => g.crcount--);
        report(
          at,
          due.map((g) => g.addr),
        );
        ifcCount--;
        ifcAt = ifcCount > 0 ? at + rnd() * L.mldUnsolicitedReportIntervalMs : undefined;
        break;
      }
      case 'dadReport':
        report(
          at,
          groups.map((g) => g.addr),
        );
        dadReportsLeft--;
        dadReportAt = dadReportsLeft > 0 ? at + rnd() * L.mldUnsolicitedReportIntervalMs : undefined;
        break;
      case 'rs':
        out.add(at, CODE_RS);
        rsGap *= jitter(rnd, L.rsBackoff);
        if (rsGap > L.rsMaxIntervalMs) rsGap = L.rsMaxIntervalMs * jitter(rnd, L.rsFirstJitter);
        rsAt = at + rsGap;
        break;
    }
  }
  return out;
}

function jitter(rnd: () => number, range: readonly [number, number]): number {
  // Indexed, not destructured: a destructuring parameter walks an iterator per call.
  return range[0] + rnd() * (range[1] - range[0]);
}
