// The ipset registry of one network namespace (net/netfilter/ipset/ip_set_core.c) and the set
// types kube-proxy and friends use: hash:ip, hash:ip,port, hash:ip,port,ip, hash:ip,port,net,
// hash:net (ip_set_hash_gen.h) and bitmap:port (ip_set_bitmap_port.c).
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
import type { Netns } from '../netns.js';
import { be16Low, be32Word, jhash2 } from './jhash.js';

// ---- public types ---------------------------------------------------------------------------

export type IpsetTypeName = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port';

/** One element in the kernel's terms (the IPv4 `mtype_elem`), every field in host order. */
export interface IpsetElem {
  /** First dimension address (hash:net: the network). */
  readonly ip: number;
  /** hash:net: prefix length of `ip`; hash:ip,port,net: prefix length of `ip2`; otherwise 32. */
  readonly cidr: number;
  /** Port (ICMP: type << 8 | code); bitmap:port keeps its member here. */
  readonly port: number;
  /** IP protocol number of the port dimension (0 where the type has none). */
  readonly proto: number;
  /** Third dimension address (hash:ip,port,ip and hash:ip,port,net). */
  readonly ip2: number;
}

export interface IpsetCreateOptions {
  /** Rounded up to a power of two, at least 64 (IPSET_MIMINAL_HASHSIZE). Default 1024. */
  readonly hashsize?: number;
  /** Default 65536. */
  readonly maxelem?: number;
  /** Default element timeout in seconds; present (even 0) means the set supports timeouts. */
  readonly timeout?: number;
  readonly counters?: boolean;
  readonly comment?: boolean;
  /** Slots per bucket before the table doubles: 2..12, even. Default 12. */
  readonly bucketsize?: number;
  /** The jhash seed; random (from the registry's source) when absent. */
  readonly initval?: number;
  /** bitmap:port only: the inclusive port range. */
  readonly range?: { readonly from: number; readonly to: number };
}

/**
 * What `ipset add|del|test` sends the kernel (IPSET_ATTR_*): one element or ranges that the
 * type expands (ip/ipTo or cidr, port/portTo, ip2/ip2To or cidr2), plus the extensions.
 */
export interface IpsetAdtSpec {
  readonly ip?: number;
  readonly ipTo?: number;
  readonly cidr?: number;
  readonly port?: number;
  readonly portTo?: number;
  readonly proto?: number;
  readonly ip2?: number;
  readonly ip2To?: number;
  readonly cidr2?: number;
  readonly nomatch?: boolean;
  readonly timeout?: number;
  readonly comment?: string;
  readonly packets?: number;
  readonly bytes?: number;
}

/** A member as `ipset list` shows it. */
export interface IpsetMember {
  readonly elem: IpsetElem;
  readonly nomatch: boolean;
  /** Remaining seconds (0 = permanent); only in sets with timeout support. */
  readonly timeout?: number;
  readonly packets?: number;
  readonly bytes?: number;
  readonly comment?: string;
}

/** The header `ipset list` prints for a set. */
export interface IpsetHeader {
  readonly name: string;
  readonly type: IpsetTypeName;
  readonly revision: number;
  readonly hashsize?: number;
  readonly maxelem?: number;
  readonly timeout?: number;
  readonly counters: boolean;
  readonly comment: boolean;
  readonly bucketsize?: number;
  readonly initval?: number;
  readonly range?: { readonly from: number; readonly to: number };
  readonly memsize: number;
  readonly references: number;
  readonly entries: number;
}

/** The packet fields a `-m set` match can look at. */
export interface IpsetPacket {
  readonly src: number;
  readonly dst: number;
  readonly proto: number;
  readonly sport?: number;
  readonly dport?: number;
  /** ICMP type and code (the "port" of an ICMP packet is type << 8 | code). */
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Bytes of the packet, for set counters. */
  readonly len?: number;
}

/**
 * Kernel error codes (include/uapi/linux/netfilter/ipset/ip_set*.h, plus the errnos the core
 * returns). The ipset app turns each into the userspace tool's sentence for its command.
 */
