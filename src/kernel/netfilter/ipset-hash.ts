// The hash set types (hash:ip, hash:ip,port, hash:ip,port,ip, hash:ip,port,net, hash:net) in the
// kernel's own layout: regions of buckets grown by AHASH_INIT_SIZE slots, resize by doubling,
// per-prefix bookkeeping for the net types (net/netfilter/ipset/ip_set_hash_gen.h).
import type { Clock } from '../../sim/index.js';
import { expired, type AdtExt, type Entry, type Extensions } from './ipset-ext.js';
import { jhash2 } from './jhash.js';
import { elemKey, HOST_MASK, IpsetError, prefixMask, type IpsetElem, type TypeDesc } from './ipset-types.js';

export const AHASH_INIT_SIZE = 2;
/** The largest bucket, slots (bucketsize's ceiling). */
export const AHASH_MAX_SIZE = 6 * AHASH_INIT_SIZE;
const HTABLE_REGION_BITS = 10;
/** sizeof(struct hbucket): rcu_head, a 64-bit used bitmap, size and pos, padded to 8. */
const HBUCKET_SIZE = 32;
// Growing or shrinking a bucket by AHASH_INIT_SIZE slots is accounted as ext_size(2, dsize),
// which includes another hbucket header; freeing a bucket subtracts ext_size(size, dsize). The
// kernel's "Size in memory" keeps that drift, and so do we.
/** sizeof(struct ip_set_region). */
const REGION_SIZE = 24;

interface Bucket {
  size: number;
  pos: number;
  slots: (Entry | undefined)[];
}

/** The bookkeeping of prefix lengths present (struct net_prefixes), longest first. */
class NetPrefixes {
  /** Prefix lengths present, descending. */
  readonly order: number[] = [];
  private readonly counts = new Map<number, number>();

  add(cidr: number): void {
    const n = this.counts.get(cidr);
    if (n) {
      this.counts.set(cidr, n + 1);
      return;
    }
    this.counts.set(cidr, 1);
    let i = 0;
    while (i < this.order.length && this.order[i]! > cidr) i++;
    this.order.splice(i, 0, cidr);
  }

  del(cidr: number): void {
    const n = this.counts.get(cidr);
    if (!n) return;
    if (n > 1) {
      this.counts.set(cidr, n - 1);
      return;
    }
    this.counts.delete(cidr);
    this.order.splice(this.order.indexOf(cidr), 1);
  }

  clear(): void {
    this.order.length = 0;
    this.counts.clear();
  }
}

/**
 * The table of one hash set. It keeps the kernel's own layout because `ipset list` prints members
 * in bucket order: an element lives in bucket jhash2(elem struct, initval) & (2^htable_bits - 1),
 * buckets grow by AHASH_INIT_SIZE (2) slots up to bucketsize (12), a full bucket doubles the table
 * and rehashes in bucket order, deleted slots are reused first, and "Size in memory" is the
 * kernel's arithmetic over those allocations (struct sizes measured on Linux 6.18 x86_64, see the
 * ipset app's testdata). A lookup reads one bucket; hash:net and hash:ip,port,net test a host
 * address once per prefix length present, longest first, as mtype_test_cidrs() does.
 */
export class HashTable {
  private bits = 0;
  private buckets: (Bucket | undefined)[] = [];
  private regionExt: number[] = [];
  private regionElems: number[] = [];
  private readonly nets = new NetPrefixes();
  private gcRegion = 0;

  constructor(
    private readonly desc: TypeDesc,
    /** The element size with its extensions. */
    private readonly dsize: number,
    private readonly maxelem: number,
    private readonly bucketsize: number,
    private readonly initval: number,
    hashsize: number,
    private readonly ext: Extensions,
    private readonly clock: Clock,
  ) {
    this.allocTable(32 - Math.clz32(hashsize - 1));
  }

  /** The table's size, `hashsize` in `ipset list`. */
  get size(): number {
    return 2 ** this.bits;
  }

  /** sizeof(htype) + the regions + the buckets (set->ext_size apart). */
  memsize(): number {
    return this.desc.baseMem + (numofLocks(this.bits) - 1) * REGION_SIZE + this.regionExt.reduce((a, b) => a + b, 0);
  }

  /** The live entries in bucket order, as the kernel dumps them. */
  forEachLive(now: number, fn: (e: Entry) => void): void {
    for (const b of this.buckets) {
      if (!b) continue;
      for (let i = 0; i < b.pos; i++) {
        const e = b.slots[i];
        if (e && !expired(now, e.expires)) fn(e);
      }
    }
  }

  /** One garbage-collection run at `at` over the next region; returns the time to the next, ms. */
  gcStep(at: number, period: number): number {
    const locks = numofLocks(this.bits);
    let r = this.gcRegion++;
    if (r >= locks) r = this.gcRegion = 0;
    this.gcDo(r, at);
    return Math.max(100, Math.floor((period * 1000) / locks));
  }

