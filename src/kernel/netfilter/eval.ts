// Chain traversal (ipt_do_table): first match wins, jumps push a return point, goto does not,
// RETURN pops, a built-in chain's end applies its policy. Hot chains are indexed by exact
// destination address, so a lookup in KUBE-SERVICES with 100,000 rules visits only the rules
// for the packet's destination plus those that match any destination — in their original order.
import { ipLength } from '../xmit.js';
import {
  DST_INV,
  EXACT,
  HAS_DST,
  HAS_L4,
  HAS_PROTO,
  HAS_SRC,
  HAS_STAT,
  NONE,
  PRE,
  PROTO_INV,
  SRC_INV,
  STAT_NEVER,
  TARGET_ACCEPT,
  TARGET_GOTO,
  TARGET_JUMP,
  TARGET_RETURN,
  TARGET_SHIFT,
} from './chain-index.js';
import { UNTRACKED_CONN } from './conntrack.js';
import { ruleMatches, trackedConn, type MatchEnv, type PacketCtx } from './match.js';
import type { Linked, TableLinks } from './table-links.js';
import type { Counters, NatRange, Rule, Table, TableName, Target } from './types.js';

export interface Ruleset {
  /** The table, or undefined when it was never created in this namespace. */
  table(name: TableName): Table | undefined;
  /** The committed table linked for lookups in this namespace (see table-links.ts), or undefined. */
  links(name: TableName): TableLinks | undefined;
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
  const byDst = l.byDst;
  return { l, exact: byDst === undefined ? NONE : (byDst.get(dst) ?? NONE), ei: 0, wi: 0 };
}

/** The next candidate position of the frame (advancing it), or -1 at the chain's end. */
function nextPosition(f: Frame): number {
  const wild = f.l.wild;
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
  const links = rs.links(tableName);
  const start = links ? links.chain(hook) : null;
  if (!links || !start) return { kind: 'accept' };
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
    const l = f.l;
    if (at < 0) {
      // The end of a user chain returns; the end of the built-in chain applies its policy.
      const back = stack.pop();
      if (back) {
        f = back;
        continue;
      }
      // iptables-nft counts policy hits only on built-in chains a restore declared or -P set.
      const chain = l.chain;
      const policy = chain.policy ?? 'ACCEPT';
      const pc = links.policyCounters(l);
      if (pc) {
        pc.packets++;
        pc.bytes += bytes;
      }
      trace(() => `${tableName} ${chain.name}: policy ${policy}`);
      return policy === 'ACCEPT' ? { kind: 'accept' } : { kind: 'drop', reason: `${tableName} ${chain.name} policy DROP` };
    }
    // The packed tests first (the same tests ruleMatches makes first, in its order).
    const pre = l.pre;
    const o = at * PRE;
    const fl = pre[o]!;
    if (fl & HAS_SRC && ((src & pre[o + 2]!) === pre[o + 1]) === ((fl & SRC_INV) !== 0)) continue;
    if (fl & HAS_DST && ((dstBits & pre[o + 4]!) === pre[o + 3]) === ((fl & DST_INV) !== 0)) continue;
    if (fl & EXACT) {
      if (fl & HAS_PROTO && (proto === (pre[o + 5]! & 0xffff)) === ((fl & PROTO_INV) !== 0)) continue;
      if (fl & HAS_L4 && (l4Kind !== pre[o + 5]! >>> 16 || dport < (pre[o + 6]! & 0xffff) || dport > pre[o + 6]! >>> 16)) continue;
      if (fl & HAS_STAT && (env.rng.u32() > pre[o + 7]! >>> 0 || fl & STAT_NEVER)) continue;
    } else if (!ruleMatches(l.chain.rules[at]!, ctx, env)) continue;
    let c = l.slots[2 * at + 1] as Counters | undefined;
    if (c === undefined) c = links.counters(l, at);
    c.packets++;
    c.bytes += bytes;
    trace(() => `${tableName} ${rs.describe(l.chain.name, l.chain.rules[at]!)}`);
    // Jumps, ACCEPT and RETURN are told by the packed kind: the rule object is not read.
    switch (fl >>> TARGET_SHIFT) {
      case TARGET_ACCEPT:
        return { kind: 'accept' };
      case TARGET_RETURN: {
        // RETURN pops a return point; from the built-in chain itself it means "apply the policy".
        const back = stack.pop();
        if (back) f = back;
        else f = { l, exact: NONE, ei: 0, wi: l.wild.length };
        continue;
      }
      case TARGET_JUMP:
      case TARGET_GOTO: {
        let next = l.slots[2 * at] as Linked | null | undefined;
        if (next === undefined) next = links.next(l, at, (l.chain.rules[at]!.target as { chain: string }).chain);
        if (!next) return { kind: 'drop', reason: `jump to missing chain ${(l.chain.rules[at]!.target as { chain: string }).chain}` };
        if (fl >>> TARGET_SHIFT === TARGET_JUMP) stack.push(f);
        f = enter(next, dst);
        continue;
      }
    }
    let t = l.slots[2 * at] as Target | undefined;
    if (t === undefined) t = links.target(l, at);
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
      case 'DROP':
        return { kind: 'drop', reason: `${tableName} ${rs.describe(l.chain.name, l.chain.rules[at]!)}` };
      case 'REJECT':
        return { kind: 'reject', target: t };
      case 'DNAT':
      case 'SNAT':
      case 'MASQUERADE':
      case 'REDIRECT':
        return { kind: 'nat', target: t };
      case 'ACCEPT':
      case 'RETURN':
      case 'jump':
        // Told by the packed kind above.
        continue;
    }
  }
  return { kind: 'drop', reason: `${tableName} ${hook}: rule loop` };
}
