// Netfilter on a namespace's IPv4 path: the tables at their hooks in Linux's priority order,
// connection tracking around them and NAT from the connections' bindings.
//
//   PREROUTING   raw(-300) conntrack(-200) mangle(-150) nat/DNAT(-100)
//   INPUT        mangle(-150) filter(0) nat/SNAT(100) confirm
//   FORWARD      mangle(-150) filter(0)
//   OUTPUT       raw(-300) conntrack(-200) mangle(-150) nat/DNAT(-100) filter(0)
//   POSTROUTING  mangle(-150) nat/SNAT(100) confirm
import { formatIpv4, IPPROTO_ICMP, IPPROTO_TCP, type Ipv4Packet } from '../../wire/index.js';
import { ipLength } from '../xmit.js';
import { ICMP_DEST_UNREACH } from '../../wire/index.js';
import { icmpSend, tcpReset } from '../ipv4.js';
import type { Link } from '../link.js';
import type { NetfilterHooks, NfHookName, Physdev } from '../netfilter.js';
import type { Netns } from '../netns.js';
import { RT_SCOPE_UNIVERSE } from '../fib.js';
import { fibLookup, selectSource } from '../route.js';
import type { Skb } from '../skb.js';
import { trace } from '../trace.js';
import { ConntrackTable, tupleOf, type Conn, type CtDir, type CtInfo, type Tuple } from './conntrack.js';
import { runChain, type NatTarget, type Ruleset } from './eval.js';
import type { MatchEnv, PacketCtx } from './match.js';
import { natPacket, setupBinding, type Manip } from './nat.js';
import type { AddrType, Table, TableName } from './types.js';
import type { Ipvs, IpvsPacket } from './ipvs.js';
import { rewrite } from './nat.js';
import { ipOutput } from '../ipv4.js';
import { routeOutput } from '../route.js';

/** The pieces of netfilter a namespace has: its rules, and hooks into sets and IPVS. */
export interface NetfilterParts {
  readonly ruleset: Ruleset;
  /** `-m set` lookups; when absent no set exists and set matches fail. */
  readonly setMatch?: MatchEnv['setMatch'];
  /** The namespace's IPVS, if it may have virtual services. */
  readonly ipvs?: Ipvs;
}

const REJECT_CODES: Record<string, number> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-port-unreachable': 3,
  'icmp-proto-unreachable': 2,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
};

/** Targets whose nft expressions need connection tracking. */
const CT_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'CONNMARK', 'CT']);

/**
 * Whether any rule of a table needs connection tracking — a state match or a NAT target, whose
 * nft expressions call nf_ct_netns_get(); a nat chain by itself does not (cached per Table).
 */
const ctUsers = new WeakMap<Table, boolean>();
function usesConntrack(t: Table | undefined): boolean {
  if (!t) return false;
  let v = ctUsers.get(t);
  if (v === undefined) {
    v = [...t.chains.values()].some((c) =>
      c.rules.some(
        (r) =>
          CT_TARGETS.has(r.target.kind) || r.matches.some((m) => m.kind === 'conntrack' || m.kind === 'state' || m.kind === 'connmark'),
      ),
    );
    ctUsers.set(t, v);
  }
  return v;
}

/** A queued packet as a userspace NFQUEUE reader sees it: a new connection's first, or a DNS query (after DNAT). */
export interface QueuedPacket {
  readonly src: number;
  readonly dst: number;
  readonly proto: number;
  /** 0 for a protocol without ports. */
  readonly sport: number;
  readonly dport: number;
  /** Sent by a socket of this namespace (the OUTPUT path), not forwarded. */
  readonly local: boolean;
  /**
   * The chain that queued it: `postrouting` (leaving) or `input` (for this namespace, not by lo),
   * new connections only; `prerouting` every DNS query (UDP to port 53) that comes in.
   */
  readonly chain: 'postrouting' | 'input' | 'prerouting';
}

function isDnsQuery(p: Ipv4Packet): boolean {
  return p.payload.kind === 'udp' && p.payload.dstPort === 53;
}

/** A reader's verdict: accept (true) or drop (false). */
export type QueueVerdict = (p: QueuedPacket) => boolean;

