// Rule matching: ipt_do_table's ip_packet_match plus each xt match's callback.
import { inPrefix, type Ipv4Packet } from '../../wire/index.js';
import type { Rng } from '../../sim/index.js';
import type { Link } from '../link.js';
import type { Physdev } from '../netfilter.js';
import { cached } from './cache.js';
import type { Netns } from '../netns.js';
import type { Conn, CtDir, CtInfo } from './conntrack.js';
import type { AddrType, IfaceMatch, Match, PortRange, Rule } from './types.js';

/** What a rule can look at: the packet, its devices, its mark and its connection. */
export interface PacketCtx {
  p: Ipv4Packet;
  readonly inDev: Link | undefined;
  readonly outDev: Link | undefined;
  mark: number;
  /** The packet's connection; CT --notrack replaces it with the untracked stand-in. */
  ct: { readonly conn: Conn; readonly dir: CtDir; readonly info: CtInfo } | undefined;
  readonly ns: Netns;
  /** For a frame a bridge forwards: its in and out ports (what -m physdev sees). */
  readonly phys?: Physdev;
}

/** Services the matches need from the namespace: sets, randomness, recent lists. */
export interface MatchEnv {
  readonly rng: Rng;
  /** `-m set`: undefined when the set does not exist (the rule could not have been added then). */
  setMatch(name: string, flags: readonly ('src' | 'dst')[], ctx: PacketCtx): boolean;
  /** `-m recent`: returns whether the address was seen, updating the list as the mode says. */
  recent(m: Extract<Match, { kind: 'recent' }>, ctx: PacketCtx): boolean;
  /** `-m addrtype`: the RTN_* type of an address in this namespace. */
  addrType(ctx: PacketCtx, addr: number, limitDev: Link | undefined): AddrType;
}

/**
 * Whether a rule matches (ip_packet_match, then each match in order). Interpreted straight from
 * the immutable rule: with hundreds of thousands of rules, per-rule compiled closures cost more
 * memory, and so more cache misses, than they save.
 */
export function ruleMatches(rule: Rule, c: PacketCtx, env: MatchEnv): boolean {
  const { src, dst, inIface, outIface, protocol } = rule;
  if (src && inPrefix(c.p.src, src.addr, src.len) === src.invert) return false;
  if (dst && inPrefix(c.p.dst, dst.addr, dst.len) === dst.invert) return false;
  if (inIface && !ifaceMatches(inIface, c.inDev)) return false;
  if (outIface && !ifaceMatches(outIface, c.outDev)) return false;
  if (protocol && protocol.proto !== 0 && (c.p.protocol === protocol.proto) === protocol.invert) return false;
  for (const m of rule.matches) if (!matchOne(m, c, env)) return false;
  return true;
}

function ifaceMatches(m: IfaceMatch, dev: Link | undefined): boolean {
  const name = dev?.name ?? '';
  const hit = m.name.endsWith('+') ? name.startsWith(m.name.slice(0, -1)) : name === m.name;
  return hit !== m.invert;
}

function inRange(r: PortRange, port: number): boolean {
  return port >= r.from && port <= r.to;
}

/** `-m statistic --mode nth`: the packet counter of each such match. */
const NTH = Symbol('nth');

