// A table transaction: begin from the committed table, apply changes to a working copy, then
// commit them at once or abort, leaving the committed Table untouched either way until a commit
// succeeds (nf_tables' batch: one transaction per table block). Each change makes the checks
// iptables makes in user space (they throw at once: "iptables: Chain already exists.") and
// collects those the kernel makes when the batch is committed ("RULE_APPEND failed (Invalid
// argument)"): targets allowed only in some tables and hooks, jumps to built-in chains, loops
// reachable from a hook, deleting a chain that is referenced or not empty. A commit with
// collected refusals throws them and changes nothing.
import { BAD_RULE, ENOENT_CHAIN, errnoError, IptablesError, paramError, type NetlinkFailure } from './xtables/rulespec-error.js';
import type { ParsedCommand } from './xtables/rulespec.js';
import { allowedHooks, HOOK_BITS, validInTable } from './tables-checks.js';
import { LayeredCounts } from './layered-counts.js';
import { ChainMap } from './chain-map.js';
import { chainId, chainInterner, internTable, ownChain, ruleText } from './tables-intern.js';
import { TABLE_CHAINS, type Chain, type Counters, type Rule, type Table, type TableName } from './types.js';
import { ChainOrder, WorkChains, type Policy, type WorkChain } from './work-chains.js';

export type { Policy };

const jumpOf = (r: Rule): string | undefined => (r.target.kind === 'jump' ? r.target.chain : undefined);

/** A transaction's committed form (see TableTransaction.build). */
export interface Built {
  readonly table: Table | undefined;
  /** Each rule of the transaction whose chain was replaced by a shared one, with the rule that stands for it. */
  readonly replaced: readonly [Rule, Rule][];
  /** The rules (as committed) this transaction added: new rules, whose counters start at zero. */
  readonly fresh: readonly Rule[];
}

/** One committed table change: enough to replay it on another namespace in the same state. */
export interface Committed {
  readonly name: TableName;
  readonly table: Table | undefined;
  readonly facts: TableFacts;
  /** Rules the change added: their counters start at zero. */
  readonly fresh: readonly Rule[];
  /** Rules whose chain was swapped for a shared one: counters move from the first to the second. */
  readonly moves: readonly (readonly [Rule, Rule])[];
  /** The table was flushed first (restore without --noflush): policy counters restart. */
  readonly flushed: boolean;
}

/** Where a transaction's table lives (the namespace's IptablesState): it installs what a commit built. */
export interface TransactionHome {
  install(tx: TableTransaction, built: Built): Committed;
}

/** Counter changes an operation asks for, applied only when the batch commits. */
export interface CounterEffects {
  /** Rule counters to set (-c, `[p:b]`, -Z sets zero). */
  readonly rules: Map<Rule, Counters>;
  /** Built-in chain counters to set, by chain name. */
  readonly policies: Map<string, Counters>;
  /** Counters that follow a rule rewritten by a rename (old rule → new rule). */
  readonly moves: [Rule, Rule][];
  /** The table was flushed (restore without --noflush): its old counters are gone. */
  flushed: boolean;
}

/**
 * What nf_tables knows about a table beyond its rules, per namespace: which built-in chains it
 * has created (a rule, a policy or a restore declaration creates one; until then `-D INPUT 1`
 * says there is no such chain), and the order user chains were created in (the kernel's order,
 * which `-X` without a name walks; listings sort by name).
 */
export interface TableFacts {
  readonly builtins: ReadonlySet<string>;
  readonly order: readonly string[];
  /**
   * Built-in chains declared by an iptables-restore `:CHAIN POLICY [p:b]` line or given a policy
   * by `-P`: iptables-nft gives those a policy counter, while chains it creates implicitly
   * (-A, -I) count nothing.
   */
  readonly countedPolicies: ReadonlySet<string>;
}

/**
 * What a transaction worked out about a committed table, kept with it for the next transaction: the jump
 * references per chain (exact) and the hooks each chain is reached from (possibly more than now).
 */
const DERIVED = new WeakMap<Table, { readonly refs: LayeredCounts | undefined; readonly hooks: LayeredCounts | undefined }>();

