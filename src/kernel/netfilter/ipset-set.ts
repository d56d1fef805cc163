// One ipset set's storage: the hash layout of hash:ip, hash:ip,port, hash:ip,port,ip,
// hash:ip,port,net and hash:net (ip_set_hash_gen.h) and the bitmap:port array
// (ip_set_bitmap_port.c), with the extensions (timeout, counters, comment) and lazy garbage
// collection of timed entries.
//
// The hash types keep the kernel's own layout, because `ipset list` prints members in bucket
// order: an element lives in bucket jhash2(elem struct, initval) & (2^htable_bits - 1), buckets
// grow by AHASH_INIT_SIZE (2) slots up to bucketsize (12), a full bucket doubles the table and
// rehashes in bucket order, deleted slots are reused first, and "Size in memory" is the
// kernel's arithmetic over those allocations. Lookups are hash lookups (one bucket of at most
// `bucketsize` slots); hash:net and hash:ip,port,net test a host address once per prefix length
// present in the set, longest first, exactly as mtype_test_cidrs() does.
//
// Struct sizes in "Size in memory" were measured on Linux 6.18 x86_64 (see the ipset app's
// testdata); everything else follows the kernel's published behaviour. Our own code.
import type { Clock } from '../../sim/index.js';
import { jhash2 } from './jhash.js';
import {
  elemKey, elemSize, HOST_MASK, IpsetError, prefixMask, TYPES,
  type IpsetCreateOptions, type IpsetElem, type IpsetHeader, type IpsetMember, type IpsetTypeName, type TypeDesc,
} from './ipset-types.js';

const IPSET_DEFAULT_HASHSIZE = 1024;
const IPSET_MIMINAL_HASHSIZE = 64;
const IPSET_DEFAULT_MAXELEM = 65536;
const AHASH_INIT_SIZE = 2;
const AHASH_MAX_SIZE = 6 * AHASH_INIT_SIZE;
const HTABLE_REGION_BITS = 10;
/** sizeof(struct hbucket): rcu_head, a 64-bit used bitmap, size and pos, padded to 8. */
const HBUCKET_SIZE = 32;
// Growing or shrinking a bucket by AHASH_INIT_SIZE slots is accounted as ext_size(2, dsize),
// which includes another hbucket header; freeing a bucket subtracts ext_size(size, dsize). The
// kernel's "Size in memory" keeps that drift, and so do we.
/** sizeof(struct ip_set_region). */
const REGION_SIZE = 24;
/** sizeof(struct ip_set_comment_rcu) without the string. */
const COMMENT_RCU_SIZE = 16;
const IPSET_MAX_COMMENT_SIZE = 255;
/** The longest garbage-collection period, seconds (IPSET_GC_TIME). */
const IPSET_GC_TIME = 3 * 60;

export interface Entry {
  elem: IpsetElem;
  key: string;
  nomatch: boolean;
  /** Absolute expiry in ms; undefined = permanent (or a set without timeouts). */
  expires: number | undefined;
  packets: number;
  bytes: number;
  comment: string | undefined;
}

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

function timeoutToExpiry(now: number, seconds: number | undefined): number | undefined {
  return seconds === undefined || seconds === 0 ? undefined : now + seconds * 1000;
}

/** ip_set_timeout_get(): whole seconds left, never 0 for a live timed entry. */
function remaining(now: number, expires: number | undefined): number {
  if (expires === undefined) return 0;
  const t = Math.floor((expires - now) / 1000);
  return t <= 0 ? 1 : t;
}

function expired(now: number, expires: number | undefined): boolean {
  return expires !== undefined && now > expires;
}

/** The extensions one add request sets (timeout, comment, counters). */
export interface AdtExt {
  timeout: number | undefined;
  comment: string | undefined;
  packets: number | undefined;
  bytes: number | undefined;
}

/** One set: a name, a type, and either the hash layout or the bitmap. */
export class IpSet {
  /** References from kernel components (iptables rules): `References:` in `ipset list`. */
  ref = 0;
  readonly desc: TypeDesc;
  readonly dsize: number;
  readonly timeout: number | undefined;
  readonly counters: boolean;
  readonly comment: boolean;
  readonly maxelem: number;
  readonly bucketsize: number;
  readonly initval: number;
  readonly range: { readonly from: number; readonly to: number } | undefined;
  /** Bytes of comment strings (set->ext_size). */
  private extSize = 0;

  // hash layout
  private bits = 0;
  private buckets: (Bucket | undefined)[] = [];
  private regionExt: number[] = [];
  private regionElems: number[] = [];
  private readonly nets = new NetPrefixes();
  private gcNext = 0;
  private gcRegion = 0;

  // bitmap layout
  private bitmap: (Entry | undefined)[] = [];

