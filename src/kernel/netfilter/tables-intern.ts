// Rule sets identical across namespaces are stored once: a committed Chain is looked up by name
// in the tables of its kind committed lately, then compared rule by rule, and a committed Table
// by the identity of its chains, so two nodes restoring the same kube-proxy payload hold the same
// Chain and Table objects — and share whatever an evaluator caches per Chain. Pools hold weak
// references: a rule set no namespace uses any more is collected.
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
 * Tables of one kind (nat, filter...) committed lately, whose chains a new commit may share
 * (kube-proxy names its chains after what they hold, so a name mostly has one content). A
 * chain is looked up by name in each, newest first, and a hit is confirmed rule by rule. One
 * weak reference per table, none per chain: a restore of 40,000 chains made a WeakRef for each
 * (a V8 runtime call that also keeps its target until the job ends) and swept them as the pool
 * grew, about a tenth of the restore.
 */
class ChainPool {
  private refs: WeakRef<Table>[] = [];

  /** The live tables, newest first (dereferenced once per commit, not once per chain). */
  live(): Table[] {
    const out: Table[] = [];
    for (let i = this.refs.length - 1; i >= 0; i--) {
      const t = this.refs[i]!.deref();
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  add(t: Table): void {
    const kept = this.refs.filter((r) => {
      const x = r.deref();
      return x !== undefined && x !== t;
    });
    if (kept.length >= TABLES) kept.shift();
    kept.push(new WeakRef(t));
    this.refs = kept;
  }
}

/** Tables kept per kind (see ChainPool): a cluster's nodes' latest, with room for their churn. */
const TABLES = 16;
const chainPools = new Map<TableName, ChainPool>();

function poolOf(table: TableName): ChainPool {
  let pool = chainPools.get(table);
  if (pool === undefined) chainPools.set(table, (pool = new ChainPool()));
  return pool;
}

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
 * Interns the chains of one commit of a `table` table: each call gives the shared Chain equal
 * to `c` (same table, name, policy and rules' data) held by a table committed lately, or `c`
 * itself with a new intern id. The shared chain's rules correspond to `c`'s by position.
 */
export function chainInterner(table: TableName): (c: Chain) => Chain {
  const others = poolOf(table).live();
  return (c) => {
    if (chainId(c) !== undefined) return c;
    for (let i = 0; i < others.length; i++) {
      const x = others[i]!.chains.get(c.name);
      if (x !== undefined && sameChain(x, c)) return x;
    }
    cached(c, CHAIN_ID, () => nextChainId++);
    return c;
  };
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
  const same = shared !== undefined && shared.chains instanceof ChainMap && shared.chains.sameChains(t.chains);
  if (!shared) tables.add(key, t);
  const table = same ? shared : t;
  poolOf(t.name).add(table);
  return table;
}
