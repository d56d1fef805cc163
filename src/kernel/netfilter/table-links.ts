// One namespace's committed table as the evaluator walks it. A chain a packet reaches is linked on
// first use to its shared index (chain-index.ts), to the chains its jumps reach (an array read
// per jump, not a lookup among 40,000 chain names) and to this namespace's counters of its rules
// and policy (an array read per matched rule, not a WeakMap probe). The namespace drops its links
// whenever a table or a counter is replaced, so they never outlive what they point to.
import { indexOf, type ChainIndex } from './chain-index.js';
import type { Chain, Counters, Rule, Table, TableName, Target } from './types.js';

/** Where the namespace keeps its counters (IptablesState). */
export interface CounterStore {
  counters(rule: Rule): Counters;
  /** Whether a built-in chain counts its policy hits, and its policy counters. */
  countsPolicy(table: TableName, chain: string): boolean;
  policyCounters(table: TableName, chain: string): Counters;
}

/**
 * A chain linked: its shared index's parts copied in (one object to reach, not two), and per rule
 * position two slots, each undefined until first used: what the rule leads to (for a jump, the
 * chain, null when missing; otherwise its target, so the rule object is not read) then the
 * rule's counters — both in one place of one array.
 */
export interface Linked {
  readonly chain: Chain;
  readonly pre: Int32Array;
  readonly byDst: ChainIndex['byDst'];
  readonly wild: readonly number[];
  readonly slots: (Linked | null | Target | Counters | undefined)[];
  /** The policy's counters; null when the policy counts nothing; undefined until first asked. */
  policy: Counters | null | undefined;
}

export class TableLinks {
  private readonly chains = new Map<string, Linked | null>();

  constructor(
    readonly table: Table,
    private readonly store: CounterStore,
  ) {}

  /** The chain linked, or null when the table has no such chain. */
  chain(name: string): Linked | null {
    let l = this.chains.get(name);
    if (l === undefined) {
      const chain = this.table.chains.get(name);
      if (chain) {
        const ix = indexOf(chain);
        const slots = new Array<Linked | null | Target | Counters | undefined>(2 * chain.rules.length);
        l = { chain, pre: ix.pre, byDst: ix.byDst, wild: ix.wild, slots, policy: undefined };
      } else l = null;
      this.chains.set(name, l);
    }
    return l;
  }

  /** The chain a jump at `at` reaches (linked on first use). */
  next(l: Linked, at: number, name: string): Linked | null {
    let n = l.slots[2 * at] as Linked | null | undefined;
    if (n === undefined) n = l.slots[2 * at] = this.chain(name);
    return n;
  }

  /** The target of the rule at `at` (not a jump). */
  target(l: Linked, at: number): Target {
    let t = l.slots[2 * at] as Target | undefined;
    if (t === undefined) t = l.slots[2 * at] = l.chain.rules[at]!.target;
    return t;
  }

  /** The counters of the rule at `at`. */
  counters(l: Linked, at: number): Counters {
    let c = l.slots[2 * at + 1] as Counters | undefined;
    if (c === undefined) c = l.slots[2 * at + 1] = this.store.counters(l.chain.rules[at]!);
    return c;
  }

  /** The counters of a built-in chain's policy, or null when iptables-nft counts nothing there. */
  policyCounters(l: Linked): Counters | null {
    let c = l.policy;
    if (c === undefined) {
      const name = l.chain.name;
      c = l.policy = this.store.countsPolicy(this.table.name, name) ? this.store.policyCounters(this.table.name, name) : null;
    }
    return c;
  }
}
