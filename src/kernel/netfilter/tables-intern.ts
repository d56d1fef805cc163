// Rule sets identical across namespaces are stored once: a committed Chain is interned by its
// canonical text (table, name, policy, rules as iptables-save prints them) and a committed Table
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

const chains = new WeakPool<Chain>();
const tables = new WeakPool<Table>();
let nextChainId = 1;

/** Folds a rule's data (plain objects, arrays, strings, numbers, booleans) into a hash, two ways. */
class DataHash {
  a = 0x811c9dc5;
  b = 0x2f3a5b1d;

  private mix(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b + x, 0x5bd1e995);
    this.b ^= this.b >>> 15;
  }

  private text(s: string): void {
    const n = s.length;
    this.mix(n);
    // Two characters per step: a restore hashes every comment and chain name of its rules.
    let i = 0;
    for (; i + 1 < n; i += 2) this.mix(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < n) this.mix(s.charCodeAt(i));
  }

  private addr(a: { readonly addr: number; readonly len: number; readonly invert: boolean } | undefined): void {
    if (!a) return this.mix(10);
    this.mix(a.addr);
    this.mix(a.len);
    this.mix(a.invert ? 3 : 4);
  }

  private iface(i: { readonly name: string; readonly invert: boolean } | undefined): void {
    if (!i) return this.mix(11);
    this.text(i.name);
    this.mix(i.invert ? 3 : 4);
  }

  /** A rule, its fields read directly (equal rules hash equal; sameChain confirms a match). */
  rule(r: Rule): void {
    this.mix(12);
    this.addr(r.src);
    this.addr(r.dst);
    this.iface(r.inIface);
    this.iface(r.outIface);
    const p = r.protocol;
    if (p) {
      this.mix(p.proto);
      this.mix(p.invert ? 3 : 4);
    } else this.mix(13);
    const ms = r.matches;
    this.mix(ms.length);
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      if (m.kind === 'comment') {
        this.mix(14);
        this.text(m.comment);
      } else this.value(m);
    }
    const t = r.target;
    if (t.kind === 'jump') {
      this.mix(t.goto ? 15 : 16);
      this.text(t.chain);
    } else this.value(t);
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.mix(1);
        return this.text(v);
      case 'number':
        this.mix(2);
        this.mix(v | 0);
        return this.mix((v * 4294967296) | 0);
      case 'boolean':
        return this.mix(v ? 3 : 4);
      case 'object':
        if (v === null) return this.mix(5);
        if (Array.isArray(v)) {
          this.mix(6);
          this.mix(v.length);
          for (const x of v) this.value(x);
          return;
        }
        this.mix(7);
        for (const k in v) {
          this.text(k);
          this.value((v as Record<string, unknown>)[k]);
        }
        return;
      default:
        return this.mix(8);
    }
  }
}

/**
 * A short key for a chain (table, name, policy, its rules' data): neither interning nor the pool
 * holds a copy of a long chain's text, and no rule has to be printed to find an identical chain.
 * Equal keys are confirmed rule by rule (sameChain).
 */
function chainKey(table: TableName, c: Chain): string {
  const h = new DataHash();
  for (const r of c.rules) h.rule(r);
  // Flat: a pool key kept as a rope of template pieces is ~9 strings (11 MB for 40,000 chains).
  return flat(`${table} ${c.name} ${c.policy ?? '-'} ${c.rules.length} ${(h.a >>> 0).toString(36)} ${(h.b >>> 0).toString(36)}`);
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
 * The shared Chain equal to `c` (same table, name, policy and rule texts), registering `c` when
 * there is none. The shared chain's rules correspond to `c`'s by position.
 */
export function internChain(table: TableName, c: Chain): Chain {
  if (chainId(c) !== undefined) return c;
  const key = chainKey(table, c);
  const shared = chains.get(key);
  if (shared) {
    if (sameChain(shared, c)) return shared;
    // A hash collision: this chain stays unshared.
  } else chains.add(key, c);
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