export type IpsetErrorCode =
  | 'ENOENT' // no set by that name
  | 'EXIST_SETNAME2' // a set with the (new) name exists
  | 'EXIST' // element already added (add) / not added (del); set exists with other params (create -exist)
  | 'BUSY' // set referenced by a kernel component (destroy)
  | 'REFERENCED' // rename of a referenced set
  | 'TYPE_MISMATCH' // swap of sets of different types
  | 'INVALID_CIDR'
  | 'HASH_FULL'
  | 'HASH_ELEM' // zero valued element
  | 'HASH_RANGE' // range covers the whole address space
  | 'INVALID_PROTO'
  | 'MISSING_PROTO'
  | 'BITMAP_RANGE' // element outside the bitmap's range
  | 'BITMAP_RANGE_SIZE' // bitmap range too big
  | 'TIMEOUT' // timeout on a set without timeout support
  | 'COMMENT'
  | 'COUNTER'
  | 'MAX_SETS'
  | 'EINVAL'; // the kernel's plain -EINVAL (hash:ip,port refuses the address 0.0.0.0)

export class IpsetError extends Error {
  constructor(readonly code: IpsetErrorCode, detail: string = code) {
    super(`ipset: ${detail}`);
    this.name = 'IpsetError';
  }
}

// ---- constants ------------------------------------------------------------------------------

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
const IPSET_MAXNAMELEN = 32;
const HOST_MASK = 32;

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_SCTP = 132;
const IPPROTO_UDPLITE = 136;

/** ip_set_proto_with_ports(). */
export function protoWithPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_SCTP || proto === IPPROTO_UDPLITE;
}

function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** ip_set_range_to_cidr(): the largest network starting at `from` within [from, to]; returns its last address. */
function rangeToCidr(from: number, to: number): { last: number; cidr: number } {
  for (let cidr = 1; cidr <= 32; cidr++) {
    const net = (from & prefixMask(cidr)) >>> 0;
    const last = (net | ~prefixMask(cidr)) >>> 0;
    if (net === from && last <= to) return { last, cidr };
  }
  return { last: from, cidr: 32 };
}

// ---- type descriptors -----------------------------------------------------------------------

type Dim = 'ip' | 'port' | 'ip2';

interface TypeDesc {
  readonly name: IpsetTypeName;
  /** The revision this kernel (6.18) reports. */
  readonly revision: number;
  /** sizeof(struct htype) + sizeof(struct htable) + one region, or sizeof(struct bitmap_port). */
  readonly baseMem: number;
  /** sizeof(struct mtype_elem) of the IPv4 variant. */
  readonly elemLen: number;
  readonly elemAlign: number;
  readonly dims: readonly Dim[];
  /** The element keeps per-prefix bookkeeping (IP_SET_HASH_WITH_NETS); which field carries the prefix. */
  readonly nets?: 'ip' | 'ip2';
  /** IPSET_TYPE_* feature bits (swap compares them). */
  readonly features: number;
  /** The struct's u32 words as jhash2 reads them (nomatch cleared). */
  words(e: IpsetElem): number[];
}

const F_IP = 0x01;
const F_PORT = 0x02;
const F_IP2 = 0x08;
const F_NOMATCH = 0x40;

const TYPES: Readonly<Record<IpsetTypeName, TypeDesc>> = {
  'hash:ip': {
    name: 'hash:ip', revision: 6, baseMem: 216, elemLen: 4, elemAlign: 4, dims: ['ip'], features: F_IP,
    words: (e) => [be32Word(e.ip)],
  },
  'hash:ip,port': {
    name: 'hash:ip,port', revision: 7, baseMem: 216, elemLen: 8, elemAlign: 4, dims: ['ip', 'port'], features: F_IP | F_PORT,
    words: (e) => [be32Word(e.ip), (be16Low(e.port) | (e.proto << 16)) >>> 0],
  },
  'hash:ip,port,ip': {
    name: 'hash:ip,port,ip', revision: 6, baseMem: 208, elemLen: 12, elemAlign: 4, dims: ['ip', 'port', 'ip2'], features: F_IP | F_PORT | F_IP2,
    words: (e) => [be32Word(e.ip), be32Word(e.ip2), (be16Low(e.port) | (e.proto << 16)) >>> 0],
  },
  'hash:ip,port,net': {
    name: 'hash:ip,port,net', revision: 8, baseMem: 464, elemLen: 12, elemAlign: 4, dims: ['ip', 'port', 'ip2'], nets: 'ip2',
    features: F_IP | F_PORT | F_IP2 | F_NOMATCH,
    // cidr is packed as cidr - 1 in seven bits next to the nomatch bit.
    words: (e) => [be32Word(e.ip), be32Word(e.ip2), (be16Low(e.port) | (((e.cidr - 1) & 0x7f) << 16) | (e.proto << 24)) >>> 0],
  },
  'hash:net': {
    name: 'hash:net', revision: 7, baseMem: 456, elemLen: 8, elemAlign: 4, dims: ['ip'], nets: 'ip', features: F_IP | F_NOMATCH,
    words: (e) => [be32Word(e.ip), (e.cidr << 24) >>> 0],
  },
  'bitmap:port': {
    name: 'bitmap:port', revision: 3, baseMem: 72, elemLen: 0, elemAlign: 1, dims: ['port'], features: F_PORT,
    words: (e) => [e.port],
  },
};