export const NO_FACTS: TableFacts = { builtins: new Set(), order: [], countedPolicies: new Set() };

export class TableTransaction {
  private readonly chains: WorkChains;
  private readonly builtins: Set<string>;
  private readonly countedPolicies: Set<string>;
  /** User chains in creation order. */
  private readonly order: ChainOrder;
  /** Whether the table exists in the kernel (iptables-save prints only those). */
  exists: boolean;
  private chainSetChanged = false;
  private refs: LayeredCounts | undefined;
  private hooks: LayeredCounts | undefined;
  /** `hooks` may name hooks a chain is no longer reached from (see hookMap). */
  private hooksStale = false;
  readonly failures: NetlinkFailure[] = [];
  /** Rules this transaction added (their counters start at zero). */
  private readonly added: Rule[] = [];
  readonly counters: CounterEffects = { rules: new Map(), policies: new Map(), moves: [], flushed: false };
  /** Committed or aborted: the transaction takes no more changes. */
  private ended = false;

  /** Begins a transaction on `base` (undefined: the table does not exist yet); `home` installs its commit. */
  constructor(
    readonly name: TableName,
    private readonly base: Table | undefined,
    facts: TableFacts = NO_FACTS,
    private readonly home?: TransactionHome,
  ) {
    this.exists = base !== undefined;
    this.builtins = new Set(facts.builtins);
    this.countedPolicies = new Set(facts.countedPolicies);
    this.order = new ChainOrder(facts.order);
    if (base && facts.order.length !== base.chains.size - TABLE_CHAINS[name].length) {
      const order = new Set(facts.order);
      for (const n of base.chains.keys()) if (!this.isBuiltin(n)) order.add(n);
      this.order.reset([...order]);
    }
    this.chains = new WorkChains(base);
    if (!base) this.resetBuiltins();
  }

  private resetBuiltins(): void {
    for (const b of TABLE_CHAINS[this.name])
      this.chains.set(b, { name: b, policy: 'ACCEPT', rules: [], owned: true, base: undefined, changed: true, seq: -1 });
  }

  isBuiltin(name: string): boolean {
    return (TABLE_CHAINS[this.name] as readonly string[]).includes(name);
  }

  has(name: string): boolean {
    return this.chains.has(name);
  }

  /**
   * A chain's name as the table holds it, or undefined when there is no such chain: the words
   * a restore line names chains with (`-A CHAIN`, `-j CHAIN`) become that string, not a copy.
   * `asTarget`: a jump's (the chain is not loaded into the transaction).
   */
  chainName(name: string, asTarget: boolean): string | undefined {
    return asTarget ? this.chains.target(name) : this.chains.get(name)?.name;
  }

  /** A guess at the chain of the next run of `-A` lines, after one on `name` (see WorkChains.after). */
  chainAfter(name: string): string | undefined {
    return this.chains.after(name);
  }

  private get(name: string): WorkChain {
    const c = this.chains.get(name);
    if (!c) throw errnoError(ENOENT_CHAIN);
    return c;
  }

  /** A chain nf_tables has: a user chain, or a built-in chain something has created. */
  private kernelChain(name: string): WorkChain {
    const c = this.get(name);
    if (this.isBuiltin(name) && !this.builtins.has(name)) throw errnoError(ENOENT_CHAIN);
    return c;
  }

  /** The facts to keep with the committed table. */
  facts(): TableFacts {
    return { builtins: new Set(this.builtins), order: this.order.list(), countedPolicies: new Set(this.countedPolicies) };
  }

  private writable(name: string): WorkChain {
    const c = this.get(name);
    if (this.isBuiltin(name)) this.builtinJumps = undefined;
    if (!c.owned) {
      c.rules = [...c.rules];
      c.owned = true;
    }
    c.changed = true;
    return c;
  }

  /** Jump references per chain (computed on first use, then kept up to date). */
  private refMap(): LayeredCounts {
    if (!this.refs) this.seedRefs();
    if (!this.refs) {
      this.refs = LayeredCounts.empty();
      for (const c of this.chains.values()) for (const r of c.rules) this.countRef(r, 1);
    }
    return this.refs;
  }