  constructor(
    public name: string,
    readonly type: IpsetTypeName,
    opts: IpsetCreateOptions,
    initval: number,
    private readonly clock: Clock,
  ) {
    this.desc = TYPES[type];
    this.timeout = opts.timeout;
    this.counters = opts.counters ?? false;
    this.comment = opts.comment ?? false;
    this.dsize = elemSize(this.desc, this.timeout !== undefined, this.counters, this.comment);
    this.maxelem = opts.maxelem ?? IPSET_DEFAULT_MAXELEM;
    let bs = opts.bucketsize ?? AHASH_MAX_SIZE;
    if (bs < AHASH_INIT_SIZE) bs = AHASH_INIT_SIZE;
    else if (bs > AHASH_MAX_SIZE) bs = AHASH_MAX_SIZE;
    else if (bs % 2) bs += 1;
    this.bucketsize = bs;
    this.initval = initval >>> 0;
    if (type === 'bitmap:port') {
      const r = opts.range!;
      this.range = r.from <= r.to ? r : { from: r.to, to: r.from };
      this.bitmap = new Array(this.range.to - this.range.from + 1);
    } else {
      this.range = undefined;
      let hashsize = opts.hashsize ?? IPSET_DEFAULT_HASHSIZE;
      if (hashsize < IPSET_MIMINAL_HASHSIZE) hashsize = IPSET_MIMINAL_HASHSIZE;
      this.allocTable(32 - Math.clz32(hashsize - 1));
    }
    this.gcNext = clock.now() + 1000;
  }

  get isBitmap(): boolean {
    return this.type === 'bitmap:port';
  }