  private allocTable(bits: number): void {
    this.bits = bits;
    this.buckets = new Array(2 ** bits);
    const locks = numofLocks(bits);
    this.regionExt = new Array(locks).fill(0);
    this.regionElems = new Array(locks).fill(0);
  }

  private maxelemPerRegion(): number {
    return Math.floor(this.maxelem / numofLocks(this.bits));
  }

  private hkey(e: IpsetElem, bits = this.bits): number {
    return (jhash2(this.desc.words(e), this.initval) & (2 ** bits - 1)) >>> 0;
  }

  private gcDo(r: number, now: number): void {
    const [start, end] = regionBuckets(r, this.bits);
    for (let i = start; i < end; i++) {
      const n = this.buckets[i];
      if (!n) continue;
      let d = 0;
      for (let j = 0; j < n.pos; j++) {
        const e = n.slots[j];
        if (!e) {
          d++;
          continue;
        }
        if (!expired(now, e.expires)) continue;
        n.slots[j] = undefined;
        if (this.desc.nets) this.nets.del(e.elem.cidr);
        this.regionElems[r]!--;
        this.ext.destroy(e);
        d++;
      }
      if (d >= AHASH_INIT_SIZE) {
        if (d >= n.size) {
          this.regionExt[r]! -= HBUCKET_SIZE + n.size * this.dsize;
          this.buckets[i] = undefined;
          continue;
        }
        const live = n.slots.slice(0, n.pos).filter((x): x is Entry => x !== undefined);
        n.size -= AHASH_INIT_SIZE;
        n.slots = live;
        n.pos = live.length;
        this.regionExt[r]! -= HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize;
      }
    }
  }

  // -- add/del/test (mtype_add, mtype_del, mtype_test) --

  /** Adds one element; throws IpsetError('EXIST') unless `exist`. */
  add(elem: IpsetElem, ext: AdtExt, nomatch: boolean, exist: boolean): void {
    for (;;) {
      const r = this.hashAdd(elem, ext, nomatch, exist);
      if (r !== 'resize') return;
      this.resize();
    }
  }

  private hashAdd(d: IpsetElem, ext: AdtExt, nomatch: boolean, exist: boolean): 'ok' | 'resize' {
    const now = this.clock.now();
    const key = this.hkey(d);
    const r = regionOf(key, this.bits);
    let elements = this.regionElems[r]!;
    let maxelem = this.maxelemPerRegion();
    if (elements >= maxelem) {
      if (this.ext.timeout !== undefined) this.gcDo(r, now);
      maxelem = this.maxelem;
      elements = this.regionElems.reduce((a, b) => a + b, 0);
    }
    const k = elemKey(d);
    let n = this.buckets[key];
    if (!n) {
      if (elements >= maxelem) throw new IpsetError('HASH_FULL');
      n = { size: AHASH_INIT_SIZE, pos: 0, slots: [] };
      this.regionExt[r]! += HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize;
      this.buckets[key] = n;
      return this.place(n, n.pos++, d, k, ext, nomatch, r, false);
    }
    let j = -1;
    let deleted = false;
    let reuse = false;
    for (let i = 0; i < n.pos; i++) {
      const data = n.slots[i];
      if (!data) {
        if (j === -1) {
          deleted = reuse = true;
          j = i;
        }
        continue;
      }
      if (data.key === k) {
        if (exist || expired(now, data.expires)) {
          // Only the extensions (and the nomatch flag) are overwritten.
          data.nomatch = nomatch;
          this.ext.init(data, ext);
          return 'ok';
        }
        throw new IpsetError('EXIST');
      }
      if (expired(now, data.expires) && j === -1) {
        j = i;
        reuse = true;
      }
    }
    if (reuse) {
      const old = n.slots[j];
      if (!deleted && old) {
        if (this.desc.nets) this.nets.del(old.elem.cidr);
        this.ext.destroy(old);
        this.regionElems[r]!--;
      }
      return this.place(n, j, d, k, ext, nomatch, r, false);
    }
    if (elements >= maxelem) throw new IpsetError('HASH_FULL');
    if (n.pos >= n.size) {
      if (n.size >= this.bucketsize) return 'resize';
      n.size += AHASH_INIT_SIZE;
      this.regionExt[r]! += HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize;
    }
    return this.place(n, n.pos++, d, k, ext, nomatch, r, false);
  }

  private place(n: Bucket, j: number, d: IpsetElem, key: string, ext: AdtExt, nomatch: boolean, r: number, _resizing: boolean): 'ok' {
    this.regionElems[r]!++;
    if (this.desc.nets) this.nets.add(d.cidr);
    const e: Entry = { elem: d, key, nomatch, expires: undefined, packets: 0, bytes: 0, comment: undefined };
    this.ext.init(e, ext);
    n.slots[j] = e;
    return 'ok';
  }