  /**
   * Until a jump is added or removed, the committed table's counts hold (kept with it: a
   * --noflush restore of a few chains does not count every jump of a 100,000-rule table again).
   */
  private untouched = true;

  private seedRefs(): void {
    const kept = this.untouched && this.base ? DERIVED.get(this.base)?.refs : undefined;
    if (kept) this.refs = kept.derive();
    // A new table has no jumps yet: counting from zero keeps the counts for the next transaction,
    // which would otherwise count every jump of a restored 100,000-rule table again.
    else if (this.untouched && !this.base) this.refs = LayeredCounts.empty();
    this.untouched = false;
  }

  private countRef(r: Rule, d: number): void {
    const j = jumpOf(r);
    if (j === undefined) return;
    if (d < 0) this.hooksStale = true;
    if (!this.refs && this.untouched) this.seedRefs();
    this.untouched = false;
    if (this.refs) this.refs.set(j, (this.refs.get(j) ?? 0) + d);
  }

  references(name: string): number {
    return this.refMap().get(name) ?? 0;
  }

  /**
   * The hooks each chain is reached from, grown on additions. After a deletion it may still name
   * hooks a chain is no longer reached from: a check that passes with more hooks passes with
   * fewer, and one that fails is made again on hooks recomputed (kernelCheck). The committed
   * table keeps the map, so a --noflush restore of a few chains does not walk the whole table.
   */
  private hookMap(): LayeredCounts {
    if (!this.hooks) {
      const kept = this.base && this.untouchedChains ? DERIVED.get(this.base)?.hooks : undefined;
      if (kept) {
        this.hooks = kept.derive();
        this.hooksStale = true;
        return this.hooks;
      }
      this.hooksStale = false;
      const hooks = LayeredCounts.empty();
      for (const b of TABLE_CHAINS[this.name]) {
        const bit = HOOK_BITS[b];
        const stack = [b as string];
        while (stack.length) {
          const n = stack.pop()!;
          const h = hooks.get(n) ?? 0;
          if (h & bit) continue;
          hooks.set(n, h | bit);
          for (const r of this.chains.rules(n) ?? []) {
            const j = jumpOf(r);
            if (j !== undefined) stack.push(j);
          }
        }
      }
      this.hooks = hooks;
    }
    return this.hooks;
  }

  private fail(op: NetlinkFailure['op'], err: NetlinkFailure['err'], object: string, line: number): false {
    this.failures.push({ op, err, object, line });
    return false;
  }

  /** The kernel's checks for adding `r` to `chain`; records a failure and returns false when refused. */
  private kernelCheck(chain: string, r: Rule, op: NetlinkFailure['op'], line: number): boolean {
    const refusal = this.refusal(chain, r);
    if (refusal !== undefined && this.hooksStale) {
      this.hooks = undefined;
      this.untouchedChains = false;
      const exact = this.refusal(chain, r);
      if (exact === undefined) return true;
      return this.fail(op, exact, `rule in chain ${chain}`, line);
    }
    return refusal === undefined ? true : this.fail(op, refusal, `rule in chain ${chain}`, line);
  }

  /** Whether hooks were never recomputed from a changed transaction (the base's kept map may seed them). */
  private untouchedChains = true;

  /** Why the kernel refuses `r` in `chain`, or undefined (growing the hooks when accepted). */
  private refusal(chain: string, r: Rule): NetlinkFailure['err'] | undefined {
    if (!validInTable(this.name, r)) return 'Invalid argument';
    const hooks = this.hookMap();
    const h = hooks.get(chain) ?? 0;
    if (h & ~allowedHooks(r)) return 'Invalid argument';
    const j = jumpOf(r);
    if (j === undefined) return undefined;
    if (this.isBuiltin(j)) return 'Operation not supported';
    // Loops are refused only once a hook reaches them (nft_chain_validate runs from base chains).
    if (h === 0) return undefined;
    // Every chain a jump reaches has at least its parent's hooks and was checked against them
    // when it got them (hooks only grow, each addition checked): when the target already has
    // these hooks, what it reaches is valid here too. Only a loop is left to find, and none can
    // close through a chain no user chain jumps to (kube-proxy's KUBE-SERVICES: ten thousand
    // jumps, each would walk a service's chains again).
    if (j !== chain && (h & ~(hooks.get(j) ?? 0)) === 0 && !this.userReferenced(chain)) return undefined;
    // Everything reachable from the jump's target now runs at the chain's hooks too.
    const state = this.visiting;
    const bad = this.visit(j, chain, h, state);
    if (bad === undefined) for (const name of state.keys()) hooks.set(name, (hooks.get(name) ?? 0) | h);
    state.clear();
    return bad;
  }