export class NetfilterRuntime implements NetfilterHooks {
  readonly conntrack: ConntrackTable;
  /**
   * The reader of the queue packets meet as kube-network-policies' chains send them: in
   * POSTROUTING at priority srcnat - 5 (after mangle, before SNAT) and in INPUT at srcnat + 1
   * (after SNAT, before confirm) unless they came in by `lo`, conntrack-NEW packets in the
   * original direction only (a retransmitted SYN of an unanswered connection still is one);
   * and in PREROUTING at dstnat + 5 (after DNAT) every UDP packet to port 53, its DNS-racer
   * workaround (those pass postrouting). Unset: no such chains, or bypass with no reader.
   */
  queue: { readonly num: number; readonly verdict: QueueVerdict } | undefined;
  /** Connections a socket of this namespace started (skb->sk is set on their packets: `meta skuid` matches). */
  private readonly localConns = new WeakSet<Conn>();
  private readonly env: MatchEnv;
  private readonly recentLists = new Map<string, Map<number, number[]>>();

  constructor(
    private readonly ns: Netns,
    private readonly parts: NetfilterParts,
  ) {
    this.conntrack = new ConntrackTable(ns.kernel.clock);
    this.env = {
      rng: ns.kernel.rng,
      setMatch: parts.setMatch ?? (() => false),
      recent: (m, ctx) => this.recent(m, ctx),
      addrType: (_ctx, addr, limitDev) => this.addrType(addr, limitDev),
    };
  }

  /** IPVS takes part once it has a virtual service. */
  private get ipvsActive(): boolean {
    return this.parts.ipvs !== undefined && this.parts.ipvs.serviceCount > 0;
  }

  /**
   * Conntrack runs in a namespace once a NAT rule, a state match or IPVS (vs/conntrack=1) needs
   * it; without it the nat chains are never consulted (nf_nat_inet_fn needs a conntrack).
   */
  private get tracking(): boolean {
    const rs = this.parts.ruleset;
    return (
      this.queue !== undefined || this.ipvsActive || (['raw', 'mangle', 'filter', 'nat'] as const).some((t) => usesConntrack(rs.table(t)))
    );
  }

  run(
    hook: NfHookName,
    skb: Skb<Ipv4Packet>,
    inDev: Link | undefined,
    outDev: Link | undefined,
    phys?: Physdev,
  ): Skb<Ipv4Packet> | undefined {
    const rs = this.parts.ruleset;
    const tracking = this.tracking;
    const ipvs = this.ipvsActive;
    if (!tracking && !ipvs && !rs.table('raw') && !rs.table('mangle') && !rs.table('filter')) return skb;
    let cur = skb;
    const local = hook === 'OUTPUT';
    if (tracking && (hook === 'PREROUTING' || local) && !cur.nfct) {
      if (!this.tableStep('raw', hook, cur, inDev, outDev, phys, (s) => (cur = s))) return undefined;
      // CT --notrack in raw leaves the packet untracked: conntrack does not look at it.
      if (!cur.nfct) {
        cur = this.conntrackIn(cur);
        // only a queue reader asks (skb->sk: `meta skuid`), so only while one is bound
        if (this.queue && local && cur.nfct && cur.nfct.info === 'NEW') this.localConns.add(cur.nfct.conn);
      }
    }
    const order: TableName[] =
      hook === 'PREROUTING'
        ? tracking
          ? ['mangle', 'nat']
          : ['raw', 'mangle']
        : hook === 'OUTPUT'
          ? tracking
            ? ['mangle', 'nat', 'filter']
            : ['raw', 'mangle', 'filter']
          : hook === 'INPUT'
            ? ['mangle', 'filter', 'nat']
            : hook === 'FORWARD'
              ? ['mangle', 'filter']
              : ['mangle', 'nat'];
    for (const table of order) {
      if (hook === 'POSTROUTING' && table === 'nat' && this.queue && !this.queueStep('postrouting', cur, outDev)) return undefined;
      if (table === 'nat') {
        if (!tracking) continue;
        const next = this.natStep(hook, cur, inDev, outDev, phys);
        if (!next) return undefined;
        cur = next;
      } else if (!this.tableStep(table, hook, cur, inDev, outDev, phys, (s) => (cur = s))) {
        return undefined;
      }
      // IPVS sits after nat in OUTPUT (-98) and after filter in INPUT (98/99) and FORWARD (100).
      if (ipvs && !phys && ((hook === 'OUTPUT' && table === 'nat') || ((hook === 'INPUT' || hook === 'FORWARD') && table === 'filter'))) {
        const next = this.ipvsStep(hook, cur, inDev);
        if (next === 'stolen' || next === undefined) return undefined;
        cur = next;
      }
    }
    if (hook === 'INPUT' && this.queue && inDev?.name !== 'lo' && !this.queueStep('input', cur, inDev)) return undefined;
    if (hook === 'PREROUTING' && this.queue && isDnsQuery(cur.data) && !this.queueStep('prerouting', cur, inDev)) return undefined;
    // Only a packet in the original direction confirms (__nf_conntrack_confirm): an ICMP error
    // about a connection's first packet leaves the connection unconfirmed, to die with it.
    if (tracking && (hook === 'INPUT' || hook === 'POSTROUTING') && cur.nfct && cur.nfct.dir === 'original' && !cur.nfct.conn.confirmed) {
      if (!this.conntrack.confirm(cur.nfct.conn)) {
        trace(cur, this.ns, outDev ?? inDev, 'drop', () => 'conntrack: confirm failed (tuple clash)');
        return undefined;
      }
      trace(cur, this.ns, outDev ?? inDev, 'netfilter', () => `conntrack: new connection confirmed (${describeConn(cur.nfct!.conn)})`);
    }
    return cur;
  }