export const IPSET_TYPE_NAMES: readonly IpsetTypeName[] = Object.keys(TYPES) as IpsetTypeName[];

export function isIpsetType(name: string): name is IpsetTypeName {
  return Object.prototype.hasOwnProperty.call(TYPES, name);
}

/** The dimension count of a type (`--match-set` needs at least this many flags). */
export function ipsetDimension(type: IpsetTypeName): number {
  return TYPES[type].dims.length;
}

/** ip_set_elem_len(): element plus extensions (timeout, counters, comment), aligned. */
function elemSize(desc: TypeDesc, timeout: boolean, counters: boolean, comment: boolean): number {
  let len = desc.elemLen;
  let align = desc.elemAlign;
  const add = (extLen: number): void => {
    align = Math.max(align, 8);
    len = Math.ceil(len / 8) * 8 + extLen;
  };
  if (timeout) add(8);
  if (counters) add(16);
  if (comment) add(8);
  return Math.ceil(len / align) * align;
}

function elemKey(e: IpsetElem): string {
  return `${e.ip}|${e.cidr}|${e.port}|${e.proto}|${e.ip2}`;
}

// ---- stored entries -------------------------------------------------------------------------

interface Entry {
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

// ---- the set --------------------------------------------------------------------------------

interface AdtExt {
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

// ---- the registry ---------------------------------------------------------------------------

/** A held reference to a set (what an iptables rule keeps: follows renames and swaps by slot). */
export interface IpsetRef {
  readonly name: string;
}

export interface IpsetRegistryOptions {
  /** Where a new set's random initval comes from (get_random_bytes); the world's Rng in practice. */
  readonly initval: (name: string) => number;
}

/** The sets of one network namespace (struct ip_set_net): an index of slots, as the kernel keeps them. */
export class IpsetRegistry {
  /** ip_set_list[]: creation takes the first free slot; `ipset list` walks the slots in order. */
  private readonly slots: (IpSet | undefined)[] = [];
  private readonly byName = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly opts: IpsetRegistryOptions,
  ) {}

  /** Sets in slot order (the order `ipset list` and `ipset save` print). */
  sets(): IpSet[] {
    return this.slots.filter((s): s is IpSet => s !== undefined);
  }

  get(name: string): IpSet | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.slots[i];
  }

  private must(name: string): IpSet {
    const s = this.get(name);
    if (!s) throw new IpsetError('ENOENT', `set ${name} does not exist`);
    return s;
  }

  /**
   * Equivalent to: `ipset create NAME TYPE [options] [-exist]`. With `exist`, an existing set
   * of the same type and parameters is not an error (ip_set_create's same_set check).
   */
  create(name: string, type: IpsetTypeName, opts: IpsetCreateOptions = {}, exist = false): IpSet {
    if (name.length >= IPSET_MAXNAMELEN) throw new IpsetError('EXIST_SETNAME2', `name ${name} too long`);
    const initval = opts.initval ?? this.opts.initval(name);
    const set = new IpSet(name, type, opts, initval, this.clock);
    const cur = this.get(name);
    if (cur) {
      if (exist && sameSet(cur, set)) return cur;
      throw new IpsetError('EXIST_SETNAME2');
    }
    let i = this.slots.indexOf(undefined);
    if (i < 0) i = this.slots.length;
    if (i >= 65535) throw new IpsetError('MAX_SETS');
    this.slots[i] = set;
    this.byName.set(name, i);
    return set;
  }

  /** Equivalent to: `ipset destroy [NAME]`; without a name every set goes, or none if one is in use. */
  destroy(name?: string): void {
    if (name === undefined) {
      if (this.sets().some((s) => s.ref > 0)) throw new IpsetError('BUSY');
      this.slots.length = 0;
      this.byName.clear();
      return;
    }
    const set = this.must(name);
    if (set.ref > 0) throw new IpsetError('BUSY');
    const i = this.byName.get(name)!;
    this.slots[i] = undefined;
    this.byName.delete(name);
  }

