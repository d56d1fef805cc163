// One namespace's committed table as the evaluator walks it: the chains packets reach, laid out
// on first use in one arena of 64-byte rows (one cache line a rule). A chain is a row per rule
// (one row for an empty chain): the rule's packed tests (chain-index.ts), the block of the chain
// its jump reaches (an int read per jump, not a lookup among 40,000 chain names) and the packets
// and bytes it counted since the counters were last settled; the first row also holds the
// chain's rule count and number, so entering a chain reads no line of its own. A short chain's callees are laid out right
// after it when it is linked, so kube-proxy's KUBE-SVC- chain and its KUBE-SEP- chains share a
// few adjacent lines: with 10,000 services a lookup's cost is its cache misses, and a lookup
// through rule objects, per-chain arrays and counter objects spread over the heap took about
// twenty. The namespace settles the counts into its per-rule counters before anything reads
// them and drops the links whenever a table or a counter is replaced.
import { dstSlot, indexOf, PRE, TARGET_GOTO, TARGET_JUMP, TARGET_OTHER, TARGET_SHIFT, type ChainIndex } from './chain-index.js';
import type { Chain, Counters, NatRange, Rule, Table, TableName, Target } from './types.js';

/** Where the namespace keeps its counters (IptablesState). */
export interface CounterStore {
  /** A rule's counters, as kept (not settled: the links settle into them). */
  keptCounters(rule: Rule): Counters;
  /** Whether a built-in chain counts its policy hits, and its policy counters. */
  countsPolicy(table: TableName, chain: string): boolean;
  policyCounters(table: TableName, chain: string): Counters;
}

/** Int32s a row (64 bytes). */
export const ROW = 16;
/** A jump's row: the int holding its callee block, NOT_LINKED until first taken, MISSING when no such chain. */
export const NEXT = PRE;
export const NOT_LINKED = -1;
export const MISSING = -2;
/** A rule row's counts, in Float64 units from the row's start (row * ROW / 2): packets, then bytes. */
export const PACKETS = 6;
export const BYTES = 7;
/**
 * The row of a rule whose target the row does not tell (no jump: NEXT is free) packs a plain
 * DNAT (one address, at most one port, no --random or --persistent): DNAT_PORT holds 1 for no
 * port, port + 2 for one (0: not packed), DNAT_ADDR the address. The lookup builds the target
 * from them instead of reading the rule's target and its range, two more misses a new connection.
 */
export const DNAT_PORT = NEXT;
export const DNAT_ADDR = NEXT + 1;
/** The ints of a chain's first row holding the chain's rule count and its number in TableLinks.chains. */
export const RULES = 10;
export const NUMBER = 11;

/** Chains at most this long have their callees laid out with them. */
const SHORT = 16;

/** A linked chain: its first row (`base`; rule i is row base + i) and what rows do not hold. */
export interface LinkedChain {
  readonly chain: Chain;
  readonly base: number;
  /**
   * The chain's destination table (ChainIndex.dsts), this namespace's copy: its spare int
   * (HINT) tells, for a destination's single rule whose jump was taken, the rows the callee
   * was laid out in (see hintOf). A lookup reads them as soon as it has the slot, so their
   * cache misses overlap the rule row's instead of following it one after the other
   * (KUBE-SERVICES' row, then KUBE-SVC-'s, then KUBE-SEP-'s: at 10,000 services, misses).
   */
  readonly dsts: ChainIndex['dsts'];
  readonly dstRules: Int32Array;
  readonly wild: readonly number[];
  /** Rows link() laid out from `base`: the chain's, then its callees' when short. */
  extent: number;
  /** The policy's counters; null when the policy counts nothing; undefined until first asked. */
  policy: Counters | null | undefined;
}

/** The int of a destination slot holding its hint (see LinkedChain.hints). */
export const HINT = 3;
/** A hint: the callee's first row number × 256 + the rows to read (at most 255); 0 for none. */
const hintOf = (base: number, extent: number): number => (base / ROW) * 256 + Math.min(extent, 255);
/** Row numbers a hint can hold (it is an int32). */
const HINT_ROWS = 1 << 23;

/** DNAT_PORT's value for a DNAT target (see DNAT_PORT), 0 when it is not a plain one. */
function plainDnat(t: Extract<Target, { kind: 'DNAT' }>): number {
  const r = t.to;
  if (t.random || t.persistent || r.minAddr === undefined || r.maxAddr !== r.minAddr || r.maxPort !== r.minPort) return 0;
  return r.minPort === undefined ? 1 : r.minPort + 2;
}

export class TableLinks {
  /** The rows; `counts` views the same memory (reread both after link(), which may grow them). */
  code = new Int32Array(64 * ROW);
  counts = new Float64Array(this.code.buffer);
  /** Targets of rules whose target a row does not tell (MARK, DNAT...), by row. */
  readonly targets: (Target | undefined)[] = [];
  /** Linked chains by number. */
  readonly chains: LinkedChain[] = [];
  /** Counts were added since the last settle(). */
  dirty = false;
  private rows = 0;
  /** Chain name → first row, or MISSING. */
  private readonly blocks = new Map<string, number>();