  /** Asks the queue's reader about a packet (a new connection's, but in prerouting); false when it drops it. */
  private queueStep(chain: QueuedPacket['chain'], skb: Skb<Ipv4Packet>, dev: Link | undefined): boolean {
    const ct = skb.nfct;
    if (chain !== 'prerouting' && (!ct || ct.info !== 'NEW' || ct.dir !== 'original')) return true;
    const p = skb.data;
    const l4 = p.payload;
    const ports = l4.kind === 'tcp' || l4.kind === 'udp' ? { sport: l4.srcPort, dport: l4.dstPort } : { sport: 0, dport: 0 };
    const local = ct !== undefined && this.localConns.has(ct.conn);
    if (this.queue!.verdict({ src: p.src, dst: p.dst, proto: p.protocol, ...ports, local, chain })) return true;
    const num = this.queue!.num;
    trace(skb, this.ns, dev, 'drop', () => `${chain}: queue num ${num} bypass: the reader's verdict is NF_DROP`);
    return false;
  }

  /** Runs a filter-like table; returns false when the packet was dropped or rejected. */
  private tableStep(
    table: TableName,
    hook: NfHookName,
    skb: Skb<Ipv4Packet>,
    inDev: Link | undefined,
    outDev: Link | undefined,
    phys: Physdev | undefined,
    set: (s: Skb<Ipv4Packet>) => void,
  ): boolean {
    const rs = this.parts.ruleset;
    if (!rs.table(table)) return true;
    const ctx = this.ctx(skb, inDev, outDev, phys);
    const v = runChain(rs, table, hook, ctx, this.env, (d) => trace(skb, this.ns, inDev ?? outDev, 'netfilter', d));
    // Object.assign({}, x, { field }) rather than { ...x, field }: V8 (Node 20) takes microseconds for a spread followed by fields.
    if (ctx.mark !== skb.mark || ctx.ct !== skb.nfct) set(Object.assign({}, skb, { mark: ctx.mark, nfct: ctx.ct }));
    switch (v.kind) {
      case 'accept':
      case 'nat':
        return true;
      case 'drop':
        trace(skb, this.ns, inDev ?? outDev, 'drop', () => v.reason);
        return false;
      case 'reject':
        trace(skb, this.ns, inDev ?? outDev, 'drop', () => `REJECT --reject-with ${v.target.rejectWith}`);
        if (v.target.rejectWith === 'tcp-reset') {
          if (skb.data.protocol === IPPROTO_TCP) tcpReset(this.ns, skb);
        } else {
          icmpSend(this.ns, skb, ICMP_DEST_UNREACH, REJECT_CODES[v.target.rejectWith] ?? 3);
        }
        return false;
    }
  }

