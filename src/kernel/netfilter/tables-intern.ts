// Rule sets identical across namespaces are stored once: a committed Chain is interned by its
// table and name, then compared rule by rule, and a committed Table by the identity of its
// chains, so two nodes restoring the same kube-proxy payload hold the same Chain and Table
// objects — and share whatever an evaluator caches per Chain. Pools hold weak references: a rule
// set no namespace uses any more is collected.
import { cached } from './cache.js';
import { ChainMap } from './chain-map.js';
import { saveRule } from './xtables/rulespec-save.js';
import type { Chain, Rule, Table, TableName } from './types.js';

const TEXT = Symbol('ruleText');
const CHAIN_ID = Symbol('chainId');

/** A rule's specification as iptables-save prints it (cached on the Rule object). */
export function ruleText(rule: Rule): string {
  return cached(rule, TEXT, (r) => flat(saveRule(r)));
}

/**
 * A string built piece by piece is a rope of cons strings; reading one character makes V8
 * flatten it in place, so a string cached for good does not keep its pieces alive.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** A committed chain's intern id (internChain, ownChain); undefined for a chain never committed. */
export function chainId(c: Chain): number | undefined {
  return (c as Chain & { [CHAIN_ID]?: number })[CHAIN_ID];
}

/**
 * Weak references by key. Entries whose target was collected are swept when the pool has grown
 * to twice its size after the last sweep (a FinalizationRegistry cell per entry cost more to
 * register, and 70 bytes more each, than the occasional sweep).
 */
class WeakPool<T extends object> {
  private readonly refs = new Map<string, WeakRef<T>>();
  private sweepAt = 1024;

  get(key: string): T | undefined {
    return this.refs.get(key)?.deref();
  }

  add(key: string, value: T): void {
    this.refs.set(key, new WeakRef(value));
    if (this.refs.size >= this.sweepAt) {
      for (const [k, r] of this.refs) if (r.deref() === undefined) this.refs.delete(k);
      this.sweepAt = Math.max(1024, 2 * this.refs.size);
    }
  }
}

const tables = new WeakPool<Table>();
let nextChainId = 1;

/**
 * Chains of one table and name that namespaces committed, to share (kube-proxy names its chains
 * after what they hold, so a name mostly has one content; built-in chains have one per kind of
 * namespace). Keyed by name, not by a hash of the rules: a restore of 40,000 chains hashed every
 * rule's data once more, and a hit is confirmed rule by rule either way.
 */
class ChainPool {
  private readonly byName = new Map<string, WeakRef<Chain> | WeakRef<Chain>[]>();
  private sweepAt = 1024;

  /** The chain registered under `c`'s name equal to it, or undefined after registering `c`. */
  share(c: Chain): Chain | undefined {
    const e = this.byName.get(c.name);
    if (e === undefined) {
      this.byName.set(c.name, new WeakRef(c));
      if (this.byName.size >= this.sweepAt) this.sweep();
      return undefined;
    }
    const refs = e instanceof WeakRef ? [e] : e;
    for (const r of refs) {
      const x = r.deref();
      if (x !== undefined && sameChain(x, c)) return x;
    }
    // Another content under this name: kept beside the others, the oldest (or collected) dropped.
    const live = refs.filter((r) => r.deref() !== undefined);
    if (live.length >= VARIANTS) live.shift();
    live.push(new WeakRef(c));
    this.byName.set(c.name, live);
    return undefined;
  }

  private sweep(): void {
    for (const [k, e] of this.byName) {
      const live = (e instanceof WeakRef ? [e] : e).filter((r) => r.deref() !== undefined);
      if (live.length === 0) this.byName.delete(k);
      else if (!(e instanceof WeakRef) && live.length < e.length) this.byName.set(k, live.length === 1 ? live[0]! : live);
    }
    this.sweepAt = Math.max(1024, 2 * this.byName.size);
  }
}

/** Contents kept per table and chain name (see ChainPool). */
const VARIANTS = 8;
const chainPools = new Map<TableName, ChainPool>();

/** Two rules made of the same data (a Rule is plain data: objects, arrays, strings, numbers, booleans). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (Array.isArray(b) || ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function sameChain(x: Chain, y: Chain): boolean {
  if (x.name !== y.name || x.policy !== y.policy || x.rules.length !== y.rules.length) return false;
  for (let i = 0; i < x.rules.length; i++) if (!sameData(x.rules[i], y.rules[i])) return false;
  return true;
}

/**
 * The shared Chain equal to `c` (same table, name, policy and rules' data), registering `c` when
 * there is none. The shared chain's rules correspond to `c`'s by position.
 */
export function internChain(table: TableName, c: Chain): Chain {
  if (chainId(c) !== undefined) return c;
  let pool = chainPools.get(table);
  if (pool === undefined) chainPools.set(table, (pool = new ChainPool()));
  const shared = pool.share(c);
  if (shared !== undefined) return shared;
  cached(c, CHAIN_ID, () => nextChainId++);
  return c;
}

/**
 * A chain that is not shared with other namespaces (one `iptables -A` on a long chain would
 * otherwise register a whole copy of it in the pool, and a WeakRef keeps its target alive until
 * the running job ends): it gets an id, so a table holding it can still be interned later.
 */
export function ownChain(c: Chain): Chain {
  cached(c, CHAIN_ID, () => nextChainId++);
  return c;
}

/**
 * The shared Table made of exactly these (interned) chains, registering `t` when there is none.
 * The key is the chain map's hash of its chain ids, kept up to date by each change (ChainMap),
 * and a hit is confirmed by ChainMap.sameChains, which compares shared leaves at once.
 */
export function internTable(t: Table & { readonly chains: ChainMap }): Table {
  const h = t.chains.idHash();
  if (!h) throw new Error(`internTable: a chain of ${t.name} is not interned`);
  const key = flat(`${t.name} ${t.chains.size} ${h[0].toString(36)} ${h[1].toString(36)}`);
  const shared = tables.get(key);
  if (shared && shared.chains instanceof ChainMap && shared.chains.sameChains(t.chains)) return shared;
  if (!shared) tables.add(key, t);
  return t;
}
