// The chains of a table transaction: a committed chain is copied only when the transaction
// first looks at it, and its rules only when it first writes them (copy on write), so changing a
// few chains of a 40,000-chain table copies a few; and the user chains' creation order as
// committed, less those deleted, plus those made since.
import type { Chain, Rule, Table } from './types.js';

export type Policy = 'ACCEPT' | 'DROP';

export interface WorkChain {
  readonly name: string;
  policy: Policy | undefined;
  rules: Rule[];
  /** Whether `rules` is the transaction's own copy (copy on first write). */
  owned: boolean;
  /** The committed chain this started from; unchanged chains are kept as they are. */
  readonly base: Chain | undefined;
  changed: boolean;
  /** Its place among the chains the transaction made (WorkChains.made), -1 for any other. */
  readonly seq: number;
}

/**
 * The transaction's chains: a committed chain becomes a WorkChain only when the transaction looks
 * at it, so a --noflush restore of a few chains into a table of 30,000 does not copy them all.
 * Walking every chain (keys(), values()) loads them all.
 */
export class WorkChains {
  private readonly map = new Map<string, WorkChain>();
  private readonly gone = new Set<string>();
  /**
   * The chain last got and the name last found by has(): a restore's lines name the same chain
   * line after line (and the same jump target: KUBE-MARK-MASQ), and a Map of 40,000 names costs
   * a few cache misses a lookup.
   */
  private lastName: string | undefined;
  private lastWork: WorkChain | undefined;
  private lastHas: string | undefined;
  /** Every chain is in `map` (loaded, or the base was dropped by clear()). */
  all: boolean;
  /**
   * The chains made (make()) in creation order, for after(): since the transaction began or
   * its table was flushed; undefined once a chain is deleted, so it never names one that is gone.
   */
  private made: WorkChain[] | undefined = [];

  constructor(private readonly base: Table | undefined) {
    this.all = base === undefined;
  }

  private load(name: string): WorkChain | undefined {
    if (this.all || this.gone.has(name)) return undefined;
    const c = this.base!.chains.get(name);
    if (!c) return undefined;
    const w: WorkChain = { name: c.name, policy: c.policy, rules: c.rules as Rule[], owned: false, base: c, changed: false, seq: -1 };
    // Keyed by the chain's own string: `name` may be a slice of a payload, which a key would keep alive.
    this.map.set(c.name, w);
    return w;
  }

  get(name: string): WorkChain | undefined {
    if (name === this.lastName) return this.lastWork;
    const w = this.map.get(name) ?? this.load(name);
    if (w !== undefined) {
      this.lastName = w.name;
      this.lastWork = w;
    }
    return w;
  }

  /**
   * The name of the chain a jump names, as the chain's own string (has() then finds it at once),
   * without making it a WorkChain; undefined when there is no such chain.
   */
  target(name: string): string | undefined {
    const w = this.map.get(name);
    let own: string | undefined;
    if (w !== undefined) own = w.name;
    else if (!this.all && !this.gone.has(name)) own = this.base!.chains.get(name)?.name;
    if (own !== undefined) this.lastHas = own;
    return own;
  }

  /**
   * The chain's rules as they stand, read without making it a WorkChain: a walk over what a jump
   * reaches reads thousands of chains it does not change, and they stay out of touched().
   */
  rules(name: string): readonly Rule[] | undefined {
    const w = this.map.get(name);
    if (w) return w.rules;
    if (this.all || this.gone.has(name)) return undefined;
    return this.base!.chains.get(name)?.rules;
  }