  /**
   * The chains a walk of refusal() is in (true) or has left (false): one Map, cleared after each
   * walk (on a node, kube-proxy's first sync walks from 40,000 of its rules: a Map and a closure each).
   */
  private readonly visiting = new Map<string, boolean>();

  /** Walks what `name` reaches at hooks `h`, from a rule of `chain`: a loop back, or a rule `h` does not allow, refuses. */
  private visit(name: string, chain: string, h: number, state: Map<string, boolean>): 'Too many links' | 'Invalid argument' | undefined {
    if (name === chain) return 'Too many links';
    const s = state.get(name);
    if (s === true) return 'Too many links';
    if (s === false) return undefined;
    state.set(name, true);
    const rules = this.chains.rules(name) ?? [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (h & ~allowedHooks(rule)) return 'Invalid argument';
      const next = jumpOf(rule);
      if (next !== undefined) {
        const bad = this.visit(next, chain, h, state);
        if (bad) return bad;
      }
    }
    state.set(name, false);
    return undefined;
  }

  /** Jumps from built-in chains, by target (counted on first use, dropped when a built-in chain changes). */
  private builtinJumps: Map<string, number> | undefined;

  /** Whether a user chain jumps to `name` (a built-in chain is never a jump's target). */
  private userReferenced(name: string): boolean {
    if (this.isBuiltin(name)) return false;
    let b = this.builtinJumps;
    if (!b) {
      b = this.builtinJumps = new Map();
      for (const n of TABLE_CHAINS[this.name]) {
        for (const r of this.chains.rules(n) ?? []) {
          const j = jumpOf(r);
          if (j !== undefined) b.set(j, (b.get(j) ?? 0) + 1);
        }
      }
    }
    return this.references(name) > (b.get(name) ?? 0);
  }

  /** iptables checks a jump's chain when it reads the rule: `Chain 'X' does not exist`. */
  private checkJump(r: Rule): void {
    const j = jumpOf(r);
    if (j !== undefined && !this.chains.has(j)) throw paramError(`Chain '${j}' does not exist`);
  }

  private addRule(chain: string, index: number, r: Rule, op: NetlinkFailure['op'], line: number, counters: Counters | undefined): void {
    this.checkJump(r);
    const c = this.writable(chain);
    if (!this.kernelCheck(chain, r, op, line)) return;
    // A short chain (most of kube-proxy's 40,000) grows by a copy sized exactly, which the commit
    // keeps as it is: push() leaves room for 16 more rules, 150 bytes a chain that every
    // collection until the commit copies, and the commit copied each chain again to drop them.
    if (index === c.rules.length) {
      if (index < EXACT_RULES) c.rules = appended(c.rules, r);
      else c.rules.push(r);
    } else c.rules.splice(index, 0, r);
    this.added.push(r);
    this.countRef(r, 1);
    this.exists = true;
    if (this.isBuiltin(chain)) this.builtins.add(chain);
    if (counters) this.counters.rules.set(r, { ...counters });
  }

  /** Equivalent to: `iptables -A chain rule`. */
  append(chain: string, r: Rule, line = 0, counters?: Counters): void {
    this.live();
    const len = this.get(chain).rules.length;
    this.addRule(chain, len, r, 'RULE_APPEND', line, counters);
  }

  /** Equivalent to: `iptables -I chain [num] rule` (num is 1-based). */
  insert(chain: string, num: number, r: Rule, line = 0, counters?: Counters): void {
    this.live();
    this.checkJump(r);
    if (num > this.get(chain).rules.length + 1) throw errnoError('Index of insertion too big.');
    this.addRule(chain, num - 1, r, 'RULE_INSERT', line, counters);
  }