function matchOne(m: Match, c: PacketCtx, env: MatchEnv): boolean {
  switch (m.kind) {
    case 'comment':
      return true;
    case 'tcp':
    case 'udp': {
      const l4 = c.p.payload;
      if (l4.kind !== m.kind) return false;
      if (m.sport && inRange(m.sport, l4.srcPort) === m.sport.invert) return false;
      if (m.dport && inRange(m.dport, l4.dstPort) === m.dport.invert) return false;
      if (m.kind === 'tcp' && l4.kind === 'tcp') {
        if (m.tcpFlags && ((l4.flags & m.tcpFlags.mask) === m.tcpFlags.comp) === m.tcpFlags.invert) return false;
        if (m.syn && ((l4.flags & 0x17) === 0x02) === m.syn.invert) return false;
      }
      return true;
    }
    case 'sctp':
      return false; // the emulated stack carries no SCTP packets
    case 'icmp': {
      const l4 = c.p.payload;
      if (l4.kind !== 'icmp') return false;
      if (!m.icmpType) return true;
      const hit = l4.type === m.icmpType.type && (m.icmpType.code === undefined || l4.code === m.icmpType.code);
      return hit !== m.icmpType.invert;
    }
    case 'mark':
      return ((c.mark & m.mask) >>> 0 === m.value >>> 0) !== m.invert;
    case 'connmark': {
      // xt_connmark: no connection (or an untracked packet), no match, inverted or not.
      const conn = trackedConn(c);
      return conn !== undefined && ((conn.mark & m.mask) >>> 0 === m.value >>> 0) !== m.invert;
    }
    case 'statistic': {
      if (m.mode === 'random') return env.rng.float() < m.probability !== m.invert;
      const state = cached(m, NTH, () => ({ count: m.packet }));
      const hit = state.count === 0;
      state.count = state.count + 1 >= m.every ? 0 : state.count + 1;
      return hit !== m.invert;
    }
    case 'conntrack': {
      if (m.ctstate) {
        const st = ctStates(c);
        if (m.ctstate.states.some((s) => st.includes(s)) === m.ctstate.invert) return false;
      }
      if (m.ctorigdst) {
        const od = trackedConn(c)?.original.dst;
        if (od === undefined || inPrefix(od, m.ctorigdst.addr, m.ctorigdst.len) === m.ctorigdst.invert) return false;
      }
      if (m.ctorigdstport) {
        const op = trackedConn(c)?.original.dport;
        if (op === undefined || inRange(m.ctorigdstport, op) === m.ctorigdstport.invert) return false;
      }
      return true;
    }
    case 'state':
      return m.states.some((s) => ctStates(c).includes(s)) !== m.invert;
    case 'addrtype': {
      if (m.srcType) {
        const t = env.addrType(c, c.p.src, m.limitIfaceIn ? c.inDev : undefined);
        if ((t === m.srcType.type) === m.srcType.invert) return false;
      }
      if (m.dstType) {
        const t = env.addrType(c, c.p.dst, m.limitIfaceOut ? c.outDev : m.limitIfaceIn ? c.inDev : undefined);
        if ((t === m.dstType.type) === m.dstType.invert) return false;
      }
      return true;
    }
    case 'set':
      return env.setMatch(m.name, m.flags, c) !== m.invert;
    case 'multiport': {
      const l4 = c.p.payload;
      if (l4.kind !== 'tcp' && l4.kind !== 'udp') return false;
      const hit = m.ports.some((r) => (m.which !== 'dports' && inRange(r, l4.srcPort)) || (m.which !== 'sports' && inRange(r, l4.dstPort)));
      return hit !== m.invert;
    }
    case 'recent':
      return env.recent(m, c) !== m.invert;
    case 'physdev': {
      // xt_physdev: only a frame on a bridge's path has physical devices at all.
      const ph = c.phys;
      if (!ph) {
        // Not on a bridge's path: it matches only if every option used is inverted.
        return [m.physdevIn, m.physdevOut, m.isIn, m.isOut, m.isBridged].every((o) => o === undefined || o.invert);
      }
      if (m.physdevIn && !ifaceMatches(m.physdevIn, ph.in)) return false;
      if (m.physdevOut && !ifaceMatches(m.physdevOut, ph.out)) return false;
      if (m.isIn && m.isIn.invert) return false;
      if (m.isOut && (ph.out !== undefined) === m.isOut.invert) return false;
      if (m.isBridged && (ph.out !== undefined) === m.isBridged.invert) return false;
      return true;
    }
  }
}

/** The packet's connection, unless it has none or is untracked (nf_ct_get). */
export function trackedConn(c: Pick<PacketCtx, 'ct'>): Conn | undefined {
  return c.ct && c.ct.info !== 'UNTRACKED' ? c.ct.conn : undefined;
}

/** The states `-m conntrack --ctstate` tests: the ctinfo plus SNAT/DNAT when NAT applied. */
function ctStates(c: PacketCtx): string[] {
  if (!c.ct || c.ct.info === 'UNTRACKED') return ['UNTRACKED'];
  const st: string[] = [c.ct.info];
  if (c.ct.conn.srcNat) st.push('SNAT');
  if (c.ct.conn.dstNat) st.push('DNAT');
  return st;
}
