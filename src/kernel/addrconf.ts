// IPv6 address setup on link-up as Linux times it (net/ipv6/addrconf.c: DAD, router
// solicitations; net/ipv6/mcast.c: MLD reports and their timers): which frames leave when, with the
// world's random draws. The frames themselves are wire/ipv6.ts's. knetlab routes IPv4 only; these
// frames exist because users see them (bridges learn the sender's MAC from them, tcpdump prints
// them). The facts come from captures on Linux 6.18 (veth pairs in fresh namespaces, tcpdump -tt).
import {
  dadNeighborSolicitation,
  IPV6_ALL_ROUTERS,
  IPV6_UNSPECIFIED,
  ETHERTYPE_IPV6,
  IPV6_ALL_MLDV2_ROUTERS,
  linkLocalFromMac,
  mldv2Report,
  multicastMac,
  routerSolicitation,
  solicitedNodeGroup,
  type EthernetFrame,
  type Ipv6,
  type Mac,
  type RawPayload,
} from '../wire/index.js';

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

/** What a planned frame is, in the low two bits of its code (the rest: its groups, or its nonce's index). */
const CODE_MLD_FROM_UNSPECIFIED = 0;
const CODE_MLD_FROM_LL = 1;
const CODE_DAD_NS = 2;
const CODE_RS = 3;
/** A report's groups are a bit mask over the join order (bit i: the i-th group joined); 14 bits fit a code. */
const MAX_GROUPS = 14;

/** fe80::, the subnet-router anycast address of the link-local prefix, which a router joins after DAD. */
const SUBNET_ROUTER_ANYCAST_LL: Ipv6 = Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

/**
 * A link-up plan as the kernel holds it until each frame leaves: the times in order, and per frame
 * one UTF-16 code unit saying what it is, where it comes from and which groups it reports (a bit
 * mask over the join order). Addresses and bytes are made when a frame is asked for: most of a
 * ten-minute plan is never sent (the link goes first), and a pod's two links hold a few hundred
 * bytes rather than addresses and group lists per report.
 */
export class LinkUpIpv6Series {
  constructor(
    /** Milliseconds after carrier-up, in order (shift() makes them absolute). */
    readonly atMs: number[],
    private readonly codes: string,
    private readonly mac: Mac,
    private readonly forwarding: boolean,
    private readonly openGroups: readonly Ipv6[],
    /** The DAD probes' nonces, which their codes index. */
    private readonly nonces: readonly Uint8Array[] | undefined,
  ) {}

  get length(): number {
    return this.atMs.length;
  }

  /** Adds `by` to every time, as `by + atMs` each. */
  shift(by: number): void {
    for (let i = 0; i < this.atMs.length; i++) this.atMs[i] = by + this.atMs[i]!;
  }

  what(i: number): PlannedFrame['what'] {
    const kind = this.codes.charCodeAt(i) & 3;
    return kind === CODE_DAD_NS ? 'dad-ns' : kind === CODE_RS ? 'router-solicitation' : 'mld-report';
  }

  /** Frame `i`'s bytes, built now. */
  frame(i: number): EthernetFrame {
    const code = this.codes.charCodeAt(i);
    const kind = code & 3;
    const ll = linkLocalFromMac(this.mac);
    if (kind === CODE_DAD_NS) return dadNeighborSolicitation(this.mac, ll, this.nonces?.[code >> 2]);
    if (kind === CODE_RS) return routerSolicitation(this.mac, ll);
    // The groups in mc_list order, newest join first.
    const joined = joinOrder(ll, this.forwarding, this.openGroups, true);
    const groups: Ipv6[] = [];
    for (let g = joined.length - 1; g >= 0; g--) if (code & (1 << (g + 2))) groups.push(joined[g]!);
    return mldv2Report(this.mac, kind === CODE_MLD_FROM_LL ? ll : IPV6_UNSPECIFIED, groups);
  }

  /**
   * Frame `i` as the kernel sends it: frame(i)'s addresses, with an IPv6 packet whose bytes are
   * made each time they are read (PlannedPacket). A link keeps what it sent in its capture rings,
   * where only tcpdump reads the bytes; counters take the packet's length.
   */
  sentFrame(i: number): EthernetFrame {
    const code = this.codes.charCodeAt(i);
    const kind = code & 3;
    let dst: Mac;
    let length: number;
    if (kind === CODE_DAD_NS) {
      dst = multicastMac(solicitedNodeGroup(linkLocalFromMac(this.mac)));
      length = IPV6_HEADER + (this.nonces?.[code >> 2] ? 32 : 24);
    } else if (kind === CODE_RS) {
      // from the link-local address, with the source link-layer address option
      dst = ALL_ROUTERS_MAC;
      length = IPV6_HEADER + 16;
    } else {
      dst = MLDV2_ROUTERS_MAC;
      let groups = 0;
      for (let m = code >> 2; m; m >>= 1) groups += m & 1;
      length = IPV6_HEADER + MLD_HOP_BY_HOP_LEN + 8 + 20 * groups;
    }
    return { kind: 'eth', dst, src: this.mac, etherType: ETHERTYPE_IPV6, payload: new PlannedPacket(this, i, length) };
  }
}

const IPV6_HEADER = 40;
/** The Router Alert Hop-by-Hop header before every MLD message. */
const MLD_HOP_BY_HOP_LEN = 8;
const ALL_ROUTERS_MAC = multicastMac(IPV6_ALL_ROUTERS);
const MLDV2_ROUTERS_MAC = multicastMac(IPV6_ALL_MLDV2_ROUTERS);

/**
 * A planned frame's IPv6 packet, made anew from its series each time its bytes are read: about a
 * sixth of the heap a built one holds (its bytes, their buffer and view), for frames that every
 * link-up sends and every capture ring keeps.
 */
