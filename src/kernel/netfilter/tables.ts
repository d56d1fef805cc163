// The iptables state of one network namespace (mirrors the nf_tables tables iptables-nft
// creates): the tables raw/mangle/nat/filter as immutable, interned Tables replaced whole on every
// change (copy, apply, commit on success), per-namespace rule and policy counters keyed by the
// shared Rule objects, and the operations of `iptables`, `iptables-restore` and `iptables-save`.
// A table exists only once something created it, as in nf_tables; iptables-save prints only those.
import type { Netns } from '../netns.js';
import type { Ruleset } from './eval.js';
import { IptablesError } from './xtables/rulespec-error.js';
import type { ListFormat } from './xtables/rulespec-list.js';
import type { ParsedCommand } from './xtables/rulespec.js';
import {
  applyCommand,
  emptyTable,
  NO_FACTS,
  TableTransaction,
  type Built,
  type Committed,
  type TableFacts,
  type TransactionHome,
} from './table-transaction.js';
import { ruleText } from './tables-intern.js';
import { restorePayload, type RestoreOptions } from './xtables/tables-restore.js';
import { listRulesText, listText, saveTable, type CounterSource } from './xtables/tables-text.js';
import { ipsetOf } from './ipset.js';
import { TableLinks } from './table-links.js';
import { TABLE_CHAINS, type Chain, type Counters, type Rule, type Table, type TableName } from './types.js';

/**
 * The chains ensureChain made, by the table it started from (an interned table: the same object in
 * every namespace that holds those rules) and the chain, with the start's facts: every node's
 * kubelet and kube-proxy make the same canary and hint chains in tables that are alike, and the
 * next namespace to start from the same table with the same facts adopts the commit, as a restore
 * replays one, instead of building and interning it again. Kept while the start table lives.
 */
interface MadeChain {
  readonly facts: TableFacts;
  readonly committed: Committed;
}
const MADE_CHAINS = new WeakMap<Table, Map<string, MadeChain>>();
/** The same for a table not created yet, by table and chain (a few dozen at most: kept until this many). */
const MADE_IN_NO_TABLE = new Map<string, MadeChain>();
const MADE_IN_NO_TABLE_MAX = 64;

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

/** Whether two tables' facts are alike: chain order, built-ins, counted policies. */
const sameFacts = (a: TableFacts, b: TableFacts): boolean =>
  a === b ||
  (a.order.length === b.order.length &&
    a.order.every((n, i) => n === b.order[i]) &&
    sameSet(a.builtins, b.builtins) &&
    sameSet(a.countedPolicies, b.countedPolicies));

/** iptables-save's order of tables (the nf_tables backend's table list). */
export const SAVE_ORDER: readonly TableName[] = ['mangle', 'raw', 'filter', 'nat'];

/** The ipsets `-m set` rules name: they must exist, and each rule holds a reference while it is in a table. */
export interface SetBackend {
  exists(name: string): boolean;
  reference(name: string): void;
  release(name: string): void;
}

export interface IptablesStateOptions {
  /** The clock iptables-save dates its output with. */
  readonly now?: () => Date;
  /** The namespace's ipsets; absent: every set name is accepted and nothing is referenced. */
  readonly sets?: SetBackend;
}

/** Calls `fn` with the name of each set a rule's `-m set` matches use. */
function forSets(r: Rule, fn: (name: string) => void): void {
  const ms = r.matches;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.kind === 'set') fn(m.name);
  }
}

export type { RestoreOptions };

export type { Committed };

export class IptablesState implements Ruleset, TransactionHome {
  private readonly tables = new Map<TableName, Table>();
  private readonly facts = new Map<TableName, TableFacts>();
  private readonly ruleCounters = new WeakMap<Rule, Counters>();
  /** Whether ruleCounters ever held an entry (see adopt). */
  private keptAny = false;
  private readonly chainCounters = new Map<string, Counters>();
  private readonly listeners = new Set<(table: TableName) => void>();
  /** The committed tables linked for lookups; dropped whenever a table or a counter is replaced. */
  private readonly linkCache = new Map<TableName, TableLinks>();
  private version_ = 0;
  readonly now: () => Date;
  readonly setExists: ((name: string) => boolean) | undefined;

  private readonly sets: SetBackend | undefined;

  constructor(opts: IptablesStateOptions = {}) {
    this.now = opts.now ?? (() => new Date(0));
    this.sets = opts.sets;
    const sets = opts.sets;
    this.setExists = sets ? (name) => sets.exists(name) : undefined;
  }

