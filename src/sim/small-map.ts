// A Map for the many tables that hold a few entries each (a pod namespace's devices and routing
// tables, its TCP listeners, its devices' sysctls). V8's Map costs about 180 bytes however few
// entries it holds; this one keeps up to SMALL entries as one list of the exact length (about 70
// bytes for one entry, 90 for two) and moves them to a Map when it grows past that.

/** Entries kept in the list; past this many the entries move to a Map for good. */
const SMALL = 8;

/**
 * Map's behaviour (insertion order, SameValueZero keys) with a small footprint while small.
 * Unlike a Map, an iteration begun while the map is small goes over the entries as they were
 * when it began: an entry added or deleted meanwhile is not seen (or is seen) by it.
 */
export class SmallMap<K, V> implements ReadonlyMap<K, V> {
  /** Keys and values alternating, while there are at most SMALL entries; undefined when empty or big. */
  private flat: (K | V)[] | undefined;
  private big: Map<K, V> | undefined;

  constructor(entries?: Iterable<readonly [K, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.big ? this.big.size : this.flat ? this.flat.length >> 1 : 0;
  }

  get(key: K): V | undefined {
    if (this.big) return this.big.get(key);
    const i = this.indexOf(key);
    return i < 0 ? undefined : (this.flat![i + 1] as V);
  }

  has(key: K): boolean {
    return this.big ? this.big.has(key) : this.indexOf(key) >= 0;
  }

  set(key: K, value: V): this {
    if (this.big) {
      this.big.set(key, value);
      return this;
    }
    const i = this.indexOf(key);
    if (i >= 0) {
      this.flat![i + 1] = value;
      return this;
    }
    // a Map keeps -0 as 0
    if (key === 0) key = 0 as K;
    const old = this.flat;
    const n = old ? old.length : 0;
    if (n >> 1 === SMALL) {
      const big = new Map<K, V>();
      for (let j = 0; j < n; j += 2) big.set(old![j] as K, old![j + 1] as V);
      big.set(key, value);
      this.big = big;
      this.flat = undefined;
      return this;
    }
    // a new list of the exact length, as iterations begun before keep the old one
    const grown: (K | V)[] = new Array(n + 2);
    for (let j = 0; j < n; j++) grown[j] = old![j]!;
    grown[n] = key;
    grown[n + 1] = value;
    this.flat = grown;
    return this;
  }

  delete(key: K): boolean {
    if (this.big) return this.big.delete(key);
    const i = this.indexOf(key);
    if (i < 0) return false;
    const old = this.flat!;
    if (old.length === 2) this.flat = undefined;
    else {
      const left: (K | V)[] = new Array(old.length - 2);
      for (let j = 0, o = 0; j < old.length; j += 2) {
        if (j === i) continue;
        left[o++] = old[j]!;
        left[o++] = old[j + 1]!;
      }
      this.flat = left;
    }
    return true;
  }

  clear(): void {
    this.big?.clear();
    this.flat = undefined;
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  keys(): MapIterator<K> {
    if (this.big) return this.big.keys();
    return this.list((flat, i) => flat[i] as K);
  }

  values(): MapIterator<V> {
    if (this.big) return this.big.values();
    return this.list((flat, i) => flat[i + 1] as V);
  }

  entries(): MapIterator<[K, V]> {
    if (this.big) return this.big.entries();
    return this.list((flat, i): [K, V] => [flat[i] as K, flat[i + 1] as V]);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'SmallMap';
  }

  /** The entries' keys, values or pairs as a list's iterator (a Map's iterator type: both are built-in iterators). */
  private list<T>(pick: (flat: readonly (K | V)[], i: number) => T): MapIterator<T> {
    const flat = this.flat;
    const out: T[] = [];
    if (flat) for (let i = 0; i < flat.length; i += 2) out.push(pick(flat, i));
    return out.values() as unknown as MapIterator<T>;
  }

  /** Where `key` is in the list (an even index), or -1. */
  private indexOf(key: K): number {
    const flat = this.flat;
    if (!flat) return -1;
    for (let i = 0; i < flat.length; i += 2) {
      const k = flat[i];
      // SameValueZero: NaN is NaN (and 0 is -0, which === says)
      if (k === key || (Number.isNaN(k) && Number.isNaN(key))) return i;
    }
    return -1;
  }
}