  constructor(
    readonly table: Table,
    private readonly store: CounterStore,
  ) {}

  /** The first row of the chain (linked on first use), or MISSING when the table has no such chain. */
  chain(name: string): number {
    const b = this.blocks.get(name);
    return b !== undefined ? b : this.link(name, true);
  }

  /** The linked chain whose first row is `base`. */
  at(base: number): LinkedChain {
    return this.chains[this.code[base + NUMBER]!]!;
  }

  /** The callee block of the jump at `row` of chain `lc` (linking it on first use), or MISSING. */
  next(lc: LinkedChain, row: number): number {
    const at = (row - lc.base) / ROW;
    const rule = lc.chain.rules[at]!;
    const b = this.chain((rule.target as { chain: string }).chain);
    this.code[row + NEXT] = b;
    const d = rule.dst;
    const dsts = lc.dsts;
    if (dsts !== undefined && b >= 0 && b / ROW < HINT_ROWS && d !== undefined && d.len === 32 && !d.invert) {
      const s = dstSlot(dsts, d.addr);
      if (s >= 0 && dsts[s + 2] === 1 && dsts[s + 1] === at) dsts[s + HINT] = hintOf(b, this.at(b).extent);
    }
    return b;
  }

  private link(name: string, withCallees: boolean): number {
    const chain = this.table.chains.get(name);
    if (!chain) {
      this.blocks.set(name, MISSING);
      return MISSING;
    }
    const rules = chain.rules;
    const n = rules.length;
    const ix = indexOf(chain);
    const base = this.grow(Math.max(n, 1));
    this.blocks.set(name, base);
    const code = this.code;
    code[base + RULES] = n;
    code[base + NUMBER] = this.chains.length;
    const lc: LinkedChain = {
      chain,
      base,
      dsts: ix.dsts?.slice(),
      dstRules: ix.dstRules,
      wild: ix.wild,
      extent: Math.max(n, 1),
      policy: undefined,
    };
    this.chains.push(lc);
    const pre = ix.pre;
    for (let i = 0; i < n; i++) {
      const row = base + i * ROW;
      for (let k = 0; k < PRE; k++) code[row + k] = pre[i * PRE + k]!;
      code[row + NEXT] = NOT_LINKED;
      if (pre[i * PRE]! >>> TARGET_SHIFT === TARGET_OTHER) {
        const t = rules[i]!.target;
        this.targets[row / ROW] = t;
        code[row + DNAT_PORT] = t.kind === 'DNAT' ? plainDnat(t) : 0;
        if (code[row + DNAT_PORT] !== 0) code[row + DNAT_ADDR] = (t as { to: NatRange }).to.minAddr! | 0;
      }
    }
    if (withCallees && n <= SHORT) {
      for (let i = 0; i < n; i++) {
        const kind = pre[i * PRE]! >>> TARGET_SHIFT;
        if (kind !== TARGET_JUMP && kind !== TARGET_GOTO) continue;
        const callee = (rules[i]!.target as { chain: string }).chain;
        const b = this.blocks.get(callee);
        // this.code may have grown: write through the current array.
        this.code[base + i * ROW + NEXT] = b !== undefined ? b : this.link(callee, false);
      }
      lc.extent = this.rows - base / ROW;
    }
    return base;
  }

  /** Room for `n` more rows; returns the first one's index (in int32s). */
  private grow(n: number): number {
    const at = this.rows;
    this.rows += n;
    if (this.rows * ROW > this.code.length) {
      let len = this.code.length;
      while (len < this.rows * ROW) len *= 2;
      const code = new Int32Array(len);
      code.set(this.code);
      this.code = code;
      this.counts = new Float64Array(code.buffer);
    }
    return at * ROW;
  }

  /** The counters of a built-in chain's policy, or null when iptables-nft counts nothing there. */
  policyCounters(lc: LinkedChain): Counters | null {
    let c = lc.policy;
    if (c === undefined) {
      const name = lc.chain.name;
      c = lc.policy = this.store.countsPolicy(this.table.name, name) ? this.store.policyCounters(this.table.name, name) : null;
    }
    return c;
  }

  /** Adds the counts of every rule row to the rules' counters and zeroes them. */
  settle(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const counts = this.counts;
    for (const lc of this.chains) {
      const rules = lc.chain.rules;
      for (let i = 0; i < rules.length; i++) {
        const f = ((lc.base + i * ROW) >> 1) + PACKETS;
        const p = counts[f]!;
        if (p === 0) continue;
        const c = this.store.keptCounters(rules[i]!);
        c.packets += p;
        c.bytes += counts[f + 1]!;
        counts[f] = 0;
        counts[f + 1] = 0;
      }
    }
  }
}