class PlannedPacket implements RawPayload {
  readonly kind = 'raw';
  constructor(
    private readonly series: LinkUpIpv6Series,
    private readonly i: number,
    /** The packet's length in bytes (what bytes.length will be). */
    readonly length: number,
  ) {}

  get bytes(): Uint8Array {
    return (this.series.frame(this.i).payload as RawPayload).bytes;
  }
}

/**
 * The groups a link joins, oldest first: a router's all-routers group, those joined when the device
 * opened, the link-local address's solicited-node group, and once DAD is over a router's
 * subnet-router anycast group.
 */
function joinOrder(ll: Ipv6, forwarding: boolean, openGroups: readonly Ipv6[], afterDad: boolean): Ipv6[] {
  const order = forwarding ? [IPV6_ALL_ROUTERS, ...openGroups] : [...openGroups];
  order.push(solicitedNodeGroup(ll));
  if (forwarding && afterDad) order.push(solicitedNodeGroup(SUBNET_ROUTER_ANYCAST_LL));
  return order;
}

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
  const dad = o.dad ?? true;
  const forwarding = o.forwarding ?? false;
  const openGroups = o.openGroups ?? [];
  const atMs: number[] = [];
  const codes: number[] = [];
  let nonces: Uint8Array[] | undefined;
  // mc_list as each group's change count, by its index in the join order (a report's mask has a
  // bit per index, so the list's own order, newest first, needs no keeping); every group gets a
  // fresh count when the link comes up. Plain counters, no closures: two plans per pod.
  const crcount: number[] = [];
  let joins = 0;
  for (let g = (forwarding ? 1 : 0) + openGroups.length + 1; g > 0; g--) {
    if (joins === MAX_GROUPS) throw new RangeError(`A link-up plan reports at most ${MAX_GROUPS} groups`);
    crcount[joins++] = L.mldRobustness;
  }

  let ifcCount = L.mldRobustness;
  let ifcAt: number | undefined = L.mldStateChangeDelayMs;
  let dadReportsLeft = 0;
  let dadReportAt: number | undefined;
  let nsAt = dad ? rnd() * L.dadDelayMaxMs : undefined;
  const dadDoneAt = nsAt === undefined ? 0 : nsAt + L.dadTransmits * L.dadRetransMs;
  let dadDone = false;
  let rsAt: number | undefined;
  let rsGap = 0;

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
    // the groups an MLD report of this step covers, a bit per join index (none: no report)
    let mask = 0;
    switch (ev) {
      case 'ns': {
        if (L.dadNonce) {
          nonces ??= [];
          nonces.push(Uint8Array.from({ length: 6 }, () => Math.floor(rnd() * 256)));
          atMs.push(at);
          codes.push(CODE_DAD_NS | ((nonces.length - 1) << 2));
        } else {
          atMs.push(at);
          codes.push(CODE_DAD_NS);
        }
        nsAt = undefined;
        break;
      }
      case 'dad':
        dadDone = true;
        // A router joins the subnet-router anycast address's group as the address becomes valid.
        if (forwarding) {
          if (joins === MAX_GROUPS) throw new RangeError(`A link-up plan reports at most ${MAX_GROUPS} groups`);
          crcount[joins++] = L.mldRobustness;
          ifcCount = L.mldRobustness;
          ifcAt = at + L.mldStateChangeDelayMs;
        }
        mask = (1 << joins) - 1;
        if (mask) {
          atMs.push(at);
          codes.push(CODE_MLD_FROM_LL | (mask << 2));
        }
        dadReportsLeft = L.mldRobustness - 1;
        dadReportAt = dadReportsLeft > 0 ? at + rnd() * L.mldUnsolicitedReportIntervalMs : undefined;
        if (!forwarding) {
          atMs.push(at);
          codes.push(CODE_RS);
          rsGap = L.rsIntervalMs * jitter(rnd, L.rsFirstJitter);
          rsAt = at + rsGap;
        }
        break;
      case 'ifc': {
        for (let g = 0; g < joins; g++)
          if (crcount[g]! > 0) {
            crcount[g]!--;
            mask |= 1 << g;
          }
        if (mask) {
          atMs.push(at);
          codes.push((dadDone ? CODE_MLD_FROM_LL : CODE_MLD_FROM_UNSPECIFIED) | (mask << 2));
        }
        ifcCount--;
        ifcAt = ifcCount > 0 ? at + rnd() * L.mldUnsolicitedReportIntervalMs : undefined;
        break;
      }
      case 'dadReport':
        mask = (1 << joins) - 1;
        if (mask) {
          atMs.push(at);
          codes.push((dadDone ? CODE_MLD_FROM_LL : CODE_MLD_FROM_UNSPECIFIED) | (mask << 2));
        }
        dadReportsLeft--;
        dadReportAt = dadReportsLeft > 0 ? at + rnd() * L.mldUnsolicitedReportIntervalMs : undefined;
        break;
      case 'rs':
        atMs.push(at);
        codes.push(CODE_RS);
        rsGap *= jitter(rnd, L.rsBackoff);
        if (rsGap > L.rsMaxIntervalMs) rsGap = L.rsMaxIntervalMs * jitter(rnd, L.rsFirstJitter);
        rsAt = at + rsGap;
        break;
    }
  }
  // slice(): a list of the exact length, not one grown by push() with room to spare.
  return new LinkUpIpv6Series(atMs.slice(), String.fromCharCode(...codes), o.mac, forwarding, openGroups, nonces);
}

function jitter(rnd: () => number, range: readonly [number, number]): number {
  // Indexed, not destructured: a destructuring parameter walks an iterator per call.
  return range[0] + rnd() * (range[1] - range[0]);
}
