// Chain traversal (ipt_do_table): first match wins, jumps push a return point, goto does not,
// RETURN pops, a built-in chain's end applies its policy. Hot chains are indexed by exact
// destination address, so a lookup in KUBE-SERVICES with 100,000 rules visits only the rules
// for the packet's destination plus those that match any destination — in their original order.
import { ipLength } from '../xmit.js';
import { cached } from './cache.js';
import { UNTRACKED_CONN } from './conntrack.js';
import { ruleMatches, trackedConn, type MatchEnv, type PacketCtx } from './match.js';
import type { Chain, Counters, NatRange, Rule, Table, TableName, Target } from './types.js';

export interface Ruleset {
  /** The table, or undefined when it was never created in this namespace. */
  table(name: TableName): Table | undefined;
  counters(rule: Rule): Counters;
  /** Whether a built-in chain counts its policy hits, and its policy counters. */
  countsPolicy(table: TableName, chain: string): boolean;
  policyCounters(table: TableName, chain: string): Counters;
  /** The rule as iptables-save prints it, for walks (`-A CHAIN …`). */
  describe(chain: string, rule: Rule): string;
}

export type Verdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'reject'; readonly target: Extract<Target, { kind: 'REJECT' }> }
  | { readonly kind: 'nat'; readonly target: NatTarget };