  /** The type's feature bits (ip_set_swap() compares them with the family). */
  get features(): number {
    return this.desc.features;
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

  // -- header --

  header(): IpsetHeader {
    this.gc();
    const now = this.clock.now();
    let entries = 0;
    let memsize: number;
    if (this.isBitmap) {
      for (const e of this.bitmap) if (e && !expired(now, e.expires)) entries++;
      const n = this.bitmap.length;
      memsize = this.desc.baseMem + Math.ceil(n / 64) * 8 + n * this.dsize + this.extSize;
    } else {
      for (const b of this.buckets) {
        if (!b) continue;
        for (let i = 0; i < b.pos; i++) {
          const e = b.slots[i];
          if (e && !expired(now, e.expires)) entries++;
        }
      }
      memsize = this.desc.baseMem + (numofLocks(this.bits) - 1) * REGION_SIZE + this.regionExt.reduce((a, b) => a + b, 0) + this.extSize;
    }
    return {
      name: this.name,
      type: this.type,
      revision: this.desc.revision,
      ...(this.isBitmap ? { range: this.range! } : { hashsize: 2 ** this.bits, maxelem: this.maxelem, bucketsize: this.bucketsize, initval: this.initval }),
      ...(this.timeout !== undefined ? { timeout: this.timeout } : {}),
      counters: this.counters,
      comment: this.comment,
      memsize,
      references: this.ref,
      entries,
    };
  }

  /** Members in the order the kernel dumps them (bucket order for hashes, ascending for bitmaps). */
  members(): IpsetMember[] {
    this.gc();
    const now = this.clock.now();
    const out: IpsetMember[] = [];
    const show = (e: Entry): void => {
      out.push({
        elem: e.elem,
        nomatch: e.nomatch,
        ...(this.timeout !== undefined ? { timeout: remaining(now, e.expires) } : {}),
        ...(this.counters ? { packets: e.packets, bytes: e.bytes } : {}),
        ...(this.comment && e.comment !== undefined ? { comment: e.comment } : {}),
      });
    };
    if (this.isBitmap) {
      for (const e of this.bitmap) if (e && !expired(now, e.expires)) show(e);
    } else {
      for (const b of this.buckets) {
        if (!b) continue;
        for (let i = 0; i < b.pos; i++) {
          const e = b.slots[i];
          if (e && !expired(now, e.expires)) show(e);
        }
      }
    }
    return out;
  }

  // -- garbage collection (mtype_gc / bitmap gc), run lazily at the times the kernel would --

  /** Runs the periodic garbage collection that fell due up to now. */
  gc(): void {
    if (this.timeout === undefined) return;
    const now = this.clock.now();
    const period = IPSET_GC_TIME < Math.floor(this.timeout / 3) ? IPSET_GC_TIME : Math.floor(this.timeout / 3) || 1;
    let runs = 0;
    while (this.gcNext <= now && runs < 256) {
      const at = this.gcNext;
      if (this.isBitmap) {
        for (let i = 0; i < this.bitmap.length; i++) {
          const e = this.bitmap[i];
          if (e && expired(at, e.expires)) this.dropBitmap(i);
        }
        this.gcNext += period * 1000;
      } else {
        const locks = numofLocks(this.bits);
        let r = this.gcRegion++;
        if (r >= locks) r = this.gcRegion = 0;
        this.gcDo(r, at);
        this.gcNext += Math.max(100, Math.floor((period * 1000) / locks));
      }
      runs++;
    }
    if (this.gcNext <= now) this.gcNext = now + period * 1000;
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
        this.destroyExt(e);
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

  private destroyExt(e: Entry): void {
    if (e.comment !== undefined) {
      this.extSize -= COMMENT_RCU_SIZE + e.comment.length + 1;
      e.comment = undefined;
    }
  }

  private initComment(e: Entry, comment: string | undefined): void {
    if (!this.comment) return;
    this.destroyExt(e);
    if (!comment) return;
    const c = comment.length > IPSET_MAX_COMMENT_SIZE ? comment.slice(0, IPSET_MAX_COMMENT_SIZE) : comment;
    e.comment = c;
    this.extSize += COMMENT_RCU_SIZE + c.length + 1;
  }

  private initExt(e: Entry, ext: AdtExt): void {
    if (this.counters) {
      if (ext.bytes !== undefined) e.bytes = ext.bytes;
      if (ext.packets !== undefined) e.packets = ext.packets;
    }
    this.initComment(e, ext.comment);
    if (this.timeout !== undefined) e.expires = timeoutToExpiry(this.clock.now(), ext.timeout);
  }

  // -- hash add/del/test (mtype_add, mtype_del, mtype_test) --

  /** Adds one element; throws IpsetError('EXIST') unless `exist`. */
  addElem(elem: IpsetElem, ext: AdtExt, nomatch: boolean, exist: boolean): void {
    if (this.isBitmap) return this.bitmapAdd(elem.port, ext, exist);
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
      if (this.timeout !== undefined) this.gcDo(r, now);
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
          this.initExt(data, ext);
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
        this.destroyExt(old);
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
    this.initExt(e, ext);
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
  delElem(d: IpsetElem, exist: boolean): void {
    if (this.isBitmap) return this.bitmapDel(d.port, exist);
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
        this.destroyExt(data);
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
    if (this.isBitmap) {
      const e = this.bitmapEntry(d.port);
      return e && !expired(this.clock.now(), e.expires) ? e : undefined;
    }
    const netField = this.desc.nets;
    if (netField && d.cidr === HOST_MASK) {
      for (const cidr of this.nets.order) {
        const masked: IpsetElem = netField === 'ip'
          ? Object.assign({}, d, { ip: (d.ip & prefixMask(cidr)) >>> 0, cidr })
          : Object.assign({}, d, { ip2: (d.ip2 & prefixMask(cidr)) >>> 0, cidr });
        const e = this.findExact(masked);
        if (e) return e;
      }
      return undefined;
    }
    return this.findExact(d);
  }

  // -- bitmap:port --

  private bitmapEntry(port: number): Entry | undefined {
    const r = this.range!;
    if (port < r.from || port > r.to) return undefined;
    return this.bitmap[port - r.from];
  }

  private bitmapAdd(port: number, ext: AdtExt, exist: boolean): void {
    const r = this.range!;
    if (port < r.from || port > r.to) throw new IpsetError('BITMAP_RANGE');
    const i = port - r.from;
    const cur = this.bitmap[i];
    if (cur && !expired(this.clock.now(), cur.expires)) {
      if (!exist) throw new IpsetError('EXIST');
      this.initExt(cur, ext);
      return;
    }
    if (cur) this.destroyExt(cur);
    const elem: IpsetElem = { ip: 0, cidr: 32, port, proto: 0, ip2: 0 };
    const e: Entry = { elem, key: elemKey(elem), nomatch: false, expires: undefined, packets: 0, bytes: 0, comment: undefined };
    this.initExt(e, ext);
    this.bitmap[i] = e;
  }

  private bitmapDel(port: number, exist: boolean): void {
    const r = this.range!;
    if (port < r.from || port > r.to) throw new IpsetError('BITMAP_RANGE');
    const i = port - r.from;
    const cur = this.bitmap[i];
    if (!cur || expired(this.clock.now(), cur.expires)) {
      if (cur) this.dropBitmap(i);
      if (!exist) throw new IpsetError('EXIST');
      return;
    }
    this.dropBitmap(i);
  }

  private dropBitmap(i: number): void {
    const cur = this.bitmap[i];
    if (cur) this.destroyExt(cur);
    this.bitmap[i] = undefined;
  }

  /** mtype_flush(): every element goes; the table keeps its size. */
  flush(): void {
    if (this.isBitmap) {
      for (let i = 0; i < this.bitmap.length; i++) this.dropBitmap(i);
      return;
    }
    for (const n of this.buckets) {
      if (!n) continue;
      for (let j = 0; j < n.pos; j++) {
        const e = n.slots[j];
        if (e) this.destroyExt(e);
      }
    }
    this.buckets = new Array(2 ** this.bits);
    this.regionExt.fill(0);
    this.regionElems.fill(0);
    this.nets.clear();
  }

  /** Counts a packet against a matched entry (xt_set updates counters on match). */
  count(e: Entry, len: number): void {
    if (!this.counters) return;
    e.packets++;
    e.bytes += len;
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