  /** Equivalent to: `iptables -R chain num rule`. */
  replace(chain: string, num: number, r: Rule, line = 0, counters?: Counters): void {
    this.live();
    this.checkJump(r);
    if (num > this.kernelChain(chain).rules.length) throw errnoError('Index of replacement too big.');
    this.removeAt(chain, num - 1);
    this.addRule(chain, num - 1, r, 'RULE_REPLACE', line, counters);
  }

  private removeAt(chain: string, index: number): void {
    const c = this.writable(chain);
    const [old] = c.rules.splice(index, 1);
    this.countRef(old!, -1);
  }

  /** The 0-based position of the first rule equal to `r` (same iptables-save text), or -1. */
  private find(chain: string, r: Rule): number {
    const text = ruleText(r);
    return this.get(chain).rules.findIndex((x) => ruleText(x) === text);
  }

  /** Equivalent to: `iptables -D chain rule`. */
  deleteRule(chain: string, r: Rule): void {
    this.live();
    this.checkJump(r);
    const i = this.find(chain, r);
    if (i < 0) throw errnoError(BAD_RULE);
    this.removeAt(chain, i);
  }

  /** Equivalent to: `iptables -D chain num`. */
  deleteNum(chain: string, num: number): void {
    this.live();
    if (num > this.kernelChain(chain).rules.length) throw errnoError('Index of deletion too big.');
    this.removeAt(chain, num - 1);
  }

  /** Equivalent to: `iptables -C chain rule`: throws unless such a rule exists. */
  check(chain: string, r: Rule): void {
    if (!this.holds(chain, r)) throw errnoError(BAD_RULE);
  }

  /** Whether the chain holds a rule equal to `r`; throws as `iptables -C` does for a missing chain or jump. */
  holds(chain: string, r: Rule): boolean {
    this.checkJump(r);
    return this.find(chain, r) >= 0;
  }

  /** Equivalent to: `iptables -N name`. */
  newChain(name: string): void {
    this.live();
    if (this.chains.has(name)) throw errnoError('Chain already exists.');
    this.makeChain(name);
  }

  private makeChain(name: string): void {
    this.chains.make(name);
    this.order.add(name);
    this.chainSetChanged = true;
    this.exists = true;
  }

  /** An iptables-restore `:name policy [p:b]` line: creates the chain or flushes it; sets a built-in's policy. */
  declare(name: string, policy: string, counters?: Counters): void {
    this.live();
    this.exists = true;
    if (this.isBuiltin(name)) {
      if (policy !== 'ACCEPT' && policy !== 'DROP') throw errnoError('Bad policy name.');
      this.writable(name).policy = policy;
      this.builtins.add(name);
      this.countedPolicies.add(name);
      if (counters) this.counters.policies.set(name, { ...counters });
      return;
    }
    if (this.chains.has(name)) this.flush(name);
    else this.makeChain(name);
  }

  /** Equivalent to: `iptables -X [name]` (without a name: every user chain). */
  deleteChain(name: string | undefined, line = 0): void {
    this.live();
    const names = name !== undefined ? [this.get(name).name] : this.order.list().filter((n) => this.chains.has(n));
    for (const n of names) {
      const c = this.chains.get(n)!;
      if (this.isBuiltin(n) || c.rules.length > 0 || this.references(n) > 0) {
        this.fail('CHAIN_DEL', 'Device or resource busy', `chain ${n}`, line);
        return;
      }
    }
    for (const n of names) this.chains.delete(n);
    for (const n of names) this.order.delete(n);
    if (names.length) this.chainSetChanged = true;
  }

  /** Equivalent to: `iptables -F [chain]`. */
  flush(chain?: string): void {
    this.live();
    const names = chain !== undefined ? [this.get(chain).name] : [...this.chains.keys()];
    for (const n of names) {
      const c = this.chains.get(n)!;
      if (c.rules.length === 0) continue;
      for (const r of c.rules) this.countRef(r, -1);
      if (this.isBuiltin(n)) this.builtinJumps = undefined;
      c.rules = [];
      c.owned = true;
      c.changed = true;
    }
  }

