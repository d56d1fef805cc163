// The IPv4 paths (net/ipv4/ip_input.c, ip_forward.c, ip_output.c, icmp.c): receive, local
// delivery, forwarding, local output and the ICMP messages the kernel itself sends.
import {
  emitIpv4,
  formatIpv4,
  ETHERTYPE_IPV4,
  ICMP_DEST_UNREACH,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  MAC_BROADCAST,
  MAC_ZERO,
  TCP_ACK,
  TCP_RST,
  TCP_SYN,
  type Ipv4,
  type Ipv4Packet,
} from '../wire/index.js';
import type { Link } from './link.js';
import { nfHook } from './netfilter.js';
import type { Netns } from './netns.js';
import { icmpRateLimited, icmpXrlimAllow, ipErrorAllow } from './ratelimit.js';
import { routeInput, routeOutput, type Resolved } from './route.js';
import type { Skb } from './skb.js';
import { withData } from './skb.js';
import { trace } from './trace.js';
import { describeIp, devXmit, ipLength } from './xmit.js';

export const IPDEFTTL = 64;

/** ICMP codes used by the kernel (include/uapi/linux/icmp.h). */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_EXC_TTL = 0;

const routeText = (r: Resolved): string => {
  const via = r.route.gateway !== undefined ? ` via ${formatIpv4(r.route.gateway)}` : '';
  return `${formatIpv4(r.route.dst)}/${r.route.dstLen}${via} dev ${r.dev.name} (table ${r.route.table === 255 ? 'local' : r.route.table === 254 ? 'main' : r.route.table}) src ${formatIpv4(r.src)}`;
};

/** Fields a sender chooses; the rest of the header is filled in as ip_build_and_send_pkt does. */
export interface IpSend {
  readonly dst: Ipv4;
  readonly src?: Ipv4;
  readonly protocol: number;
  readonly payload: Ipv4Packet['payload'];
  readonly ttl?: number;
  readonly tos?: number;
  readonly df?: boolean;
  readonly oif?: Link;
  /** For an ICMP error, the packet it is about: the multipath hash reads that one (icmp_route_lookup). */
  readonly about?: Ipv4Packet;
}

/**
 * Sends a locally generated packet: route, OUTPUT and POSTROUTING hooks, neighbour output.
 * Throws the KernelError connect()/sendmsg() would return when there is no usable route.
 */
export function ipSend(ns: Netns, send: IpSend, walk?: Skb['walk'], nfct?: Skb['nfct']): Ipv4Packet {
  const l4 = send.payload.kind === 'udp' || send.payload.kind === 'tcp' ? send.payload : undefined;
  const resolved = routeOutput(ns, send.dst, {
    src: send.src,
    oif: send.oif,
    proto: send.protocol,
    sport: l4?.srcPort,
    dport: l4?.dstPort,
    skb: send.about,
  });
  const packet: Ipv4Packet = {
    kind: 'ipv4',
    tos: send.tos ?? 0,
    id: nextId(ns),
    df: send.df ?? true,
    mf: false,
    fragOffset: 0,
    ttl: send.ttl ?? IPDEFTTL,
    protocol: send.protocol,
    src: resolved.src,
    dst: send.dst,
    options: new Uint8Array(0),
    payload: send.payload,
  };
  const skb: Skb<Ipv4Packet> = nfct ? { data: packet, walk, mark: 0, nfct } : { data: packet, walk, mark: 0 };
  trace(skb, ns, undefined, 'tx', () => describeIp(packet));
  trace(skb, ns, undefined, 'route', () => routeText(resolved));
  ipLocalOut(ns, skb, resolved);
  return packet;
}

function nextId(ns: Netns): number {
  const id = ns.ipId;
  ns.ipId = (ns.ipId + 1) & 0xffff;
  return id;
}

/** ip_local_out(): OUTPUT hook, then (re-routing if netfilter changed the destination) output. */
export function ipLocalOut(ns: Netns, skb: Skb<Ipv4Packet>, resolved: Resolved): void {
  const after = nfHook(ns, 'OUTPUT', skb, undefined, resolved.dev);
  if (!after) return;
  let r = resolved;
  // ip_route_me_harder(): a new destination (NAT), or a new mark when policy rules may read it.
  if (after.data.dst !== skb.data.dst || (after.mark !== skb.mark && ns.rules.custom)) {
    try {
      r = routeOutput(ns, after.data.dst, { src: after.data.src, mark: after.mark, tos: after.data.tos });
    } catch (e) {
      trace(after, ns, undefined, 'drop', () => `no route after NAT: ${(e as Error).message}`);
      return;
    }
  }
  ipOutput(ns, after, r);
}