  /** Equivalent to: `ipset flush [NAME]`. */
  flush(name?: string): void {
    if (name === undefined) {
      for (const s of this.sets()) s.flush();
      return;
    }
    this.must(name).flush();
  }

  /** Equivalent to: `ipset rename FROM TO`. */
  rename(from: string, to: string): void {
    const set = this.must(from);
    if (set.ref > 0) throw new IpsetError('REFERENCED');
    if (this.get(to)) throw new IpsetError('EXIST_SETNAME2');
    if (to.length >= IPSET_MAXNAMELEN) throw new IpsetError('EXIST_SETNAME2', `name ${to} too long`);
    const i = this.byName.get(from)!;
    this.byName.delete(from);
    set.name = to;
    this.byName.set(to, i);
  }

  /**
   * Equivalent to: `ipset swap FROM TO`. The contents trade places; names and references stay
   * with the slots, so rules that use either name now see the other set's members.
   */
  swap(from: string, to: string): void {
    const a = this.must(from);
    const b = this.must(to);
    if (a.features !== b.features) throw new IpsetError('TYPE_MISMATCH');
    const ia = this.byName.get(from)!;
    const ib = this.byName.get(to)!;
    [a.name, b.name] = [b.name, a.name];
    [a.ref, b.ref] = [b.ref, a.ref];
    this.slots[ia] = b;
    this.slots[ib] = a;
  }

  /** Equivalent to: `ipset add NAME ELEM [ext] [-exist]` (ranges expanded as the type's uadt does). */
  add(name: string, spec: IpsetAdtSpec, exist = false): void {
    const set = this.must(name);
    set.gc();
    const ext = this.ext(set, spec);
    for (const e of expand(set, spec)) set.addElem(e, ext, spec.nomatch ?? false, exist);
  }

  /** Equivalent to: `ipset del NAME ELEM [-exist]`. */
  del(name: string, spec: IpsetAdtSpec, exist = false): void {
    const set = this.must(name);
    set.gc();
    for (const e of expand(set, spec)) set.delElem(e, exist);
  }

  /** Equivalent to: `ipset test NAME ELEM`: true when in the set (and not a nomatch entry). */
  test(name: string, spec: IpsetAdtSpec): boolean {
    const set = this.must(name);
    set.gc();
    const e = testElem(set, spec);
    const hit = set.lookup(e);
    return hit !== undefined && !hit.nomatch;
  }

  private ext(set: IpSet, spec: IpsetAdtSpec): AdtExt {
    if (spec.timeout !== undefined && set.timeout === undefined) throw new IpsetError('TIMEOUT');
    if (spec.comment !== undefined && !set.comment) throw new IpsetError('COMMENT');
    if ((spec.packets !== undefined || spec.bytes !== undefined) && !set.counters) throw new IpsetError('COUNTER');
    return {
      timeout: set.timeout === undefined ? undefined : spec.timeout ?? set.timeout,
      comment: spec.comment,
      packets: spec.packets,
      bytes: spec.bytes,
    };
  }

  /** Takes a reference on a set for a kernel component (an iptables `-m set` rule). */
  reference(name: string): IpsetRef {
    const set = this.must(name);
    set.ref++;
    const registry = this;
    const slot = this.byName.get(name)!;
    return {
      get name(): string {
        return registry.slots[slot]?.name ?? name;
      },
    };
  }

  /** Drops a reference taken with reference(). */
  release(name: string | IpsetRef): void {
    const set = this.get(typeof name === 'string' ? name : name.name);
    if (set && set.ref > 0) set.ref--;
  }

  /**
   * The `-m set --match-set NAME dims` lookup (ip_set_test via the type's kadt): takes each
   * dimension of the set from the packet's source or destination as `dims` says, e.g.
   * `['dst', 'dst']` on a hash:ip,port set tests the destination address and destination port
   * (with the packet's protocol). A set with more dimensions than flags never matches; a
   * missing set never matches.
   */
  match(setName: string, dims: readonly ('src' | 'dst')[], pkt: IpsetPacket): boolean {
    const set = this.get(setName);
    if (!set) return false;
    const want = set.desc.dims;
    if (dims.length < want.length) return false;
    let ip = 0;
    let ip2 = 0;
    let port = 0;
    for (let i = 0; i < want.length; i++) {
      const src = dims[i] === 'src';
      switch (want[i]) {
        case 'ip':
          ip = src ? pkt.src : pkt.dst;
          break;
        case 'ip2':
          ip2 = src ? pkt.src : pkt.dst;
          break;
        case 'port':
          port = packetPort(pkt, src);
          break;
      }
    }
    set.gc();
    const e: IpsetElem = { ip: ip >>> 0, cidr: HOST_MASK, port, proto: set.desc.dims.includes('port') && !set.isBitmap ? pkt.proto : 0, ip2: ip2 >>> 0 };
    const hit = set.lookup(e);
    if (!hit || hit.nomatch) return false;
    set.count(hit, pkt.len ?? 0);
    return true;
  }
}

