// Chain traversal (ipt_do_table): first match wins, jumps push a return point, goto does not,
// RETURN pops, a built-in chain's end applies its policy. Hot chains are indexed by exact
// destination address, so a lookup in KUBE-SERVICES with 100,000 rules visits only the rules
// for the packet's destination plus those that match any destination — in their original order.
// Rules are read from the namespace's rows (table-links.ts); a rule object only when its tests
// are not all packed, or for a trace line.
import { ipLength } from '../xmit.js';
import {
  DST_INV,
  EXACT,
  HAS_DST,
  HAS_L4,
  HAS_PROTO,
  HAS_SRC,
  dstSlot,
  HAS_STAT,
  INDEXED,
  NONE,
  RANGES,
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
import { DNAT_ADDR, DNAT_PORT, HINT, MISSING, NEXT, NOT_LINKED, PACKETS, ROW, RULES, type TableLinks } from './table-links.js';
import type { NatRange, Rule, Table, TableName, Target } from './types.js';

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
 * Where a traversal is in a chain (its first row `base`): the candidate positions for the
 * packet's destination are the exact ones (`xs` from `ei` to `eEnd`: the destination table's slot
 * for one rule, the chain's dstRules for several) merged with the others (`wild`, from `wi`), in
 * rule order. A short chain has no index: its positions are all wild.
 */
interface Frame {
  base: number;
  xs: Int32Array;
  ei: number;
  eEnd: number;
  wild: readonly number[];
  wi: number;
}

const NO_POSITIONS = new Int32Array(0);

function enter(links: TableLinks, base: number, dst: number): Frame {
  const n = links.code[base + RULES]!;
  if (n < INDEXED) return { base, xs: NO_POSITIONS, ei: 0, eEnd: 0, wild: RANGES[n]!, wi: 0 };
  const lc = links.at(base);
  const dsts = lc.dsts;
  const s = dsts === undefined ? -1 : dstSlot(dsts, dst);
  if (s < 0) return { base, xs: NO_POSITIONS, ei: 0, eEnd: 0, wild: lc.wild, wi: 0 };
  const count = dsts![s + 2]!;
  if (count === 1) {
    const hint = dsts![s + HINT]!;
    if (hint !== 0) touch(links.code, base + dsts![s + 1]! * ROW, hint);
    return { base, xs: dsts!, ei: s + 1, eEnd: s + 2, wild: lc.wild, wi: 0 };
  }
  const from = dsts![s + 1]!;
  return { base, xs: lc.dstRules, ei: from, eEnd: from + count, wild: lc.wild, wi: 0 };
}

/** Where touch() leaves what it read, so the reads are not optimized away. */
const sink = { x: 0 };

/**
 * Reads the rule's row, then the first int of each row its hint names (LinkedChain.dsts): the
 * loads are independent, so the processor has them all in flight at once.
 */
function touch(code: Int32Array, row: number, hint: number): void {
  const first = (hint >>> 8) * ROW;
  const n = hint & 255;
  let x = code[row]!;
  for (let k = 0; k < n; k++) x ^= code[first + k * ROW]!;
  sink.x ^= x;
}

/** The next candidate position of the frame (advancing it), or -1 at the chain's end. */
function nextPosition(f: Frame): number {
  const wild = f.wild;
  const w = f.wi < wild.length ? wild[f.wi]! : -1;
  const e = f.ei < f.eEnd ? f.xs[f.ei]! : -1;
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
  const start = links ? links.chain(hook) : MISSING;
  if (!links || start === MISSING) return { kind: 'accept' };
  links.dirty = true;
  let code = links.code;
  let counts = links.counts;
  const bytes = ipLength(ctx.p);
  const dst = ctx.p.dst;
  const dstBits = dst | 0;
  const src = ctx.p.src | 0;
  const proto = ctx.p.protocol;
  const l4 = ctx.p.payload;
  const l4Kind = l4.kind === 'tcp' ? 6 : l4.kind === 'udp' ? 17 : -1;
  const dport = l4.kind === 'tcp' || l4.kind === 'udp' ? l4.dstPort : -1;
  const stack: Frame[] = [];
  let f = enter(links, start, dst);
  for (let guard = 0; guard < 1_000_000; guard++) {
    const at = nextPosition(f);
    const base = f.base;
    if (at < 0) {
      // The end of a user chain returns; the end of the built-in chain applies its policy.
      const back = stack.pop();
      if (back) {
        f = back;
        continue;
      }
      // The built-in chain's policy, also at the end of a chain a goto left the stack empty in
      // (ipt_do_table's underflow entry). iptables-nft counts policy hits only on built-in
      // chains a restore declared or -P set.
      const lc = links.at(start);
      const chain = lc.chain;
      const policy = chain.policy ?? 'ACCEPT';
      const pc = links.policyCounters(lc);
      if (pc) {
        pc.packets++;
        pc.bytes += bytes;
      }
      trace(() => `${tableName} ${chain.name}: policy ${policy}`);
      return policy === 'ACCEPT' ? { kind: 'accept' } : { kind: 'drop', reason: `${tableName} ${chain.name} policy DROP` };
    }
    // The packed tests first (the same tests ruleMatches makes first, in its order).
    const o = base + at * ROW;
    const fl = code[o]!;
    if (fl & HAS_SRC && ((src & code[o + 2]!) === code[o + 1]) === ((fl & SRC_INV) !== 0)) continue;
    if (fl & HAS_DST && ((dstBits & code[o + 4]!) === code[o + 3]) === ((fl & DST_INV) !== 0)) continue;
    if (fl & EXACT) {
      if (fl & HAS_PROTO && (proto === (code[o + 5]! & 0xffff)) === ((fl & PROTO_INV) !== 0)) continue;
      if (fl & HAS_L4 && (l4Kind !== code[o + 5]! >>> 16 || dport < (code[o + 6]! & 0xffff) || dport > code[o + 6]! >>> 16)) continue;
      if (fl & HAS_STAT && (env.rng.u32() > code[o + 7]! >>> 0 || fl & STAT_NEVER)) continue;
    } else if (!ruleMatches(links.at(base).chain.rules[at]!, ctx, env)) continue;
    const cf = (o >> 1) + PACKETS;
    counts[cf] = counts[cf]! + 1;
    counts[cf + 1] = counts[cf + 1]! + bytes;
    trace(() => {
      const c = links.at(base).chain;
      return `${tableName} ${rs.describe(c.name, c.rules[at]!)}`;
    });
    // Jumps, ACCEPT and RETURN are told by the packed kind: the rule object is not read.
    switch (fl >>> TARGET_SHIFT) {
      case TARGET_ACCEPT:
        return { kind: 'accept' };
      case TARGET_RETURN: {
        // RETURN pops a return point; with none (the built-in chain, or a chain it went to with
        // -g) it means "apply the built-in chain's policy".
        const back = stack.pop();
        if (back) f = back;
        else f = { base: start, xs: NO_POSITIONS, ei: 0, eEnd: 0, wild: NONE, wi: 0 };
        continue;
      }
      case TARGET_JUMP:
      case TARGET_GOTO: {
        let next = code[o + NEXT]!;
        if (next === NOT_LINKED) {
          next = links.next(links.at(base), o);
          code = links.code;
          counts = links.counts;
        }
        if (next === MISSING) {
          const rule = links.at(base).chain.rules[at]!;
          return { kind: 'drop', reason: `jump to missing chain ${(rule.target as { chain: string }).chain}` };
        }
        if (fl >>> TARGET_SHIFT === TARGET_JUMP) stack.push(f);
        f = enter(links, next, dst);
        continue;
      }
    }
    const nat = code[o + DNAT_PORT]!;
    if (nat !== 0) {
      const a = code[o + DNAT_ADDR]! >>> 0;
      const to: NatRange = nat === 1 ? { minAddr: a, maxAddr: a } : { minAddr: a, maxAddr: a, minPort: nat - 2, maxPort: nat - 2 };
      return { kind: 'nat', target: { kind: 'DNAT', to } };
    }
    const t = links.targets[o / ROW]!;
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
      case 'DROP': {
        const c = links.at(base).chain;
        return { kind: 'drop', reason: `${tableName} ${rs.describe(c.name, c.rules[at]!)}` };
      }
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