export type NatTarget = Extract<Target, { kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' }>;
export type { NatRange };

/**
 * A rule's IP header tests and its commonest matches packed in a chain-wide Int32Array (PRE ints
 * a rule): a lookup reads them from one contiguous block instead of walking each rule's objects,
 * and a rule whose tests are all packed (EXACT) is decided without touching its objects at all.
 */
const PRE = 8;
const HAS_SRC = 1;
const SRC_INV = 2;
const HAS_DST = 4;
const DST_INV = 8;
const HAS_PROTO = 16;
const PROTO_INV = 32;
/** A tcp or udp match with at most a plain --dport (kind in slot 5's high bits). */
const HAS_L4 = 64;
/** Nothing else to test (besides comments and a final `-m statistic --mode random`). */
const EXACT = 128;
const HAS_STAT = 256;

const maskOf = (len: number): number => (len === 0 ? 0 : (~0 << (32 - len)) | 0);

/** Packs one rule at `o` of `pre` (probabilities in `prob`); see PRE. */
function pack(r: Rule, pre: Int32Array, prob: Float64Array, i: number): void {
  const o = i * PRE;
  let fl = 0;
  if (r.src) {
    const m = maskOf(r.src.len);
    fl |= HAS_SRC | (r.src.invert ? SRC_INV : 0);
    pre[o + 1] = r.src.addr & m;
    pre[o + 2] = m;
  }
  if (r.dst) {
    const m = maskOf(r.dst.len);
    fl |= HAS_DST | (r.dst.invert ? DST_INV : 0);
    pre[o + 3] = r.dst.addr & m;
    pre[o + 4] = m;
  }
  if (r.protocol && r.protocol.proto !== 0) {
    fl |= HAS_PROTO | (r.protocol.invert ? PROTO_INV : 0);
    pre[o + 5] = r.protocol.proto;
  }
  let exact = r.inIface === undefined && r.outIface === undefined;
  const ms = r.matches;
  for (let k = 0; k < ms.length; k++) {
    const m = ms[k]!;
    if (m.kind === 'comment') continue;
    if (
      (m.kind === 'tcp' || m.kind === 'udp') &&
      !(fl & HAS_L4) &&
      !m.sport &&
      (m.kind === 'udp' || (!m.tcpFlags && !m.syn)) &&
      (!m.dport || !m.dport.invert)
    ) {
      fl |= HAS_L4;
      pre[o + 5] = pre[o + 5]! | ((m.kind === 'tcp' ? 6 : 17) << 16);
      pre[o + 6] = m.dport ? m.dport.from : 0;
      pre[o + 7] = m.dport ? m.dport.to : 65535;
      continue;
    }
    // The draw stays where it was: only a last match may be a packed statistic.
    if (m.kind === 'statistic' && m.mode === 'random' && !m.invert && ms.slice(k + 1).every((x) => x.kind === 'comment')) {
      fl |= HAS_STAT;
      prob[i] = m.probability;
      continue;
    }
    exact = false;
  }
  pre[o] = fl | (exact ? EXACT : 0);
}

interface ChainIndex {
  /**
   * Positions of rules with an exact (/32, not inverted) destination, by that address: a
   * position, or the ascending positions when several rules name the same address.
   */
  readonly byDst: Map<number, number | readonly number[]> | undefined;
  /** Positions of every other rule (ascending). */
  readonly wild: readonly number[];
  /** Every rule's packed tests (see PRE). */
  readonly pre: Int32Array;
  readonly prob: Float64Array;
}

const INDEX = Symbol('index');
/** Chains shorter than this are not indexed by destination. */
const INDEXED = 16;
/** RANGES[n]: the positions 0..n-1, shared by every short chain. */
const RANGES: readonly (readonly number[])[] = Array.from({ length: INDEXED }, (_, n) => Array.from({ length: n }, (_, i) => i));
const NONE: readonly number[] = [];

/** The chain's destination index (cached on the immutable chain, see cache.ts). */
function indexOf(chain: Chain): ChainIndex {
  return cached(chain, INDEX, (c) => {
    const rules = c.rules;
    let byDst: Map<number, number | number[]> | undefined;
    let wild: readonly number[];
    if (rules.length < INDEXED) {
      // A short chain is walked whole (its packed tests are one read): no map to touch.
      wild = RANGES[rules.length]!;
    } else {
      const map = new Map<number, number | number[]>();
      const rest: number[] = [];
      for (let i = 0; i < rules.length; i++) {
        const d = rules[i]!.dst;
        if (d && d.len === 32 && !d.invert) {
          const had = map.get(d.addr);
          if (had === undefined) map.set(d.addr, i);
          else if (typeof had === 'number') map.set(d.addr, [had, i]);
          else had.push(i);
        } else {
          rest.push(i);
        }
      }
      if (map.size) byDst = map;
      wild = rest.length === 0 ? NONE : rest;
    }
    const pre = new Int32Array(rules.length * PRE);
    const prob = new Float64Array(rules.length);
    for (let i = 0; i < rules.length; i++) pack(rules[i]!, pre, prob, i);
    return { byDst, wild: wild.length ? wild : NONE, pre, prob };
  });
}

/**
 * A chain as one table sees it: its (shared) index and the chains its jumps reach in this table,
 * resolved on first use — a jump costs an array read, not a lookup among 20,000 chain names.
 * Built lazily per Table (immutable), so a lookup pays only for the chains packets reach.
 */
interface Linked {
  readonly chain: Chain;
  readonly ix: ChainIndex;
  /** By rule position: the jump's chain, null when it is missing, undefined until first used. */
  readonly next: (Linked | null | undefined)[];
}

const LINKED = Symbol('linked');

function linked(table: Table, name: string): Linked | null {
  const all = cached(table, LINKED, () => new Map<string, Linked | null>());
  let l = all.get(name);
  if (l === undefined) {
    const chain = table.chains.get(name);
    l = chain ? { chain, ix: indexOf(chain), next: new Array<Linked | null | undefined>(chain.rules.length) } : null;
    all.set(name, l);
  }
  return l;
}

/**
 * Where a traversal is in a chain: the candidate positions for the packet's destination are the
 * exact ones (`exact`, from `ei`) merged with the wildcard ones (`wild`, from `wi`), in rule order.
 */
interface Frame {
  l: Linked;
  exact: number | readonly number[];
  ei: number;
  wi: number;
}

function enter(l: Linked, dst: number): Frame {
  const byDst = l.ix.byDst;
  return { l, exact: byDst === undefined ? NONE : (byDst.get(dst) ?? NONE), ei: 0, wi: 0 };
}

/** The next candidate position of the frame (advancing it), or -1 at the chain's end. */
function nextPosition(f: Frame): number {
  const wild = f.l.ix.wild;
  const w = f.wi < wild.length ? wild[f.wi]! : -1;
  const x = f.exact;
  const e = typeof x === 'number' ? (f.ei === 0 ? x : -1) : f.ei < x.length ? x[f.ei]! : -1;
  if (e >= 0 && (w < 0 || e < w)) {
    f.ei++;
    return e;
  }
  if (w >= 0) f.wi++;
  return w;
}

export interface TraceSink {
  (detail: () => string): void;
}

/**
 * Runs one table's built-in chain on a packet. MARK, CONNMARK, CT and LOG act and continue; the NAT targets
 * end traversal with the binding to make. Returns accept when the policy (or a RETURN from the
 * built-in chain) lets it through.
 */
export function runChain(rs: Ruleset, tableName: TableName, hook: string, ctx: PacketCtx, env: MatchEnv, trace: TraceSink): Verdict {
  const table = rs.table(tableName);
  const start = table ? linked(table, hook) : null;
  if (!table || !start) return { kind: 'accept' };
  const bytes = ipLength(ctx.p);
  const dst = ctx.p.dst;
  const dstBits = dst | 0;
  const src = ctx.p.src | 0;
  const proto = ctx.p.protocol;
  const l4 = ctx.p.payload;
  const l4Kind = l4.kind === 'tcp' ? 6 : l4.kind === 'udp' ? 17 : -1;
  const dport = l4.kind === 'tcp' || l4.kind === 'udp' ? l4.dstPort : -1;
  const stack: Frame[] = [];
  let f = enter(start, dst);
  for (let guard = 0; guard < 1_000_000; guard++) {
    const at = nextPosition(f);
    const chain = f.l.chain;
    if (at < 0) {
      // The end of a user chain returns; the end of the built-in chain applies its policy.
      const back = stack.pop();
      if (back) {
        f = back;
        continue;
      }
      // iptables-nft counts policy hits only on built-in chains a restore declared or -P set.
      const policy = chain.policy ?? 'ACCEPT';
      if (rs.countsPolicy(tableName, chain.name)) {
        const pc = rs.policyCounters(tableName, chain.name);
        pc.packets++;
        pc.bytes += bytes;
      }
      trace(() => `${tableName} ${chain.name}: policy ${policy}`);
      return policy === 'ACCEPT' ? { kind: 'accept' } : { kind: 'drop', reason: `${tableName} ${chain.name} policy DROP` };
    }
    // The packed tests first (the same tests ruleMatches makes first, in its order).
    const pre = f.l.ix.pre;
    const o = at * PRE;
    const fl = pre[o]!;
    if (fl & HAS_SRC && ((src & pre[o + 2]!) === pre[o + 1]) === ((fl & SRC_INV) !== 0)) continue;
    if (fl & HAS_DST && ((dstBits & pre[o + 4]!) === pre[o + 3]) === ((fl & DST_INV) !== 0)) continue;
    const rule = chain.rules[at]!;
    if (fl & EXACT) {
      if (fl & HAS_PROTO && (proto === (pre[o + 5]! & 0xffff)) === ((fl & PROTO_INV) !== 0)) continue;
      if (fl & HAS_L4 && (l4Kind !== pre[o + 5]! >>> 16 || dport < pre[o + 6]! || dport > pre[o + 7]!)) continue;
      if (fl & HAS_STAT && !(env.rng.float() < f.l.ix.prob[at]!)) continue;
    } else if (!ruleMatches(rule, ctx, env)) continue;
    const c = rs.counters(rule);
    c.packets++;
    c.bytes += bytes;
    const name = chain.name;
    trace(() => `${tableName} ${rs.describe(name, rule)}`);
    const t = rule.target;
    switch (t.kind) {
      case 'none':
      case 'LOG':
        continue;
      case 'MARK':
        ctx.mark = ((ctx.mark & ~t.mask) ^ t.value) >>> 0;
        continue;
      case 'CONNMARK': {
        const conn = trackedConn(ctx);
        if (!conn) continue;
        if (t.mode === 'set') conn.mark = ((conn.mark & ~t.ctmask) ^ t.value) >>> 0;
        else if (t.mode === 'save') conn.mark = ((conn.mark & ~t.ctmask) ^ (ctx.mark & t.nfmask)) >>> 0;
        else ctx.mark = ((ctx.mark & ~t.nfmask) ^ (conn.mark & t.ctmask)) >>> 0;
        continue;
      }
      case 'CT':
        // xt_CT: only a packet not yet tracked (the raw table runs before conntrack) can be left untracked.
        if (t.notrack && !ctx.ct) ctx.ct = { conn: UNTRACKED_CONN, dir: 'original', info: 'UNTRACKED' };
        continue;
      case 'ACCEPT':
        return { kind: 'accept' };
      case 'DROP':
        return { kind: 'drop', reason: `${tableName} ${rs.describe(name, rule)}` };
      case 'REJECT':
        return { kind: 'reject', target: t };
      case 'DNAT':
      case 'SNAT':
      case 'MASQUERADE':
      case 'REDIRECT':
        return { kind: 'nat', target: t };
      case 'RETURN': {
        // RETURN pops a return point; from the built-in chain itself it means "apply the policy".
        const back = stack.pop();
        if (back) f = back;
        else f = { l: f.l, exact: NONE, ei: 0, wi: f.l.ix.wild.length };
        continue;
      }
      case 'jump': {
        let next = f.l.next[at];
        if (next === undefined) next = f.l.next[at] = linked(table, t.chain);
        if (!next) return { kind: 'drop', reason: `jump to missing chain ${t.chain}` };
        if (!t.goto) stack.push(f);
        f = enter(next, dst);
        continue;
      }
    }
  }
  return { kind: 'drop', reason: `${tableName} ${hook}: rule loop` };
}