  /** nf_conntrack_in(): attach the packet's connection (new, established, related or invalid). */
  private conntrackIn(skb: Skb<Ipv4Packet>): Skb<Ipv4Packet> {
    const p = skb.data;
    const t = tupleOf(p);
    if (!t) {
      const rel = this.related(p);
      return rel ? Object.assign({}, skb, { nfct: rel }) : skb;
    }
    const hit = this.conntrack.find(t);
    let conn: Conn;
    let dir: CtDir;
    let info: CtInfo;
    if (hit) {
      ({ conn, dir } = hit);
      info = 'ESTABLISHED';
      if (dir === 'original' && !conn.seenReply) info = 'NEW';
    } else {
      conn = this.conntrack.create(t);
      dir = 'original';
      info = 'NEW';
    }
    if (!this.conntrack.update(conn, dir, p)) {
      trace(skb, this.ns, undefined, 'netfilter', () => `conntrack: INVALID (${describeTuple(t)})`);
      return Object.assign({}, skb, { nfct: { conn, dir, info: 'INVALID' } });
    }
    trace(skb, this.ns, undefined, 'netfilter', () => `conntrack: ${info} ${dir} (${describeConn(conn)})`);
    return Object.assign({}, skb, { nfct: { conn, dir, info } });
  }

  /** An ICMP error about a tracked flow is RELATED to it (icmp_error_message). */
  private related(p: Ipv4Packet): Skb['nfct'] | undefined {
    const m = p.payload;
    if (m.kind !== 'icmp' || (m.type !== 3 && m.type !== 11) || m.data.length < 28) return undefined;
    const q = m.data;
    const ihl = (q[0]! & 0x0f) * 4;
    const proto = q[9]!;
    const word = (o: number) => ((q[o]! << 24) | (q[o + 1]! << 16) | (q[o + 2]! << 8) | q[o + 3]!) >>> 0;
    const inner: Tuple =
      proto === IPPROTO_ICMP
        ? { proto, src: word(12), dst: word(16), sport: (q[ihl + 4]! << 8) | q[ihl + 5]!, dport: (q[ihl]! << 8) | q[ihl + 1]! }
        : { proto, src: word(12), dst: word(16), sport: (q[ihl]! << 8) | q[ihl + 1]!, dport: (q[ihl + 2]! << 8) | q[ihl + 3]! };
    const hit = this.conntrack.find(inner);
    if (!hit) return undefined;
    return { conn: hit.conn, dir: hit.dir === 'original' ? 'reply' : 'original', info: 'RELATED' };
  }

  /** The nat table for a connection's first packet, then the binding for every packet. */
  private natStep(
    hook: NfHookName,
    skb: Skb<Ipv4Packet>,
    inDev: Link | undefined,
    outDev: Link | undefined,
    phys: Physdev | undefined,
  ): Skb<Ipv4Packet> | undefined {
    const ct = skb.nfct;
    if (!ct || ct.info === 'INVALID' || ct.info === 'UNTRACKED') return skb;
    const manip: Manip = hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : 'src';
    const conn = ct.conn;
    if (!conn.confirmed && !conn.natDone[manip] && ct.info === 'NEW') {
      conn.natDone[manip] = true;
      const ctx = this.ctx(skb, inDev, outDev, phys);
      const v = runChain(this.parts.ruleset, 'nat', hook, ctx, this.env, (d) => trace(skb, this.ns, inDev ?? outDev, 'netfilter', d));
      // A MARK in a nat chain marks the packet itself (KUBE-MARK-MASQ), for every later hook.
      if (ctx.mark !== skb.mark) skb = Object.assign({}, skb, { mark: ctx.mark });
      if (v.kind === 'drop') {
        trace(skb, this.ns, inDev ?? outDev, 'drop', () => v.reason);
        return undefined;
      }
      if (v.kind === 'nat' && !this.bind(conn, manip, v.target, skb.data, inDev, outDev)) {
        trace(skb, this.ns, outDev, 'drop', () => 'NAT: no free tuple');
        return undefined;
      }
    }
    const rewritten = natPacket(skb.data, conn, ct.dir, manip);
    if (rewritten === skb.data) return skb;
    trace(skb, this.ns, inDev ?? outDev, 'netfilter', () => {
      const [from, to] = manip === 'dst' ? [skb.data.dst, rewritten.dst] : [skb.data.src, rewritten.src];
      // A reply is rewritten back: its source undoes a DNAT, its destination undoes an SNAT.
      const what = ct.dir === 'original' ? (manip === 'dst' ? 'DNAT' : 'SNAT') : manip === 'src' ? 'un-DNAT source' : 'un-SNAT destination';
      return `${what} ${formatIpv4(from)} -> ${formatIpv4(to)}`;
    });
    return Object.assign({}, skb, { data: rewritten });
  }

