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

interface ChainIndex {
  /** Positions of rules with an exact (/32, not inverted) destination, by that address. */
  readonly byDst: Map<number, number[]>;
  /** Positions of every other rule. */
  readonly wild: number[];
}

const INDEX = Symbol('index');

/** The chain's destination index (cached on the immutable chain, see cache.ts). */
function indexOf(chain: Chain): ChainIndex {
  return cached(chain, INDEX, (c) => {
    const byDst = new Map<number, number[]>();
    const wild: number[] = [];
    c.rules.forEach((r, i) => {
      if (r.dst && r.dst.len === 32 && !r.dst.invert) {
        const list = byDst.get(r.dst.addr);
        if (list) list.push(i);
        else byDst.set(r.dst.addr, [i]);
      } else {
        wild.push(i);
      }
    });
    return { byDst, wild };
  });
}

/** The positions of `chain` that can match a packet to `dst`, ascending (first-match order kept). */
function candidates(chain: Chain, dst: number): readonly number[] {
  const ix = indexOf(chain);
  if (ix.byDst.size === 0) return ix.wild;
  const exact = ix.byDst.get(dst);
  if (!exact) return ix.wild;
  if (ix.wild.length === 0) return exact;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < exact.length || j < ix.wild.length) {
    if (j >= ix.wild.length || (i < exact.length && exact[i]! < ix.wild[j]!)) out.push(exact[i++]!);
    else out.push(ix.wild[j++]!);
  }
  return out;
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
  const start = table?.chains.get(hook);
  if (!table || !start) return { kind: 'accept' };
  const bytes = ipLength(ctx.p);
  const stack: { chain: Chain; list: readonly number[]; at: number }[] = [];
  let chain = start;
  let list = candidates(chain, ctx.p.dst);
  let at = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    if (at >= list.length) {
      // The end of a user chain returns; the end of the built-in chain applies its policy.
      const back = stack.pop();
      if (back) {
        ({ chain, list, at } = back);
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
    const rule = chain.rules[list[at]!]!;
    at++;
    if (!ruleMatches(rule, ctx, env)) continue;
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
        if (back) ({ chain, list, at } = back);
        else at = list.length;
        continue;
      }
      case 'jump': {
        const next = table.chains.get(t.chain);
        if (!next) return { kind: 'drop', reason: `jump to missing chain ${t.chain}` };
        if (!t.goto) stack.push({ chain, list, at });
        chain = next;
        list = candidates(chain, ctx.p.dst);
        at = 0;
        continue;
      }
    }
  }
  return { kind: 'drop', reason: `${tableName} ${hook}: rule loop` };
}