/** ip_set_get_ip4_port(): the "port" of a packet for set matching. */
function packetPort(pkt: IpsetPacket, src: boolean): number {
  if (protoWithPorts(pkt.proto)) return (src ? pkt.sport : pkt.dport) ?? 0;
  if (pkt.proto === IPPROTO_ICMP) return (((pkt.icmpType ?? 0) << 8) | (pkt.icmpCode ?? 0)) & 0xffff;
  return 0;
}

/** mtype_same_set() plus the type check ip_set_create() does for `-exist`. */
function sameSet(a: IpSet, b: IpSet): boolean {
  if (a.type !== b.type) return false;
  if (a.isBitmap) {
    return a.range!.from === b.range!.from && a.range!.to === b.range!.to && a.timeout === b.timeout &&
      a.counters === b.counters && a.comment === b.comment;
  }
  return a.maxelem === b.maxelem && a.timeout === b.timeout && a.counters === b.counters && a.comment === b.comment;
}

// ---- uadt: what one userspace request becomes ------------------------------------------------

/** The element `ipset test` looks up (IPSET_TEST never expands ranges). */
function testElem(set: IpSet, s: IpsetAdtSpec): IpsetElem {
  const t = set.type;
  if (t === 'bitmap:port') return { ip: 0, cidr: 32, port: s.port ?? 0, proto: 0, ip2: 0 };
  let port = s.port ?? 0;
  const proto = s.proto ?? 0;
  if (set.desc.dims.includes('port')) {
    if (!s.proto) throw new IpsetError(s.proto === 0 ? 'INVALID_PROTO' : 'MISSING_PROTO');
    if (!(protoWithPorts(proto) || proto === IPPROTO_ICMP)) port = 0;
  }
  if (t === 'hash:net') {
    const cidr = s.cidr ?? HOST_MASK;
    if (!cidr || cidr > HOST_MASK) throw new IpsetError('INVALID_CIDR');
    return { ip: ((s.ip ?? 0) & prefixMask(cidr)) >>> 0, cidr, port: 0, proto: 0, ip2: 0 };
  }
  if (t === 'hash:ip,port,net') {
    const cidr = s.cidr2 ?? HOST_MASK;
    if (!cidr || cidr > HOST_MASK) throw new IpsetError('INVALID_CIDR');
    return { ip: s.ip ?? 0, cidr, port, proto, ip2: ((s.ip2 ?? 0) & prefixMask(cidr)) >>> 0 };
  }
  return { ip: s.ip ?? 0, cidr: 32, port: set.desc.dims.includes('port') ? port : 0, proto: set.desc.dims.includes('port') ? proto : 0, ip2: s.ip2 ?? 0 };
}