  /**
   * Set references follow the rules: taken for rules that came in, dropped for rules that left.
   * `touched`: the only chains that can differ (a transaction's, from `before`); absent, all are compared.
   * A function, called only when `before` has rules to compare: a new table's restore made a Set of
   * its 40,000 chain names for nothing.
   */
  private updateSetReferences(
    before: Table | undefined,
    after: Table | undefined,
    touchedNames?: () => readonly string[] | undefined,
  ): void {
    const sets = this.sets;
    if (!sets || before === after) return;
    if (before === undefined && after !== undefined) {
      // A new table: every rule came in (one walk, no per-chain closures or lookups in `before`).
      const take = (n: string): void => sets.reference(n);
      for (const c of after.chains.values()) {
        const rules = c.rules;
        for (let i = 0; i < rules.length; i++) if (rules[i]!.matches.length !== 0) forSets(rules[i]!, take);
      }
      return;
    }
    const take = (name: string, c: Chain): void => {
      const old = before?.chains.get(name);
      if (old === c) return;
      const had = old === undefined ? undefined : new Set(old.rules);
      for (const r of c.rules) if (!had?.has(r)) forSets(r, (n) => sets.reference(n));
    };
    const drop = (name: string, c: Chain): void => {
      const now = after?.chains.get(name);
      if (now === c) return;
      const has = new Set(now?.rules);
      for (const r of c.rules) if (!has.has(r)) forSets(r, (n) => sets.release(n));
    };
    const touched = touchedNames?.();
    if (touched) {
      for (const name of touched) {
        const c = after?.chains.get(name);
        if (c) take(name, c);
        const o = before?.chains.get(name);
        if (o) drop(name, o);
      }
      return;
    }
    for (const [name, c] of after?.chains ?? []) take(name, c);
    for (const [name, c] of before?.chains ?? []) drop(name, c);
  }

  /** Increases on every committed change; an evaluator can key caches on it. */
  get version(): number {
    return this.version_;
  }