  /**
   * IPVS (ip_vs_core.c): a packet for a virtual service is scheduled (or follows its connection)
   * and its destination rewritten to the real server (masq); a real server's reply has its source
   * rewritten back to the virtual address. The conntrack entry learns the real server as its
   * reply tuple (vs/conntrack=1), so later NAT (MASQUERADE) and state matches see the real flow.
   * At LOCAL_IN the rewritten packet is sent on from here (ip_vs_nat_xmit).
   */
  private ipvsStep(hook: NfHookName, skb: Skb<Ipv4Packet>, inDev: Link | undefined): Skb<Ipv4Packet> | 'stolen' | undefined {
    const ipvs = this.parts.ipvs!;
    const p = skb.data;
    const l4 = p.payload;
    if (l4.kind !== 'tcp' && l4.kind !== 'udp') return skb;
    const pkt: IpvsPacket = {
      protocol: p.protocol,
      src: p.src,
      sport: l4.srcPort,
      dst: p.dst,
      dport: l4.dstPort,
      fwmark: skb.mark,
      len: ipLength(p),
      tcp:
        l4.kind === 'tcp'
          ? { syn: (l4.flags & 0x02) !== 0, ack: (l4.flags & 0x10) !== 0, fin: (l4.flags & 0x01) !== 0, rst: (l4.flags & 0x04) !== 0 }
          : undefined,
    };
    const hit = ipvs.lookup(pkt);
    if (hit?.dir === 'out') {
      ipvs.outPacket(hit.conn, pkt);
      trace(
        skb,
        this.ns,
        inDev,
        'netfilter',
        () => `IPVS: reply from ${formatIpv4(p.src)}:${pkt.sport}, source back to ${formatIpv4(hit.conn.vaddr)}:${hit.conn.vport}`,
      );
      return Object.assign({}, skb, { data: rewrite(p, 'src', hit.conn.vaddr, hit.conn.vport) });
    }
    if (hook === 'FORWARD') return skb;
    const v = ipvs.packetIn(pkt);
    switch (v.kind) {
      case 'pass':
        return skb;
      case 'drop':
        trace(skb, this.ns, inDev, 'drop', () => 'IPVS: dropped');
        return undefined;
      case 'unreachable':
        trace(skb, this.ns, inDev, 'drop', () => `IPVS: no real server available for ${formatIpv4(p.dst)}:${pkt.dport}`);
        icmpSend(this.ns, skb, ICMP_DEST_UNREACH, 3);
        return undefined;
      case 'forward':
        break;
    }
    const c = v.conn;
    if (c.forward !== 'masq') {
      trace(skb, this.ns, inDev, 'drop', () => `IPVS: forwarding method ${c.forward} is not emulated (only masq)`);
      return undefined;
    }
    const ct = skb.nfct;
    if (ct && !ct.conn.confirmed && ct.dir === 'original')
      ct.conn.reply = Object.assign({}, ct.conn.reply, { src: c.daddr, sport: c.dport });
    const out = Object.assign({}, skb, { data: rewrite(p, 'dst', c.daddr, c.dport) });
    trace(
      skb,
      this.ns,
      inDev,
      'netfilter',
      () =>
        `IPVS: ${formatIpv4(p.dst)}:${pkt.dport} -> ${formatIpv4(c.daddr)}:${c.dport} (${v.created ? 'new connection' : 'connection'}, masq)`,
    );
    if (hook === 'OUTPUT') return out;
    let r;
    try {
      r = routeOutput(this.ns, c.daddr, { src: p.src });
    } catch (e) {
      trace(out, this.ns, inDev, 'drop', () => `IPVS: no route to real server: ${(e as Error).message}`);
      return undefined;
    }
    ipOutput(this.ns, out, r);
    return 'stolen';
  }