  /** Equivalent to: `iptables -Z [chain [num]]`. */
  zero(chain?: string, num?: number): void {
    this.live();
    if (num !== undefined) {
      const c = this.chains.get(chain!);
      if (!c || (this.isBuiltin(chain!) && !this.builtins.has(chain!))) throw errnoError(BAD_RULE);
      const r = c.rules[num - 1];
      if (r) this.counters.rules.set(r, { packets: 0, bytes: 0 });
      return;
    }
    const names = chain !== undefined ? [this.kernelChain(chain).name] : [...this.chains.keys()];
    for (const n of names) {
      const c = this.chains.get(n)!;
      for (const r of c.rules) this.counters.rules.set(r, { packets: 0, bytes: 0 });
      if (c.policy !== undefined) this.counters.policies.set(n, { packets: 0, bytes: 0 });
    }
  }

  /** Equivalent to: `iptables -P chain policy`. */
  setPolicy(chain: string, policy: string, counters?: Counters): void {
    this.live();
    if (!this.isBuiltin(chain)) throw errnoError('Bad built-in chain name.');
    if (policy !== 'ACCEPT' && policy !== 'DROP') throw errnoError('Bad policy name.');
    this.writable(chain).policy = policy;
    this.exists = true;
    this.builtins.add(chain);
    this.countedPolicies.add(chain);
    if (counters) this.counters.policies.set(chain, { ...counters });
  }

  /** Equivalent to: `iptables -E old new`; jumps to the chain follow it, as in nf_tables. */
  rename(from: string, to: string): void {
    this.live();
    const c = this.get(from);
    if (this.chains.has(to)) throw errnoError('File exists.');
    // nf_tables renames a base chain too, leaving iptables unable to tell what it is: not emulated.
    if (this.isBuiltin(from)) return;
    this.chains.delete(from);
    this.order.reset(this.order.list().map((n) => (n === from ? to : n)));
    this.chains.set(to, { name: to, policy: c.policy, rules: c.rules, owned: c.owned, base: undefined, changed: true, seq: -1 });
    this.chainSetChanged = true;
    this.untouched = false;
    this.untouchedChains = false;
    for (const w of this.chains.values()) {
      if (!w.rules.some((r) => jumpOf(r) === from)) continue;
      const wc = this.writable(w.name);
      wc.rules = wc.rules.map((r) => {
        if (jumpOf(r) !== from || r.target.kind !== 'jump') return r;
        const moved: Rule = Object.assign({}, r, { target: { ...r.target, chain: to } });
        this.counters.moves.push([r, moved]);
        return moved;
      });
    }
    this.refs = undefined;
    this.hooks = undefined;
  }

  /** iptables-restore without --noflush: the table starts empty (nf_tables deletes it). */
  flushTable(): void {
    this.live();
    this.builtinJumps = undefined;
    this.chains.clear();
    this.resetBuiltins();
    this.builtins.clear();
    this.countedPolicies.clear();
    this.order.reset([]);
    this.exists = false;
    this.chainSetChanged = true;
    this.refs = LayeredCounts.empty();
    this.hooks = undefined;
    this.untouched = false;
    this.untouchedChains = false;
    this.counters.rules.clear();
    this.counters.policies.clear();
    this.counters.flushed = true;
  }

  /** The transaction as it stands, as a (not interned) Table: what a listing inside a restore shows. */
  view(): Table {
    const builtins = TABLE_CHAINS[this.name] as readonly string[];
    const names = [...builtins, ...[...this.chains.keys()].filter((n) => !builtins.includes(n)).sort()];
    return {
      name: this.name,
      chains: new Map(names.map((n) => [n, { name: n, policy: this.chains.get(n)!.policy, rules: [...this.chains.get(n)!.rules] }])),
    };
  }

  /**
   * The chains that can differ from the base table: those the transaction looked at, made or deleted;
   * undefined when it may have touched them all (a flush, a walk over every chain).
   */
  touched(): readonly string[] | undefined {
    if (this.chains.all) return undefined;
    return [...new Set([...this.chains.loaded(), ...this.chains.deleted()])];
  }