/** The type's uadt loop: the elements one add/del request stands for, in the kernel's order. */
function* expand(set: IpSet, s: IpsetAdtSpec): Generator<IpsetElem> {
  const t = set.type;
  if (t === 'bitmap:port') {
    let from = s.port ?? 0;
    let to = s.portTo ?? from;
    if (from > to) [from, to] = [to, from];
    const r = set.range!;
    if (from < r.from || to > r.to) throw new IpsetError('BITMAP_RANGE');
    for (let p = from; p <= to; p++) yield { ip: 0, cidr: 32, port: p, proto: 0, ip2: 0 };
    return;
  }

  // First dimension: a single address, a range or a CIDR block.
  let ip = s.ip ?? 0;
  let ipTo = ip;
  const hasIpRange = s.ipTo !== undefined || (s.cidr !== undefined && t !== 'hash:net');
  if (t === 'hash:net') {
    if (s.cidr !== undefined && (!s.cidr || s.cidr > HOST_MASK)) throw new IpsetError('INVALID_CIDR');
    const cidr = s.cidr ?? HOST_MASK;
    if (s.ipTo === undefined) {
      yield { ip: (ip & prefixMask(cidr)) >>> 0, cidr, port: 0, proto: 0, ip2: 0 };
      return;
    }
    ipTo = s.ipTo;
    if (ipTo < ip) [ip, ipTo] = [ipTo, ip];
    if (ip === 0 && ipTo === 0xffffffff) throw new IpsetError('HASH_RANGE');
    for (;;) {
      const { last, cidr: c } = rangeToCidr(ip, ipTo);
      yield { ip, cidr: c, port: 0, proto: 0, ip2: 0 };
      if (last >= ipTo) return;
      ip = last + 1;
    }
  }
  if (s.ipTo !== undefined) {
    ipTo = s.ipTo;
    if (ip > ipTo) {
      if (t === 'hash:ip' && ipTo === 0) throw new IpsetError('HASH_ELEM');
      [ip, ipTo] = [ipTo, ip];
    }
  } else if (s.cidr !== undefined) {
    if (!s.cidr || s.cidr > HOST_MASK) throw new IpsetError('INVALID_CIDR');
    ip = (ip & prefixMask(s.cidr)) >>> 0;
    ipTo = (ip | ~prefixMask(s.cidr)) >>> 0;
  }

  if (t === 'hash:ip') {
    for (let a = ip; a <= ipTo; a++) {
      if (a === 0) throw new IpsetError('HASH_ELEM');
      yield { ip: a >>> 0, cidr: 32, port: 0, proto: 0, ip2: 0 };
    }
    return;
  }

  // Port dimension.
  if (s.proto === undefined) throw new IpsetError('MISSING_PROTO');
  if (s.proto === 0) throw new IpsetError('INVALID_PROTO');
  const proto = s.proto;
  const withPorts = protoWithPorts(proto);
  let port = withPorts || proto === IPPROTO_ICMP ? s.port ?? 0 : 0;
  let portTo = port;
  if (withPorts && s.portTo !== undefined) {
    portTo = s.portTo;
    if (port > portTo) [port, portTo] = [portTo, port];
  }

  if (t === 'hash:ip,port' || t === 'hash:ip,port,ip') {
    const ip2 = s.ip2 ?? 0;
    for (let a = ip; a <= ipTo; a++) {
      if (a === 0 && t === 'hash:ip,port') throw new IpsetError('EINVAL');
      for (let p = port; p <= portTo; p++) yield { ip: a >>> 0, cidr: 32, port: p, proto, ip2 };
    }
    return;
  }

  // hash:ip,port,net: the third dimension is a network or a range split into networks.
  if (s.cidr2 !== undefined && (!s.cidr2 || s.cidr2 > HOST_MASK)) throw new IpsetError('INVALID_CIDR');
  const cidr2 = s.cidr2 ?? HOST_MASK;
  let ip2From = s.ip2 ?? 0;
  let ip2To: number;
  if (s.ip2To !== undefined) {
    ip2To = s.ip2To;
    if (ip2From > ip2To) [ip2From, ip2To] = [ip2To, ip2From];
    if (ip2From === 0 && ip2To === 0xffffffff) throw new IpsetError('HASH_RANGE');
  } else {
    ip2From = (ip2From & prefixMask(cidr2)) >>> 0;
    ip2To = (ip2From | ~prefixMask(cidr2)) >>> 0;
  }
  const single = !(hasIpRange || (withPorts && s.portTo !== undefined) || s.ip2To !== undefined);
  if (single) {
    yield { ip, cidr: cidr2, port, proto, ip2: ip2From };
    return;
  }
  for (let a = ip; a <= ipTo; a++) {
    for (let p = port; p <= portTo; p++) {
      let ip2 = ip2From;
      for (;;) {
        const { last, cidr } = rangeToCidr(ip2, ip2To);
        yield { ip: a >>> 0, cidr, port: p, proto, ip2 };
        if (last >= ip2To) break;
        ip2 = last + 1;
      }
    }
  }
}

// ---- per-namespace accessor -------------------------------------------------------------------

const registries = new WeakMap<Netns, IpsetRegistry>();

/** The ipset registry of a network namespace, created on first use (initvals from the world's Rng). */
export function ipsetOf(ns: Netns): IpsetRegistry {
  let r = registries.get(ns);
  if (!r) {
    const rng = ns.kernel.rng;
    r = new IpsetRegistry(ns.kernel.clock, { initval: () => rng.u32() });
    registries.set(ns, r);
  }
  return r;
}

/** Gives a namespace a registry built elsewhere (a test that must reproduce recorded initvals). */
export function attachIpset(ns: Netns, registry: IpsetRegistry): void {
  registries.set(ns, registry);
}
