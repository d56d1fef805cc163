// A committed table's chains as a persistent map in listing order (built-in chains first, in
// their fixed order, then user chains sorted by name, the user chains in sorted leaves of up to
// 2·LEAF chains under one array of leaves). A commit that changes a few chains of a 40,000-chain table copies the
// leaves they fall in and the array of ~600 leaves, not a 40,000-entry Map; the leaves it does
// not touch are shared with the table it came from. Each map also keeps an order-independent
// hash of its chains' intern ids, updated by the change, so interning the new table
// (tables-intern.ts) need not walk every chain either.
import type { Chain } from './types.js';

const LEAF = 64;
/** Changes to one leaf past this many are merged into it in one pass (see with()). */
const MERGE_FROM = 16;

interface Leaf {
  readonly keys: readonly string[];
  readonly vals: readonly Chain[];
}

/** Two independent 32-bit hashes of one chain id (summed and xored over a map's chains). */
const hashA = (id: number): number => Math.imul(id ^ 0x5bd1e995, 0x01000193) >>> 0;
const hashB = (id: number): number => {
  const x = Math.imul(id + 0x2f3a5b1d, 0x85ebca6b);
  return (x ^ (x >>> 13)) >>> 0;
};

export class ChainMap implements ReadonlyMap<string, Chain> {
  private constructor(
    private readonly builtins: readonly string[],
    private readonly idOf: (c: Chain) => number | undefined,
    /** The built-in chains present, by their rank in `builtins` (kept apart from the sorted user chains). */
    private readonly fixed: readonly (Chain | undefined)[],
    /** User chains, sorted by name. */
    private readonly leaves: readonly Leaf[],
    /** Each leaf's first key (binary searched by get). */
    private readonly firsts: readonly string[],
    readonly size: number,
    private readonly sumA: number,
    private readonly xorB: number,
    /** Chains without an id (not interned): the id hash does not stand for them. */
    private readonly unweighed: number,
  ) {}

  /** A map of `chains` given in listing order; `idOf` tells each chain's intern id. */
  static of(builtins: readonly string[], chains: readonly Chain[], idOf: (c: Chain) => number | undefined): ChainMap {
    // Indexed loops: this runs once a commit, mostly before the JIT compiles it, and a for-of
    // loop's iterator makes an object a step until then (40,000 chains).
    const fixed: (Chain | undefined)[] = builtins.map(() => undefined);
    const user: Chain[] = [];
    for (let i = 0; i < chains.length; i++) {
      const c = chains[i]!;
      const r = builtins.indexOf(c.name);
      if (r >= 0) fixed[r] = c;
      else user.push(c);
    }
    const leaves: Leaf[] = [];
    for (let i = 0; i < user.length; i += LEAF) {
      const vals = user.slice(i, i + LEAF);
      const keys: string[] = new Array(vals.length);
      for (let k = 0; k < vals.length; k++) keys[k] = vals[k]!.name;
      leaves.push({ keys, vals });
    }
    let a = 0;
    let b = 0;
    let unweighed = 0;
    for (let i = 0; i < chains.length; i++) {
      const c = chains[i]!;
      const id = idOf(c);
      if (id === undefined) unweighed++;
      else {
        a = (a + hashA(id)) >>> 0;
        b = (b ^ hashB(id)) >>> 0;
      }
    }
    return new ChainMap(
      builtins,
      idOf,
      fixed,
      leaves,
      leaves.map((l) => l.keys[0]!),
      chains.length,
      a,
      b,
      unweighed,
    );
  }