  /** The chain if the transaction has looked at it (undefined: unchanged from the base, or absent). */
  peek(name: string): WorkChain | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    if (name === this.lastHas || name === this.lastName) return true;
    if (this.map.has(name)) {
      this.lastHas = name;
      return true;
    }
    return !this.all && !this.gone.has(name) && this.base!.chains.has(name);
  }

  /** A new, empty chain: user chains have no policy. */
  make(name: string): void {
    const made = this.made;
    const w: WorkChain = { name, policy: undefined, rules: [], owned: true, base: undefined, changed: true, seq: made ? made.length : -1 };
    made?.push(w);
    this.set(name, w);
  }

  /**
   * The chain made right after `name`, when `name` is the chain last got and was made here: a
   * payload appends to its chains in the order it declares them, so this is a guess at the next
   * run of lines' chain that costs no lookup among 40,000 names. The guess becomes the chain
   * last got (get() finds it at once); undefined when there is none to make.
   */
  after(name: string): string | undefined {
    const w = name === this.lastName ? this.lastWork : undefined;
    const next = w === undefined || w.seq < 0 || this.made === undefined ? undefined : this.made[w.seq + 1];
    if (next === undefined) return undefined;
    this.lastName = next.name;
    this.lastWork = next;
    return next.name;
  }

  set(name: string, w: WorkChain): void {
    this.map.set(name, w);
    this.lastName = name;
    this.lastWork = w;
  }

  delete(name: string): void {
    this.map.delete(name);
    this.gone.add(name);
    this.made = undefined;
    this.forget();
  }

  clear(): void {
    this.map.clear();
    this.all = true;
    this.made = [];
    this.forget();
  }

  private forget(): void {
    this.lastName = undefined;
    this.lastWork = undefined;
    this.lastHas = undefined;
  }

  private loadAll(): void {
    if (this.all) return;
    for (const n of this.base!.chains.keys()) if (!this.map.has(n)) this.load(n);
    this.all = true;
  }

  keys(): IterableIterator<string> {
    this.loadAll();
    return this.map.keys();
  }

  values(): IterableIterator<WorkChain> {
    this.loadAll();
    return this.map.values();
  }

  /**
   * Every chain (`all` must hold: a new or flushed table's transaction) in iptables' listing
   * order: the built-in ones in `builtins` order, then user chains sorted by name.
   */
  inListingOrder(builtins: readonly string[]): WorkChain[] {
    const out: WorkChain[] = [];
    for (let i = 0; i < builtins.length; i++) {
      const w = this.map.get(builtins[i]!);
      if (w !== undefined) out.push(w);
    }
    const user: WorkChain[] = [];
    this.map.forEach((w) => {
      if (!builtins.includes(w.name)) user.push(w);
    });
    user.sort(byName);
    for (let i = 0; i < user.length; i++) out.push(user[i]!);
    return out;
  }

  /** Calls `fn` with each chain the transaction has looked at or made (no lookup by name each). */
  forEachLoaded(fn: (w: WorkChain, name: string) => void): void {
    this.map.forEach(fn);
  }

  /** Chains the transaction has looked at or made. */
  loaded(): IterableIterator<string> {
    return this.map.keys();
  }

  /** Chains the transaction deleted. */
  deleted(): IterableIterator<string> {
    return this.gone.values();
  }
}

const byName = (a: WorkChain, b: WorkChain): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** User chains in creation order: the committed order, less the chains deleted, then those made since. */
export class ChainOrder {
  private readonly gone = new Set<string>();
  /**
   * In creation order: a list until a chain is deleted (a restore into a new table makes 40,000,
   * and a Set of them cost growing and hashing for nothing), then a Set, which keeps insertion
   * order: deleting and adding again moves a name to the end.
   */
  private made: string[] | Set<string> = [];

  constructor(private base: readonly string[]) {}

  /**
   * A chain made: never one in `made` (a chain is made only when absent; delete() takes it out),
   * nor one of the committed order still there (a committed chain is made again only after
   * delete() has put it in `gone`), so there is nothing to hide from that order.
   */
  add(name: string): void {
    if (Array.isArray(this.made)) this.made.push(name);
    else this.made.add(name);
  }

  delete(name: string): void {
    if (Array.isArray(this.made)) this.made = new Set(this.made);
    if (!this.made.delete(name)) this.gone.add(name);
  }

  list(): readonly string[] {
    const made = this.made;
    const none = Array.isArray(made) ? made.length === 0 : made.size === 0;
    if (this.gone.size === 0 && none) return this.base;
    if (this.base.length === 0 && Array.isArray(made)) return made.slice();
    const out = this.gone.size === 0 ? this.base.slice() : this.base.filter((n) => !this.gone.has(n));
    // forEach, not a spread: a spread's iterator makes an object a name until the JIT compiles it.
    made.forEach((n) => out.push(n));
    return out;
  }

  reset(names: readonly string[]): void {
    this.base = names;
    this.gone.clear();
    this.made = [];
  }
}