/** ip_output(): POSTROUTING hook, MTU check, then the neighbour layer. */
export function ipOutput(ns: Netns, skb: Skb<Ipv4Packet>, r: Resolved): void {
  const after = nfHook(ns, 'POSTROUTING', skb, undefined, r.dev);
  if (!after) return;
  ipFinishOutput(ns, after, r);
}

/** ip_finish_output2(): hand the packet to the device, resolving the next hop's lladdr if it has one. */
export function ipFinishOutput(ns: Netns, skb: Skb<Ipv4Packet>, r: Resolved): void {
  const dev = r.dev;
  if (!dev.hasEthernetHeader) {
    devXmit(dev, Object.assign({}, skb, { nexthop: r.nexthop }));
    return;
  }
  if (dev.kind === 'loopback') {
    devXmit(dev, withData(skb, { kind: 'eth', dst: MAC_ZERO, src: MAC_ZERO, etherType: ETHERTYPE_IPV4, payload: skb.data }));
    return;
  }
  if (r.nexthop >>> 28 === 0xe) {
    // ip_mc_output → neighbour of a multicast group: its MAC is mapped, never resolved (ip_eth_mc_map).
    const g = r.nexthop;
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    const mac = `01:00:5e:${hex((g >>> 16) & 0x7f)}:${hex((g >>> 8) & 0xff)}:${hex(g & 0xff)}`;
    devXmit(dev, withData(skb, { kind: 'eth', dst: mac, src: dev.mac, etherType: ETHERTYPE_IPV4, payload: skb.data }));
    return;
  }
  if (r.route.type === 'broadcast' || r.nexthop === 0xffffffff) {
    devXmit(dev, withData(skb, { kind: 'eth', dst: MAC_BROADCAST, src: dev.mac, etherType: ETHERTYPE_IPV4, payload: skb.data }));
    return;
  }
  const n = ns.neigh.output(dev, r.nexthop, skb);
  trace(skb, ns, dev, 'neigh', () => `${formatIpv4(r.nexthop)} ${n.lladdr ? `lladdr ${n.lladdr} ` : ''}${n.state}`);
}

/** ip_rcv() → ip_rcv_finish(): PREROUTING, then the input route decides. */
export function ipRcv(ns: Netns, dev: Link, skb: Skb<Ipv4Packet>): void {
  const after = nfHook(ns, 'PREROUTING', skb, dev, undefined);
  if (!after) return;
  const p = after.data;
  // The flow dissector reads ports from a first fragment's TCP or UDP header only.
  const l4 = p.fragOffset === 0 && (p.payload.kind === 'udp' || p.payload.kind === 'tcp') ? p.payload : undefined;
  const d = routeInput(ns, dev, p.src, p.dst, {
    mark: after.mark,
    tos: p.tos,
    proto: p.protocol,
    sport: l4?.srcPort,
    dport: l4?.dstPort,
    skb: p,
  });
  switch (d.kind) {
    case 'local':
    case 'broadcast':
      trace(after, ns, dev, 'route', () => `${formatIpv4(p.dst)} is ${d.kind === 'local' ? 'local' : 'broadcast'}: deliver`);
      localDeliver(ns, dev, after, d.kind === 'broadcast');
      return;
    case 'forward':
      trace(after, ns, dev, 'route', () => routeText(d.resolved));
      ipForward(ns, dev, after, d.resolved);
      return;
    case 'error':
      trace(after, ns, dev, 'drop', () => d.reason);
      if (d.icmp && ipErrorAllow(ns, p.src)) {
        icmpSend(
          ns,
          after,
          ICMP_DEST_UNREACH,
          d.errno === 'ENETUNREACH' ? ICMP_NET_UNREACH : d.errno === 'EACCES' ? ICMP_PKT_FILTERED : ICMP_HOST_UNREACH,
        );
      }
      return;
  }
}