  /** mtype_resize(): double the table and rehash in bucket order until every bucket fits. */
  private resize(): void {
    const now = this.clock.now();
    const old = this.buckets;
    let bits = this.bits;
    for (;;) {
      bits++;
      if (bits > 31) throw new IpsetError('HASH_FULL');
      const size = 2 ** bits;
      const table: (Bucket | undefined)[] = new Array(size);
      const locks = numofLocks(bits);
      const ext = new Array(locks).fill(0);
      const elems = new Array(locks).fill(0);
      let ok = true;
      outer: for (const n of old) {
        if (!n) continue;
        for (let j = 0; j < n.pos; j++) {
          const data = n.slots[j];
          if (!data || expired(now, data.expires)) continue;
          const key = this.hkey(data.elem, bits);
          const nr = regionOf(key, bits);
          let m = table[key];
          if (!m) {
            m = { size: AHASH_INIT_SIZE, pos: 0, slots: [] };
            ext[nr] += HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize;
            table[key] = m;
          } else if (m.pos >= m.size) {
            if (m.size >= this.bucketsize) {
              ok = false;
              break outer;
            }
            m.size += AHASH_INIT_SIZE;
            ext[nr] += HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize;
          }
          m.slots[m.pos++] = data;
          elems[nr]++;
        }
      }
      if (!ok) continue;
      // Expired entries stay behind with the old table, which the kernel frees without running
      // their extension destructors or the prefix bookkeeping (mtype_ahash_destroy(.., false)).
      this.bits = bits;
      this.buckets = table;
      this.regionExt = ext;
      this.regionElems = elems;
      return;
    }
  }

  /** Deletes one element; throws IpsetError('EXIST') (not added) unless `exist`. */
  del(d: IpsetElem, exist: boolean): void {
    const now = this.clock.now();
    const key = this.hkey(d);
    const r = regionOf(key, this.bits);
    const n = this.buckets[key];
    const k = elemKey(d);
    if (n) {
      let holes = 0;
      for (let i = 0; i < n.pos; i++) {
        const data = n.slots[i];
        if (!data) {
          holes++;
          continue;
        }
        if (data.key !== k) continue;
        if (expired(now, data.expires)) break;
        n.slots[i] = undefined;
        if (i + 1 === n.pos) n.pos--;
        this.regionElems[r]!--;
        if (this.desc.nets) this.nets.del(d.cidr);
        this.ext.destroy(data);
        for (; i < n.pos; i++) if (!n.slots[i]) holes++;
        if (n.pos === 0 && holes === 0) {
          this.regionExt[r]! -= HBUCKET_SIZE + n.size * this.dsize;
          this.buckets[key] = undefined;
        } else if (holes >= AHASH_INIT_SIZE) {
          const live = n.slots.slice(0, n.pos).filter((x): x is Entry => x !== undefined);
          n.size -= AHASH_INIT_SIZE;
          n.slots = live;
          n.pos = live.length;
          this.regionExt[r]! -= HBUCKET_SIZE + AHASH_INIT_SIZE * this.dsize;
        }
        return;
      }
    }
    if (!exist) throw new IpsetError('EXIST');
  }

  private findExact(d: IpsetElem): Entry | undefined {
    const n = this.buckets[this.hkey(d)];
    if (!n) return undefined;
    const k = elemKey(d);
    const now = this.clock.now();
    for (let i = 0; i < n.pos; i++) {
      const data = n.slots[i];
      if (data && data.key === k && !expired(now, data.expires)) return data;
    }
    return undefined;
  }

  /**
   * mtype_test(): the matching entry for an element, trying every prefix length present
   * (longest first) when the element is a host in a type that stores networks.
   */
  lookup(d: IpsetElem): Entry | undefined {
    const netField = this.desc.nets;
    if (netField && d.cidr === HOST_MASK) {
      for (const cidr of this.nets.order) {
        const masked: IpsetElem =
          netField === 'ip'
            ? Object.assign({}, d, { ip: (d.ip & prefixMask(cidr)) >>> 0, cidr })
            : Object.assign({}, d, { ip2: (d.ip2 & prefixMask(cidr)) >>> 0, cidr });
        const e = this.findExact(masked);
        if (e) return e;
      }
      return undefined;
    }
    return this.findExact(d);
  }

  /** mtype_flush(): every element goes; the table keeps its size. */
  flush(): void {
    for (const n of this.buckets) {
      if (!n) continue;
      for (let j = 0; j < n.pos; j++) {
        const e = n.slots[j];
        if (e) this.ext.destroy(e);
      }
    }
    this.buckets = new Array(2 ** this.bits);
    this.regionExt.fill(0);
    this.regionElems.fill(0);
    this.nets.clear();
  }
}

function numofLocks(bits: number): number {
  return bits < HTABLE_REGION_BITS ? 1 : 2 ** (bits - HTABLE_REGION_BITS);
}

function regionOf(key: number, bits: number): number {
  return bits < HTABLE_REGION_BITS ? 0 : Math.floor(key / 2 ** HTABLE_REGION_BITS);
}

function regionBuckets(r: number, bits: number): [number, number] {
  if (bits < HTABLE_REGION_BITS) return [0, 2 ** bits];
  return [r * 2 ** HTABLE_REGION_BITS, (r + 1) * 2 ** HTABLE_REGION_BITS];
}