  private bind(conn: Conn, manip: Manip, t: NatTarget, p: Ipv4Packet, inDev: Link | undefined, outDev: Link | undefined): boolean {
    const rng = this.ns.kernel.rng;
    if (t.kind === 'REDIRECT') {
      // redirect_tg4: local traffic goes to 127.0.0.1, arriving traffic to the first address of
      // its device; a device without one drops the packet.
      const to = inDev === undefined ? 0x7f000001 : this.ns.addrsOf(inDev).find((a) => !a.secondary)?.local;
      if (to === undefined) return false;
      return setupBinding(
        this.conntrack,
        conn,
        'dst',
        { minAddr: to, maxAddr: to, minPort: t.toPorts?.from, maxPort: t.toPorts?.to },
        { random: !!t.random, rng },
      );
    }
    if (t.kind === 'MASQUERADE') {
      // nf_nat_masquerade_ipv4: a locally made packet from 0.0.0.0 (an IGMP report from a device
      // without an address) is accepted as it is; the connection keeps its null binding.
      if (conn.original.src === 0) return true;
      // The address the packet would get leaving by `outDev` (masquerade_tg: inet_select_addr).
      const route = fibLookup(this.ns, { dst: p.dst, src: p.src, iif: inDev ?? this.ns.loopback() });
      const src = outDev ? selectSource(this.ns, outDev, route?.gateway ?? p.dst, RT_SCOPE_UNIVERSE) : p.src;
      if (!src) return false;
      return setupBinding(
        this.conntrack,
        conn,
        'src',
        { minAddr: src, maxAddr: src, minPort: t.toPorts?.from, maxPort: t.toPorts?.to },
        { random: !!(t.randomFully || t.random), rng },
      );
    }
    return setupBinding(this.conntrack, conn, manip, t.to, { random: t.kind === 'SNAT' && !!(t.randomFully || t.random), rng });
  }

  private ctx(skb: Skb<Ipv4Packet>, inDev: Link | undefined, outDev: Link | undefined, phys: Physdev | undefined): PacketCtx {
    return { p: skb.data, inDev, outDev, mark: skb.mark, ct: skb.nfct, ns: this.ns, phys };
  }

  /** xt_addrtype: the route type of an address, optionally as seen through one device. */
  private addrType(addr: number, limitDev: Link | undefined): AddrType {
    if (addr === 0xffffffff) return 'BROADCAST';
    if (addr >>> 28 === 0xe) return 'MULTICAST';
    const r = fibLookup(this.ns, { dst: addr });
    if (!r) return 'UNREACHABLE';
    if (limitDev && r.type === 'local' && !this.ns.addrsOf(limitDev).some((a) => a.local === addr)) return 'UNICAST';
    return r.type === 'local'
      ? 'LOCAL'
      : r.type === 'broadcast'
        ? 'BROADCAST'
        : r.type === 'blackhole'
          ? 'BLACKHOLE'
          : r.type === 'unreachable'
            ? 'UNREACHABLE'
            : r.type === 'prohibit'
              ? 'PROHIBIT'
              : r.type === 'throw'
                ? 'THROW'
                : 'UNICAST';
  }

  /** xt_recent: per-name lists of addresses with hit times. */
  private recent(m: Parameters<MatchEnv['recent']>[0], ctx: PacketCtx): boolean {
    let list = this.recentLists.get(m.name);
    if (!list) {
      list = new Map();
      this.recentLists.set(m.name, list);
    }
    const addr = ((m.side === 'rdest' ? ctx.p.dst : ctx.p.src) & (m.mask ?? 0xffffffff)) >>> 0;
    const now = this.ns.kernel.clock.now();
    const hits = list.get(addr) ?? [];
    if (m.mode === 'set') {
      list.set(addr, [...hits, now]);
      return true;
    }
    if (m.mode === 'remove') {
      const had = list.delete(addr);
      return had;
    }
    const recentHits = m.seconds === undefined ? hits : hits.filter((t) => now - t <= m.seconds! * 1000);
    const seen = recentHits.length >= (m.hitcount ?? 1) && recentHits.length > 0;
    if (m.mode === 'update' && seen) list.set(addr, [...hits, now]);
    return seen;
  }
}

export function describeTuple(t: Tuple): string {
  if (t.proto === IPPROTO_ICMP) return `icmp ${formatIpv4(t.src)} > ${formatIpv4(t.dst)} id ${t.sport}`;
  return `${t.proto === IPPROTO_TCP ? 'tcp' : t.proto === 17 ? 'udp' : `proto ${t.proto}`} ${formatIpv4(t.src)}:${t.sport} > ${formatIpv4(t.dst)}:${t.dport}`;
}

export function describeConn(c: Conn): string {
  return `${describeTuple(c.original)}; reply ${describeTuple(c.reply)}`;
}