  /** Rules of a chain as they stand in the transaction. */
  rulesOf(chain: string): readonly Rule[] {
    return this.get(chain).rules;
  }

  /**
   * Commits the changes at once: throws the collected kernel refusals, changing nothing, or makes
   * the new table the committed one. `share` false (one `iptables` command): see build().
   * Returns what was committed, so an identical batch can be replayed (IptablesState.adopt).
   */
  commit(share = true): Committed {
    this.live();
    this.ended = true;
    if (!this.home) throw new Error('TableTransaction.commit: the transaction has no table to commit to');
    this.throwFailures();
    return this.home.install(this, this.build(share));
  }

  /** Drops the changes: the committed table stays as it was. */
  abort(): void {
    this.ended = true;
  }

  private live(): void {
    if (this.ended) throw new Error(`TableTransaction: the ${this.name} transaction has ended`);
  }

  /** Throws the collected kernel refusals, if any (the batch is then dropped whole). */
  throwFailures(): void {
    if (this.failures.length) throw new IptablesError({ kind: 'netlink', failures: this.failures });
  }

  /**
   * The chains of the committed table in iptables' listing order: built-in ones first, then
   * user chains sorted by name. A committed table is in that order already: the chains made
   * since are merged into it, without sorting every name again. (Not for a transaction holding
   * every chain: see WorkChains.inListingOrder.)
   */
  private chainNames(): string[] {
    const builtins = TABLE_CHAINS[this.name] as readonly string[];
    // There is one: a transaction without a base table holds every chain.
    const base = this.base!;
    if (!this.chainSetChanged) return [...base.chains.keys()];
    const made = [...this.chains.loaded()].filter((n) => !base.chains.has(n)).sort();
    const names: string[] = [];
    let i = 0;
    for (const n of base.chains.keys()) {
      if (!this.chains.has(n)) continue;
      if (!builtins.includes(n)) while (i < made.length && made[i]! < n) names.push(made[i++]!);
      names.push(n);
    }
    while (i < made.length) names.push(made[i++]!);
    return names;
  }

  /**
   * The committed form: the new Table (interned: identical rule sets share objects), or
   * undefined when the table does not exist; `replaced` and `fresh` tell counters where to go.
   * `share` false (one `iptables` command): a changed chain longer than SHARE_LIMIT stays this
   * namespace's own, since registering it keeps the copy alive until the running job ends (a
   * WeakRef holds its target that long), and a loop of `iptables -A` on a 50,000-rule chain
   * would hold one copy per command.
   */
  build(share = true): Built {
    const replaced: [Rule, Rule][] = [];
    if (!this.exists) return { table: undefined, replaced, fresh: [] };
    let own = false;
    const intern = chainInterner(this.name);
    /** The committed form of a chain the transaction looked at. */
    const commitChain = (n: string, w: WorkChain): Chain => {
      if (!w.changed && w.base) return w.base;
      // A copy sized exactly when the transaction's array grew by push() and keeps spare room
      // (a changed chain's array is the transaction's own, and the transaction has ended).
      const fresh: Chain = { name: n, policy: w.policy, rules: w.rules.length < EXACT_RULES ? w.rules : w.rules.slice() };
      let c: Chain;
      if (share || fresh.rules.length <= SHARE_LIMIT) c = intern(fresh);
      else {
        c = ownChain(fresh);
        own = true;
      }
      if (c !== fresh) c.rules.forEach((r, i) => replaced.push([w.rules[i]!, r]));
      return c;
    };
    const base = this.base;
    let chains: ChainMap;
    if (base && base.chains instanceof ChainMap && !this.chains.all) {
      // Only the chains the transaction looked at, made or deleted can differ from the base.
      const changes = new Map<string, Chain | undefined>();
      this.chains.forEachLoaded((w, n) => {
        const c = commitChain(n, w);
        if (base.chains.get(n) !== c) changes.set(n, c);
      });
      for (const n of this.chains.deleted()) if (!this.chains.has(n) && base.chains.has(n)) changes.set(n, undefined);
      chains = base.chains.with(changes);
    } else if (this.chains.all) {
      // Every chain is the transaction's (a new or flushed table): no lookup by name for each.
      const work = this.chains.inListingOrder(TABLE_CHAINS[this.name]);
      const list: Chain[] = new Array(work.length);
      for (let i = 0; i < work.length; i++) list[i] = commitChain(work[i]!.name, work[i]!);
      chains = ChainMap.of(TABLE_CHAINS[this.name], list, chainId);
    } else {
      const names = this.chainNames();
      const list: Chain[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) {
        const n = names[i]!;
        const w = this.chains.peek(n);
        list[i] = w ? commitChain(n, w) : base!.chains.get(n)!;
      }
      chains = ChainMap.of(TABLE_CHAINS[this.name], list, chainId);
    }
    const shared = replaced.length ? new Map(replaced) : undefined;
    const fresh = shared ? this.added.map((r) => shared.get(r) ?? r) : this.added;
    if (base && (chains === base.chains || (base.chains instanceof ChainMap && chains.sameChains(base.chains))))
      return { table: base, replaced, fresh };
    const table: Table = own ? { name: this.name, chains } : internTable({ name: this.name, chains });
    if (this.refs || this.hooks) DERIVED.set(table, { refs: this.refs, hooks: this.hooks });
    return { table, replaced, fresh };
  }
}

