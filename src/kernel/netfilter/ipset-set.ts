// One ipset set: options and extensions over the hash layout (ipset-hash.ts) or bitmap:port slots
// (ipset-bitmap.ts), the header and member dump `ipset list` prints, lazy gc at the kernel's times
// (ip_set_core.c; mtype_head/mtype_list/mtype_gc of ip_set_hash_gen.h and ip_set_bitmap_gen.h).
import type { Clock } from '../../sim/index.js';
import { BitmapPort } from './ipset-bitmap.js';
import { Extensions, remaining, type AdtExt, type Entry } from './ipset-ext.js';
import { AHASH_INIT_SIZE, AHASH_MAX_SIZE, HashTable } from './ipset-hash.js';
import {
  elemSize,
  TYPES,
  type IpsetCreateOptions,
  type IpsetElem,
  type IpsetHeader,
  type IpsetMember,
  type IpsetTypeName,
  type TypeDesc,
} from './ipset-types.js';

const IPSET_DEFAULT_HASHSIZE = 1024;
const IPSET_MIMINAL_HASHSIZE = 64;
const IPSET_DEFAULT_MAXELEM = 65536;
/** The longest garbage-collection period, seconds (IPSET_GC_TIME). */
const IPSET_GC_TIME = 3 * 60;

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
  private readonly ext: Extensions;
  private readonly hash: HashTable | undefined;
  private readonly bitmap: BitmapPort | undefined;
  private gcNext = 0;

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
    this.ext = new Extensions(this.timeout, this.counters, this.comment, clock);
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
      this.bitmap = new BitmapPort(this.range, this.ext, clock);
    } else {
      this.range = undefined;
      let hashsize = opts.hashsize ?? IPSET_DEFAULT_HASHSIZE;
      if (hashsize < IPSET_MIMINAL_HASHSIZE) hashsize = IPSET_MIMINAL_HASHSIZE;
      this.hash = new HashTable(this.desc, this.dsize, this.maxelem, this.bucketsize, this.initval, hashsize, this.ext, clock);
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

  // -- header and members --

  header(): IpsetHeader {
    this.gc();
    const now = this.clock.now();
    let entries = 0;
    const count = (): void => {
      entries++;
    };
    let memsize: number;
    if (this.bitmap) {
      this.bitmap.forEachLive(now, count);
      memsize = this.bitmap.memsize(this.desc.baseMem, this.dsize) + this.ext.size;
    } else {
      this.hash!.forEachLive(now, count);
      memsize = this.hash!.memsize() + this.ext.size;
    }
    return {
      name: this.name,
      type: this.type,
      revision: this.desc.revision,
      ...(this.isBitmap
        ? { range: this.range! }
        : { hashsize: this.hash!.size, maxelem: this.maxelem, bucketsize: this.bucketsize, initval: this.initval }),
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
    (this.bitmap ?? this.hash!).forEachLive(now, show);
    return out;
  }

  // -- garbage collection (mtype_gc / bitmap gc), run lazily at the times the kernel would --

  /** Runs the periodic garbage collection that fell due up to now. */
  gc(): void {
    if (this.timeout === undefined) return;
    const now = this.clock.now();
    const period = IPSET_GC_TIME < Math.floor(this.timeout / 3) ? IPSET_GC_TIME : Math.floor(this.timeout / 3) || 1;
    const store = this.bitmap ?? this.hash!;
    let runs = 0;
    while (this.gcNext <= now && runs < 256) {
      this.gcNext += store.gcStep(this.gcNext, period);
      runs++;
    }
    if (this.gcNext <= now) this.gcNext = now + period * 1000;
  }

  // -- add/del/test --

  /** Adds one element; throws IpsetError('EXIST') unless `exist`. */
  addElem(elem: IpsetElem, ext: AdtExt, nomatch: boolean, exist: boolean): void {
    if (this.bitmap) this.bitmap.add(elem.port, ext, exist);
    else this.hash!.add(elem, ext, nomatch, exist);
  }

  /** Deletes one element; throws IpsetError('EXIST') (not added) unless `exist`. */
  delElem(d: IpsetElem, exist: boolean): void {
    if (this.bitmap) this.bitmap.del(d.port, exist);
    else this.hash!.del(d, exist);
  }

  /** The live entry an element matches (mtype_test), if any. */
  lookup(d: IpsetElem): Entry | undefined {
    return this.bitmap ? this.bitmap.lookup(d.port) : this.hash!.lookup(d);
  }

  /** mtype_flush(): every element goes; a hash table keeps its size. */
  flush(): void {
    (this.bitmap ?? this.hash!).flush();
  }

  /** Counts a packet against a matched entry (xt_set updates counters on match). */
  count(e: Entry, len: number): void {
    if (!this.counters) return;
    e.packets++;
    e.bytes += len;
  }
}