  private compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** The leaf `key` belongs in: the last whose first key is not after it (0 when none). */
  private leafOf(key: string): number {
    const f = this.firsts;
    let lo = 0;
    let hi = f.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.compare(f[mid]!, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The position of `key` in `keys`, or -(insertion point) - 1. */
  private find(keys: readonly string[], key: string): number {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(keys[mid]!, key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  get(key: string): Chain | undefined {
    const r = this.builtins.indexOf(key);
    if (r >= 0) return this.fixed[r];
    if (this.leaves.length === 0) return undefined;
    const leaf = this.leaves[this.leafOf(key)]!;
    const i = this.find(leaf.keys, key);
    return i >= 0 ? leaf.vals[i] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * This map with `changes` made (a chain set or replaced under its name; undefined: removed):
   * only the leaves the changes fall in are copied.
   */
  with(changes: ReadonlyMap<string, Chain | undefined>): ChainMap {
    if (changes.size === 0) return this;
    const byLeaf = new Map<number, [string, Chain | undefined][]>();
    const fixed = this.fixed.slice();
    let { size, sumA: a, xorB: b, unweighed } = this;
    const weigh = (c: Chain, sign: 1 | -1): void => {
      const id = this.idOf(c);
      if (id === undefined) unweighed += sign;
      else {
        a = (a + sign * hashA(id)) >>> 0;
        b = (b ^ hashB(id)) >>> 0;
      }
    };
    for (const [k, v] of changes) {
      const r = this.builtins.indexOf(k);
      if (r >= 0) {
        const old = fixed[r];
        if (old) weigh(old, -1);
        if (v) weigh(v, 1);
        size += (v ? 1 : 0) - (old ? 1 : 0);
        fixed[r] = v;
        continue;
      }
      const i = this.leaves.length === 0 ? 0 : this.leafOf(k);
      let list = byLeaf.get(i);
      if (!list) byLeaf.set(i, (list = []));
      list.push([k, v]);
    }
    const replaced = new Map<number, Leaf[]>();
    for (const [i, list] of byLeaf) {
      const leaf = this.leaves[i];
      let keys: string[];
      let vals: Chain[];
      if (list.length <= MERGE_FROM) {
        keys = leaf ? leaf.keys.slice() : [];
        vals = leaf ? leaf.vals.slice() : [];
        for (const [k, v] of list) {
          const at = this.find(keys, k);
          if (at >= 0) {
            weigh(vals[at]!, -1);
            if (v) {
              vals[at] = v;
              weigh(v, 1);
            } else {
              keys.splice(at, 1);
              vals.splice(at, 1);
              size--;
            }
          } else if (v) {
            keys.splice(-at - 1, 0, k);
            vals.splice(-at - 1, 0, v);
            weigh(v, 1);
            size++;
          }
        }
      } else {
        // Many changes in one leaf (a restore making thousands of chains in a table holding a
        // few, as kube-proxy's first sync on a node whose jump chains exist): the changes sorted,
        // then one merge with the leaf, where an insertion each (splice) moved the rest of a leaf
        // growing to 40,000 keys: quadratic when a payload declares its chains unsorted.
        // Changes mostly come sorted (a payload declaring its chains in order): then as they
        // are. Else their names sorted: sort() without a comparator orders strings by code
        // units, as compare() does, without calling back into a script function each time.
        let ordered = true;
        for (let j = 1; ordered && j < list.length; j++) if (this.compare(list[j - 1]![0], list[j]![0]) > 0) ordered = false;
        let sorted: string[] | undefined;
        if (!ordered) {
          sorted = new Array(list.length);
          for (let j = 0; j < list.length; j++) sorted[j] = list[j]![0];
          sorted.sort();
        }
        const oldKeys = leaf ? leaf.keys : [];
        const oldVals = leaf ? leaf.vals : [];
        keys = [];
        vals = [];
        let p = 0;
        for (let j = 0; j < list.length; j++) {
          const k = sorted === undefined ? list[j]![0] : sorted[j]!;
          const v = sorted === undefined ? list[j]![1] : changes.get(k);
          while (p < oldKeys.length && this.compare(oldKeys[p]!, k) < 0) {
            keys.push(oldKeys[p]!);
            vals.push(oldVals[p++]!);
          }
          if (p < oldKeys.length && oldKeys[p] === k) {
            weigh(oldVals[p++]!, -1);
            if (v) {
              keys.push(k);
              vals.push(v);
              weigh(v, 1);
            } else size--;
          } else if (v) {
            keys.push(k);
            vals.push(v);
            weigh(v, 1);
            size++;
          }
        }
        while (p < oldKeys.length) {
          keys.push(oldKeys[p]!);
          vals.push(oldVals[p++]!);
        }
      }
      const parts: Leaf[] = [];
      if (keys.length <= 2 * LEAF) {
        if (keys.length) parts.push({ keys, vals });
      } else for (let j = 0; j < keys.length; j += LEAF) parts.push({ keys: keys.slice(j, j + LEAF), vals: vals.slice(j, j + LEAF) });
      replaced.set(i, parts);
    }
    if (byLeaf.size === 0) return new ChainMap(this.builtins, this.idOf, fixed, this.leaves, this.firsts, size, a, b, unweighed);
    const leaves: Leaf[] = [];
    const n = Math.max(this.leaves.length, 1);
    for (let i = 0; i < n; i++) {
      const r = replaced.get(i);
      if (r) leaves.push(...r);
      else if (this.leaves[i]) leaves.push(this.leaves[i]!);
    }
    return new ChainMap(
      this.builtins,
      this.idOf,
      fixed,
      leaves,
      leaves.map((l) => l.keys[0]!),
      size,
      a,
      b,
      unweighed,
    );
  }

  /** The order-independent hash of the chains' ids, or undefined when a chain has none. */
  idHash(): readonly [number, number] | undefined {
    return this.unweighed === 0 ? [this.sumA, this.xorB] : undefined;
  }

  /** Whether both maps hold the very same Chain objects under the same names (shared leaves compare at once). */
  sameChains(o: ChainMap): boolean {
    if (this.size !== o.size) return false;
    for (let i = 0; i < this.fixed.length; i++) if (this.fixed[i] !== o.fixed[i]) return false;
    if (this.leaves.length === o.leaves.length) {
      let aligned = true;
      for (let i = 0; aligned && i < this.leaves.length; i++) {
        const x = this.leaves[i]!;
        const y = o.leaves[i]!;
        if (x === y) continue;
        if (x.vals.length !== y.vals.length) aligned = false;
        else for (let j = 0; j < x.vals.length; j++) if (x.vals[j] !== y.vals[j]) return false;
      }
      if (aligned) return true;
    }
    const ys = o.values();
    for (const c of this.values()) if (ys.next().value !== c) return false;
    return true;
  }

  *entries(): IterableIterator<[string, Chain]> {
    for (const c of this.fixed) if (c) yield [c.name, c];
    for (const l of this.leaves) for (let i = 0; i < l.keys.length; i++) yield [l.keys[i]!, l.vals[i]!];
  }

  *keys(): IterableIterator<string> {
    for (const c of this.fixed) if (c) yield c.name;
    for (const l of this.leaves) yield* l.keys;
  }

  *values(): IterableIterator<Chain> {
    for (const c of this.fixed) if (c) yield c;
    for (const l of this.leaves) yield* l.vals;
  }

  [Symbol.iterator](): IterableIterator<[string, Chain]> {
    return this.entries();
  }

  forEach(fn: (value: Chain, key: string, map: ReadonlyMap<string, Chain>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}