/** Chains shorter than this grow by exact copies (see addRule). */
const EXACT_RULES = 8;

/**
 * `rules` then `r`, a new array sized exactly, for `rules` shorter than EXACT_RULES: an array
 * literal is allocated by the compiled code itself, where concat() calls into V8's runtime
 * (~20 ms of a 10,000-service restore's 40,000 chains).
 */
function appended(a: readonly Rule[], r: Rule): Rule[] {
  switch (a.length) {
    case 0:
      return [r];
    case 1:
      return [a[0]!, r];
    case 2:
      return [a[0]!, a[1]!, r];
    case 3:
      return [a[0]!, a[1]!, a[2]!, r];
    case 4:
      return [a[0]!, a[1]!, a[2]!, a[3]!, r];
    case 5:
      return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, r];
    case 6:
      return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, r];
    default:
      return a.concat(r);
  }
}

/** Chains longer than this that one `iptables` command changed are not shared (see build). */
const SHARE_LIMIT = 1000;

const empties = new Map<TableName, Table>();

/** A table that does not exist, as iptables lists it: its built-in chains, empty, policy ACCEPT. */
export function emptyTable(name: TableName): Table {
  let t = empties.get(name);
  if (!t) {
    const d = new TableTransaction(name, undefined);
    d.exists = true;
    t = d.build().table!;
    empties.set(name, t);
  }
  return t;
}

export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/** One command of an iptables command line or restore line, applied to a transaction. */
export function applyCommand(d: TableTransaction, cmd: ParsedCommand, line: number): void {
  const chain = cmd.chain!;
  switch (cmd.command) {
    case 'append':
      return d.append(chain, cmd.rule!, line, cmd.counters);
    case 'insert':
      return d.insert(chain, cmd.rulenum ?? 1, cmd.rule!, line, cmd.counters);
    case 'replace':
      return d.replace(chain, cmd.rulenum!, cmd.rule!, line, cmd.counters);
    case 'delete':
      return cmd.rulenum !== undefined ? d.deleteNum(chain, cmd.rulenum) : d.deleteRule(chain, cmd.rule!);
    case 'check':
      return d.check(chain, cmd.rule!);
    case 'newChain':
      return d.newChain(chain);
    case 'deleteChain':
      return d.deleteChain(cmd.chain, line);
    case 'flush':
      return d.flush(cmd.chain);
    case 'zero':
      return d.zero(cmd.chain, cmd.rulenum);
    case 'policy':
      return d.setPolicy(chain, cmd.policy!, cmd.counters);
    case 'rename':
      if (!d.has(chain)) throw new IptablesError({ kind: 'errno', message: ENOENT_CHAIN });
      return d.rename(chain, cmd.newName!);
    case 'list':
    case 'listRules':
    case 'version':
    case 'help':
      return;
  }
}