  /** Calls `fn` after each committed change of a table; returns the unsubscribe function. */
  onChange(fn: (table: TableName) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The committed table, or undefined when it was never created in this namespace. */
  table(name: TableName): Table | undefined {
    return this.tables.get(name);
  }

  /** The table as iptables lists it: the committed one, or the empty built-in chains. */
  view(name: TableName): Table {
    return this.tables.get(name) ?? emptyTable(name);
  }

  /** Whether hits on a built-in chain's policy are counted (see TableFacts.countedPolicies). */
  countsPolicy(table: TableName, chain: string): boolean {
    return this.facts.get(table)?.countedPolicies.has(chain) ?? false;
  }

  links(name: TableName): TableLinks | undefined {
    let l = this.linkCache.get(name);
    if (l === undefined) {
      const t = this.tables.get(name);
      if (t === undefined) return undefined;
      l = new TableLinks(t, this);
      this.linkCache.set(name, l);
    }
    return l;
  }

  /** The counters of a rule of this namespace, with every packet counted so far. */
  counters(rule: Rule): Counters {
    this.settle();
    return this.keptCounters(rule);
  }

  /** A rule's counters as kept, without the counts the links hold (see settle). */
  keptCounters(rule: Rule): Counters {
    let c = this.ruleCounters.get(rule);
    if (!c) {
      c = { packets: 0, bytes: 0 };
      this.ruleCounters.set(rule, c);
      this.keptAny = true;
    }
    return c;
  }

  /** The counters of a built-in chain's policy. */
  policyCounters(table: TableName, chain: string): Counters {
    const key = `${table}/${chain}`;
    let c = this.chainCounters.get(key);
    if (!c) {
      c = { packets: 0, bytes: 0 };
      this.chainCounters.set(key, c);
    }
    return c;
  }

  /** A rule as iptables-save prints it, for walks: `-A KUBE-SERVICES -d 10.96.0.1/32 …`. */
  describe(chain: string, rule: Rule): string {
    return `-A ${chain}${ruleText(rule)}`;
  }

  /** Adds the counts the evaluator keeps in its links (table-links.ts) to the rules' counters. */
  private settle(): void {
    for (const l of this.linkCache.values()) l.settle();
  }

  private counterSource(table: TableName): CounterSource {
    return { counters: (r) => this.counters(r), policyCounters: (c) => this.policyCounters(table, c) };
  }

  /** Begins a transaction on a table: apply changes to it, then commit() or abort() it. */
  begin(name: TableName): TableTransaction {
    return new TableTransaction(name, this.tables.get(name), this.facts.get(name) ?? NO_FACTS, this);
  }

  /** What nf_tables knows of a table beyond its rules (see TableFacts). */
  factsOf(name: TableName): TableFacts {
    return this.facts.get(name) ?? NO_FACTS;
  }

  /**
   * What TableTransaction.commit() calls once the transaction is built: the new table becomes
   * the committed one and counters follow the rules (those the batch set with -c or -Z land on
   * the rules as committed). Returns what was committed.
   */
  install(tx: TableTransaction, built: Built): Committed {
    this.settle();
    const fx = tx.counters;
    for (const [from, to] of fx.moves) {
      const c = this.ruleCounters.get(from);
      if (c) {
        this.ruleCounters.set(to, c);
        this.keptAny = true;
      }
    }
    // A restore into a new table shares nothing: no set of its 100,000 fresh rules to make.
    const fresh = built.replaced.length ? new Set(built.fresh) : undefined;
    const moves = built.replaced.filter(([mine, shared]) => mine !== shared && !fresh!.has(shared));
    const committed: Committed = { name: tx.name, table: built.table, facts: tx.facts(), fresh: built.fresh, moves, flushed: fx.flushed };
    this.adopt(committed, () => tx.touched());
    const shared = fx.rules.size ? new Map(built.replaced) : undefined;
    for (const [r, c] of fx.rules) {
      this.ruleCounters.set(shared!.get(r) ?? r, { ...c });
      this.keptAny = true;
    }
    for (const [chain, c] of fx.policies) this.chainCounters.set(`${tx.name}/${chain}`, { ...c });
    this.linkCache.clear();
    return committed;
  }

  /** Installs a committed result (from commit(), or replayed from an identical earlier batch). */
  adopt(c: Committed, touched?: () => readonly string[] | undefined): void {
    this.settle();
    if (c.flushed) for (const chain of TABLE_CHAINS[c.name]) this.chainCounters.delete(`${c.name}/${chain}`);
    for (const [mine, shared] of c.moves) {
      const n = this.ruleCounters.get(mine);
      if (n) {
        this.ruleCounters.set(shared, n);
        this.keptAny = true;
      } else this.ruleCounters.delete(shared);
    }
    // A rule object can come back (a restore memo, a rule parsed once for every node): its
    // counters restart. A namespace that never kept a counter has none to clear (a first
    // restore of 110,000 rules deleted as many absent keys).
    if (this.keptAny) for (const r of c.fresh) this.ruleCounters.delete(r);
    this.facts.set(c.name, c.facts);
    this.linkCache.clear();
    const before = this.tables.get(c.name);
    if (c.table === before) return;
    this.updateSetReferences(before, c.table, touched);
    if (c.table) this.tables.set(c.name, c.table);
    else this.tables.delete(c.name);
    this.version_++;
    for (const fn of this.listeners) fn(c.name);
  }

  /**
   * One command as a transaction: runs `fn` on it and commits if nothing threw. The chains it
   * changes are this namespace's own (not interned: see TableTransaction.build).
   */
  edit(name: TableName, fn: (tx: TableTransaction) => void): void {
    const tx = this.begin(name);
    fn(tx);
    tx.commit(false);
  }

  /**
   * Runs one parsed iptables command against its table, atomically; returns what it prints
   * (listings). Throws IptablesError with the real tool's failure.
   */
  execute(cmd: ParsedCommand, table: TableName): string {
    if (cmd.command === 'list' || cmd.command === 'listRules') {
      const out = this.listing(cmd, this.view(table));
      if (cmd.zero) this.edit(table, (d) => d.zero(cmd.chain));
      return out;
    }
    if (cmd.verbose && cmd.command === 'deleteChain') {
      const names = cmd.chain !== undefined ? [cmd.chain] : [...this.factsOf(table).order];
      this.edit(table, (d) => applyCommand(d, cmd, 0));
      return names.map((n) => `Deleting chain \`${n}'\n`).join('');
    }
    // A check changes nothing: no new table to build.
    if (cmd.command === 'check') {
      const tx = this.begin(table);
      try {
        applyCommand(tx, cmd, 0);
      } finally {
        tx.abort();
      }
    } else this.edit(table, (d) => applyCommand(d, cmd, 0));
    return cmd.verbose ? this.verboseNotes(cmd, table) : '';
  }

  /**
   * Equivalent to: `iptables -N CHAIN`, where a chain already there is no error (kube-proxy's
   * EnsureChain). Returns whether it was there; only a new chain commits anything.
   */
  ensureChain(table: TableName, chain: string): boolean {
    if (this.view(table).chains.has(chain)) return true;
    const start = this.tables.get(table);
    const facts = this.factsOf(table);
    const key = `${table} ${chain}`;
    const made = (start ? MADE_CHAINS.get(start) : MADE_IN_NO_TABLE)?.get(key);
    if (made && sameFacts(made.facts, facts)) {
      this.adopt(made.committed);
      return false;
    }
    const tx = this.begin(table);
    tx.newChain(chain);
    const committed = tx.commit(false);
    let byChain = start ? MADE_CHAINS.get(start) : MADE_IN_NO_TABLE;
    if (!byChain) MADE_CHAINS.set(start!, (byChain = new Map()));
    if (!start && byChain.size >= MADE_IN_NO_TABLE_MAX) byChain.clear();
    byChain.set(key, { facts, committed });
    return false;
  }

  /**
   * Equivalent to: `iptables -C CHAIN RULE || iptables -I CHAIN RULE` (kube-proxy's EnsureRule,
   * Prepend). Returns whether the rule was there: a check commits nothing, so it costs a look at
   * one chain, not a new table. Throws IptablesError as `iptables -C` does (missing chain or jump).
   */
  ensureRule(table: TableName, chain: string, rule: Rule): boolean {
    const tx = this.begin(table);
    const there = tx.holds(chain, rule);
    tx.abort();
    if (there) return true;
    this.edit(table, (d) => d.insert(chain, 1, rule));
    return false;
  }

  /** What `iptables -v -F/-X/-Z` print about the chains they worked on. */
  private verboseNotes(cmd: ParsedCommand, table: TableName): string {
    const t = this.view(table);
    const all = [...t.chains.keys()];
    const note = (verb: string, names: readonly string[]): string => names.map((n) => `${verb} chain \`${n}'\n`).join('');
    if (cmd.command === 'flush') return note('Flushing', cmd.chain !== undefined ? [cmd.chain] : all);
    if (cmd.command === 'zero' && cmd.rulenum === undefined) return note('Zeroing', cmd.chain !== undefined ? [cmd.chain] : all);
    return '';
  }

  /** `iptables -S` / `iptables -L` of a table, or of a transaction's view of it inside a restore. */
  listing(cmd: ParsedCommand, t: Table, inRestore = false): string {
    if (cmd.chain !== undefined && !t.chains.has(cmd.chain)) {
      throw new IptablesError({
        kind: 'fatal',
        message: `chain \`${cmd.chain}' in table \`${t.name}' is incompatible, use 'nft' tool.`,
        status: 1,
      });
    }
    const src = this.counterSource(t.name);
    if (cmd.command === 'listRules') return listRulesText(t, src, cmd.chain, cmd.rulenum, cmd.verbose);
    const f: ListFormat = { numeric: cmd.numeric, verbose: cmd.verbose, exact: cmd.exact, lineNumbers: cmd.lineNumbers };
    return listText(t, src, cmd.chain, cmd.rulenum, f, inRestore ? this.tables.get(t.name) : t);
  }

  /**
   * Applies an iptables-restore payload (`--noflush`, `-c`, `-T table`, `--test`): each table
   * block is atomic, committed at its COMMIT line; a malformed block is rejected whole with the
   * real tool's message and line number, and nothing of it is applied. Returns what listing
   * commands inside the payload print. Throws IptablesError.
   */
  restore(text: string, opts: RestoreOptions = {}): string {
    return restorePayload(this, text, opts);
  }

  /** iptables-save [-t table] [-c]: every existing table in iptables-save's order, or the one asked for. */
  save(opts: { readonly table?: TableName; readonly counters?: boolean } = {}): string {
    const names = opts.table ? [opts.table] : SAVE_ORDER.filter((n) => this.tables.has(n));
    return names.map((n) => saveTable(this.view(n), this.counterSource(n), opts.counters ?? false, this.now())).join('');
  }
}

/** The iptables state of a namespace (created empty on first use; `-m set` uses the namespace's ipsets). */
export function iptablesOf(ns: Netns, opts?: IptablesStateOptions): IptablesState {
  let s = ns.iptables;
  if (!s) {
    s = new IptablesState(
      opts ?? {
        now: () => ns.kernel.wallClock(),
        sets: {
          exists: (name) => ipsetOf(ns).get(name) !== undefined,
          reference: (name) => void ipsetOf(ns).reference(name),
          release: (name) => ipsetOf(ns).release(name),
        },
      },
    );
    ns.iptables = s;
  }
  return s;
}