/** ip_forward(): TTL, MTU, FORWARD hook, then output through the chosen device. */
function ipForward(ns: Netns, inDev: Link, skb: Skb<Ipv4Packet>, r: Resolved): void {
  const p = skb.data;
  if (p.ttl <= 1) {
    trace(skb, ns, inDev, 'drop', () => `TTL expired in transit`);
    icmpSend(ns, skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL);
    return;
  }
  if (p.df && ipLength(p) > r.dev.mtu) {
    trace(skb, ns, r.dev, 'drop', () => `${ipLength(p)} bytes with DF exceed mtu ${r.dev.mtu} of ${r.dev.name}`);
    icmpSend(ns, skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, r.dev.mtu);
    return;
  }
  const fwd = withData(skb, Object.assign({}, p, { ttl: p.ttl - 1 }));
  trace(fwd, ns, inDev, 'forward', () => `to ${r.dev.name}, ttl ${p.ttl} -> ${p.ttl - 1}`);
  const after = nfHook(ns, 'FORWARD', fwd, inDev, r.dev);
  if (!after) return;
  ipOutput(ns, after, r);
}

/** ip_local_deliver(): INPUT hook, then the protocol handler. */
function localDeliver(ns: Netns, dev: Link, skb: Skb<Ipv4Packet>, broadcast: boolean): void {
  const after = nfHook(ns, 'INPUT', skb, dev, undefined);
  if (!after) return;
  const p = after.data;
  const pl = p.payload;
  if (p.protocol === IPPROTO_ICMP && pl.kind === 'icmp') {
    icmpRcv(ns, after, broadcast);
    return;
  }
  if (p.protocol === IPPROTO_UDP && pl.kind === 'udp') {
    const bound = ns.udpBoundAddr(pl.dstPort);
    const handler = bound === undefined || bound === p.dst ? ns.udpHandlers.get(pl.dstPort) : undefined;
    if (handler) {
      trace(after, ns, dev, 'local', () => `UDP port ${pl.dstPort}`);
      handler(after, pl, dev);
    } else if (!broadcast) {
      trace(after, ns, dev, 'drop', () => `no socket on UDP port ${pl.dstPort}`);
      icmpSend(ns, after, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
    }
    return;
  }
  if (p.protocol === IPPROTO_TCP && pl.kind === 'tcp') {
    const stack = ns.tcpStack;
    if (stack?.owns(pl.dstPort)) {
      trace(after, ns, dev, 'local', () => `TCP port ${pl.dstPort}`);
      stack.segmentArrived(after);
      return;
    }
    trace(after, ns, dev, 'drop', () => `no socket on TCP port ${pl.dstPort}: reset`);
    if (!(pl.flags & TCP_RST)) tcpReset(ns, after);
    return;
  }
  const proto = ns.kernel.protoHandlers.get(p.protocol);
  if (proto?.(ns, after, dev)) return;
  trace(after, ns, dev, 'drop', () => `no handler for IP protocol ${p.protocol}`);
  if (!broadcast) icmpSend(ns, after, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH);
}

/** tcp_v4_send_reset(): answer a segment for a closed port. */
export function tcpReset(ns: Netns, skb: Skb<Ipv4Packet>): void {
  const p = skb.data;
  const t = p.payload;
  if (t.kind !== 'tcp') return;
  const synFin = (t.flags & TCP_SYN ? 1 : 0) + (t.flags & 1 ? 1 : 0);
  const ackd = t.flags & TCP_ACK;
  try {
    ipSend(
      ns,
      {
        dst: p.src,
        src: p.dst,
        protocol: IPPROTO_TCP,
        df: true,
        payload: {
          kind: 'tcp',
          srcPort: t.dstPort,
          dstPort: t.srcPort,
          seq: ackd ? t.ack : 0,
          ack: ackd ? 0 : (t.seq + t.payload.length + synFin) >>> 0,
          flags: ackd ? TCP_RST : TCP_RST | TCP_ACK,
          window: 0,
          urgent: 0,
          options: new Uint8Array(0),
          payload: new Uint8Array(0),
        },
      },
      skb.walk,
    );
  } catch {
    // No route back: the reset is silently lost, as in Linux.
  }
}

function icmpRcv(ns: Netns, skb: Skb<Ipv4Packet>, broadcast: boolean): void {
  const p = skb.data;
  const m = p.payload;
  if (m.kind !== 'icmp') return;
  if (m.type === ICMP_ECHO_REQUEST) {
    const ignore = broadcast ? ns.sysctl.get('net/ipv4/icmp_echo_ignore_broadcasts') : ns.sysctl.get('net/ipv4/icmp_echo_ignore_all');
    if (ignore !== '0') {
      trace(skb, ns, undefined, 'drop', () => `echo ignored (icmp_echo_ignore_${broadcast ? 'broadcasts' : 'all'})`);
      return;
    }
    trace(skb, ns, undefined, 'local', () => `ICMP echo request: reply`);
    try {
      // icmp_reply(): from the address the request was sent to; replies are not DF.
      ipSend(
        ns,
        {
          dst: p.src,
          src: broadcast ? undefined : p.dst,
          protocol: IPPROTO_ICMP,
          df: false,
          tos: p.tos,
          payload: { kind: 'icmp', type: ICMP_ECHO_REPLY, code: 0, rest: m.rest, data: m.data },
        },
        skb.walk,
      );
    } catch (e) {
      trace(skb, ns, undefined, 'drop', () => `cannot reply: ${(e as Error).message}`);
    }
    return;
  }
  if ((m.type === ICMP_DEST_UNREACH || m.type === ICMP_TIME_EXCEEDED) && m.data.length >= 28) {
    const quoted = m.data[9]!;
    if (quoted === IPPROTO_TCP) ns.tcpStack?.quotedError(m.data, m.type, m.code);
    else ns.icmpErrorSink(quoted)?.(m.data, m.type, m.code);
  }
  const id = m.type === ICMP_ECHO_REPLY ? m.rest >>> 16 : quotedEchoId(m.data);
  const sock = id === undefined ? undefined : ns.pingSockets.get(id);
  if (sock) {
    trace(skb, ns, undefined, 'local', () => `ICMP type ${m.type} to ping socket id ${id}`);
    sock(skb);
  } else {
    trace(skb, ns, undefined, 'drop', () => `no socket for ICMP type ${m.type}`);
  }
}

/** The echo identifier inside an ICMP error's quoted datagram (IP header, then ICMP id at +4). */
function quotedEchoId(quoted: Uint8Array): number | undefined {
  if (quoted.length < 28) return undefined;
  const ihl = (quoted[0]! & 0x0f) * 4;
  if (quoted[9] !== IPPROTO_ICMP || quoted.length < ihl + 8 || quoted[ihl] !== ICMP_ECHO_REQUEST) return undefined;
  return (quoted[ihl + 4]! << 8) | quoted[ihl + 5]!;
}

/** The most of the offending datagram an ICMP error quotes: 576 bytes in all (RFC 1812 §4.3.2.3). */
const ICMP_QUOTE_MAX = 576 - 20 - 8;

/**
 * icmp_send(): an error about `skb` to its sender. Never about an ICMP error, a broadcast or
 * multicast destination, a fragment other than the first, or a packet from 0.0.0.0.
 */
export function icmpSend(ns: Netns, skb: Skb<Ipv4Packet>, type: number, code: number, rest = 0): void {
  const p = skb.data;
  if (p.fragOffset !== 0 || p.src === 0 || p.src >>> 28 === 0xe || p.dst >>> 28 === 0xe || p.dst === 0xffffffff) return;
  if (p.payload.kind === 'icmp' && p.payload.type !== ICMP_ECHO_REQUEST && p.payload.type !== ICMP_ECHO_REPLY) return;
  // icmpv4_xrlim_allow(): errors to another host are rate limited; to ourselves (lo) never.
  if (icmpRateLimited(type) && !ns.isLocalAddress(p.src) && !icmpXrlimAllow(ns, p.src)) {
    trace(skb, ns, undefined, 'icmp', () => `ICMP type ${type} to ${formatIpv4(p.src)} suppressed (icmp_ratelimit)`);
    return;
  }
  const quoted = emitIpv4(p).subarray(0, ICMP_QUOTE_MAX);
  const src = ns.isLocalAddress(p.dst) ? p.dst : undefined;
  trace(skb, ns, undefined, 'icmp', () => `send ICMP type ${type} code ${code} to ${formatIpv4(p.src)}`);
  try {
    ipSend(
      ns,
      {
        dst: p.src,
        src,
        protocol: IPPROTO_ICMP,
        df: false,
        tos: (p.tos & 0x1e) | 0xc0,
        payload: { kind: 'icmp', type, code, rest, data: quoted },
        about: p,
      },
      skb.walk,
      relatedTo(skb),
    );
  } catch {
    // No route back to the sender: the error is lost.
  }
}

/**
 * nf_ct_attach(): an error the kernel makes about a tracked packet belongs to that packet's
 * connection, the other way round, so NAT translates it (and the quoted packet) back.
 */
function relatedTo(skb: Skb<Ipv4Packet>): Skb['nfct'] {
  const ct = skb.nfct;
  if (!ct) return undefined;
  return { conn: ct.conn, dir: ct.dir === 'original' ? 'reply' : 'original', info: 'RELATED' };
}
