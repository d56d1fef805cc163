// IPv4 multicast membership as far as a host's own traffic shows it (net/ipv4/igmp.c): the groups
// a device is in, and the IGMPv3 reports the kernel itself sends.
//
// Every device that is up is in 224.0.0.1 (ip_mc_up joins all-hosts, which is never reported).
// A bridge with multicast snooping (the default) also joins 224.0.0.106, all-snoopers, when it is
// opened (br_dev_open → br_multicast_join_snoopers) and leaves it when closed. That join is
// reported as IGMPv3 does (igmp_group_added → igmp_ifc_event): a state-change report to
// 224.0.0.22 with one record, CHANGE_TO_EXCLUDE {} for 224.0.0.106, robustness (igmp_qrv) 2
// times — the first when the interface timer fires 2 jiffies after the join, the second
// U(0, 1 s) later (IGMP_V3_UNSOLICITED_REPORT_INTERVAL). Closing the device stops the timer
// (ip_mc_down), so a report still pending is never sent, nor any leave.
//
// The report is sent as igmpv3_sendpack sends it: a route to the device without a FIB lookup
// (a given oif and IPPROTO_IGMP: ip_route_output_key_hash_rcu goes straight to make_route), the
// source inet_select_addr(dev, 0, RT_SCOPE_LINK) if it is the device's own, else 0.0.0.0 —
// TTL 1, TOS 0xc0, DF, IP id 0, a Router Alert option; then ip_local_out, so OUTPUT and
// POSTROUTING see it and conntrack keeps a generic (`unknown 2`) entry for it. Receivers drop
// it after PREROUTING: no host is in 224.0.0.22 (see mcJoined).
import { internetChecksum, type Ipv4, type Ipv4Packet } from '../wire/index.js';
import type { Bridge } from './bridge.js';
import { RT_SCOPE_LINK, type Route } from './fib.js';
import { ipLocalOut } from './ipv4.js';
import type { Link } from './link.js';
import { IGMP_ALL_SNOOPERS, IGMPV3_ALL_MCR, IPPROTO_IGMP } from './mcast.js';
import { selectSource, type Resolved } from './route.js';

const IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;
const IGMPV3_CHANGE_TO_EXCLUDE = 4;
/** IPOPT_RA: Router Alert, value 0 (RFC 2113). */
const ROUTER_ALERT = Uint8Array.of(0x94, 0x04, 0x00, 0x00);

export const IGMP = {
  /** sysctl igmp_qrv: each state-change report is sent this many times. */
  robustness: 2,
  /** 2 jiffies at HZ=250: when the interface timer first fires after a join. */
  firstReportMs: 8,
  /** IGMP_V3_UNSOLICITED_REPORT_INTERVAL: a repeat follows after U(0, this) ms. */
  unsolicitedReportIntervalMs: 1000,
} as const;

/** An IGMPv3 membership report (RFC 3376 §4.2) with one CHANGE_TO_EXCLUDE record and no sources per group. */
export function igmpv3Report(groups: readonly Ipv4[]): Uint8Array {
  const b = new Uint8Array(8 + 8 * groups.length);
  b[0] = IGMPV3_HOST_MEMBERSHIP_REPORT;
  b[6] = groups.length >>> 8;
  b[7] = groups.length & 0xff;
  groups.forEach((g, i) => {
    const o = 8 + 8 * i;
    b[o] = IGMPV3_CHANGE_TO_EXCLUDE;
    b[o + 4] = g >>> 24;
    b[o + 5] = (g >>> 16) & 0xff;
    b[o + 6] = (g >>> 8) & 0xff;
    b[o + 7] = g & 0xff;
  });
  const sum = internetChecksum(b, 0, b.length);
  b[2] = sum >>> 8;
  b[3] = sum & 0xff;
  return b;
}

/**
 * br_multicast_join_snoopers() on `br`'s opening: plans the two state-change reports for
 * 224.0.0.106. A report whose moment comes after the bridge was closed (or reopened) is not sent.
 */
export function joinSnoopers(br: Bridge): void {
  const kernel = br.netns.kernel;
  const opened = br.upCount;
  const send = (): void => {
    if (br.upCount !== opened || !br.adminUp || !br.netns.linkByIndex(br.ifindex)) return;
    sendReport(br, [IGMP_ALL_SNOOPERS]);
  };
  kernel.clock.schedule(IGMP.firstReportMs, send);
  for (let i = 1; i < IGMP.robustness; i++) {
    kernel.clock.schedule(IGMP.firstReportMs + kernel.mcRng.float() * IGMP.unsolicitedReportIntervalMs, send);
  }
}

/**
 * igmpv3_get_srcaddr(): the route's source only when it is one of the device's own addresses;
 * an address borrowed from another device would name the wrong host, so the report goes from 0.0.0.0.
 */
function igmpv3SourceAddr(dev: Link, selected: Ipv4): Ipv4 {
  return dev.netns.addrsOf(dev).some((a) => a.local === selected) ? selected : 0;
}

/** igmpv3_sendpack(): one report out of `dev` through ip_local_out. */
function sendReport(dev: Link, groups: readonly Ipv4[]): void {
  const ns = dev.netns;
  const src = igmpv3SourceAddr(dev, selectSource(ns, dev, 0, RT_SCOPE_LINK));
  const packet: Ipv4Packet = {
    kind: 'ipv4',
    tos: 0xc0,
    id: 0,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: 1,
    protocol: IPPROTO_IGMP,
    src,
    dst: IGMPV3_ALL_MCR,
    options: ROUTER_ALERT,
    payload: { kind: 'raw', bytes: igmpv3Report(groups) },
  };
  const route: Route = {
    table: 0,
    type: 'unicast',
    dst: IGMPV3_ALL_MCR,
    dstLen: 32,
    tos: 0,
    protocol: 0,
    scope: RT_SCOPE_LINK,
    metric: 0,
    dev,
    onlink: false,
  };
  const resolved: Resolved = { route, dev, nexthop: IGMPV3_ALL_MCR, src };
  ipLocalOut(ns, { data: packet, walk: undefined, mark: 0 }, resolved);
}
