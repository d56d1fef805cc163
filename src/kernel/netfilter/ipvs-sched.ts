// IPVS schedulers (net/netfilter/ipvs/ip_vs_{rr,wrr,lc,wlc,lblc,lblcr,dh,sh,sed,nq,mh}.c): the
// kernel's choice algorithms over a service's destination list, in the list's order (newest
// destination first, as list_add_rcu() leaves it). Our own code from the published behaviour:
//   rr     circular walk from the last choice, skipping weight 0 and overloaded servers
//   wrr    gcd/max-weight stepping (cw from mw - (di - 1) down by di, last pass at cw = 1)
//   lc     least (activeconns << 8) + inactconns, weight 0 skipped
//   wlc    least overhead/weight compared as loh * w > doh * lw
//   sed    least (activeconns + 1)/weight
//   nq     an idle server (no active connections) first, else as sed
//   lblc   destination-IP cache with wlc fallback when the cached server is overloaded
//   lblcr  destination-IP server sets: least loaded of the set, grown by wlc, shrunk after
//          lblcr_expiration without change
//   dh     256 buckets over the list by hash_32(daddr, 8)
//   sh     256 buckets filled by weight, hash_32(saddr + port, 8), optional fallback/port
//   mh     Maglev: a 4093-slot lookup table from two hsiphash permutations per server
export type IpvsSchedulerName = 'rr' | 'wrr' | 'lc' | 'wlc' | 'lblc' | 'lblcr' | 'dh' | 'sh' | 'sed' | 'nq' | 'mh';
export const IPVS_SCHEDULERS: readonly IpvsSchedulerName[] = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'mh'];

/** What a scheduler reads of a destination (struct ip_vs_dest). */
export interface SchedDest {
  readonly addr: number;
  readonly port: number;
  readonly weight: number;
  /** The latest non-zero weight (mh keeps quiesced servers in its table). */
  readonly lastWeight: number;
  readonly activeConns: number;
  readonly inactConns: number;
  /** IP_VS_DEST_F_OVERLOAD (upper connection threshold reached). */
  readonly overloaded: boolean;
  /** IP_VS_DEST_F_AVAILABLE: still in the service. */
  readonly available: boolean;
}

/** What a scheduler reads of a service. */
export interface SchedService<D extends SchedDest> {
  /** The destination list in kernel order (index 0 = list head's next). */
  readonly dests: readonly D[];
  /** IP_VS_SVC_F_SCHED1..3: sh-fallback/mh-fallback, sh-port/mh-port, flag-3. */
  readonly schedFlags: number;
}

/** The packet fields schedulers hash on. */
export interface SchedPacket {
  readonly src: number;
  readonly dst: number;
  readonly sport: number;
  readonly protocol: number;
}

export const IP_VS_SVC_F_SCHED1 = 0x0008;
export const IP_VS_SVC_F_SCHED2 = 0x0010;
export const IP_VS_SVC_F_SCHED3 = 0x0020;

export interface Scheduler<D extends SchedDest> {
  readonly name: IpvsSchedulerName;
  schedule(svc: SchedService<D>, pkt: SchedPacket, now: number): D | undefined;
  /**
   * add_dest/del_dest/upd_dest, called after the list changed. `index` is where `dest` sits
   * (for 'del': where it sat before it was unlinked).
   */
  changed?(svc: SchedService<D>, what: 'add' | 'del' | 'upd', dest: D, index: number): void;
}

/** ip_vs_dest_conn_overhead(): active connections weigh 256 inactive ones. */
export function connOverhead(d: SchedDest): number {
  return d.activeConns * 256 + d.inactConns;
}

const GOLDEN_RATIO_32 = 0x61c88647;

/** hash_32(val, bits): the high bits of val * GOLDEN_RATIO_32. */
export function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, GOLDEN_RATIO_32) >>> (32 - bits);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// ---- rr ---------------------------------------------------------------------------------------

class RoundRobin<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'rr';
  /** sched_data: the last chosen destination, or undefined for the list head. */
  private last: D | undefined;

  schedule(svc: SchedService<D>): D | undefined {
    const list = svc.dests;
    const start = this.last === undefined ? -1 : list.indexOf(this.last);
    // One pass from after the last choice to the end, then from the head up to the last choice.
    for (let k = 1; k <= list.length; k++) {
      const j = start + k;
      if (start < 0 && j >= list.length) break;
      const d = list[j % list.length]!;
      if (!d.overloaded && d.weight > 0) {
        this.last = d;
        return d;
      }
    }
    return undefined;
  }

  changed(svc: SchedService<D>, what: 'add' | 'del' | 'upd', dest: D, index: number): void {
    // ip_vs_rr_del_dest(): the pointer moves back to the entry before the removed one (which
    // is now at index - 1 of the list), or to the head.
    if (what === 'del' && this.last === dest) this.last = index > 0 ? svc.dests[index - 1] : undefined;
  }
}

// ---- wrr --------------------------------------------------------------------------------------

class WeightedRoundRobin<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'wrr';
  /** mark->cl as a list index (-1 = head). */
  private cl = -1;
  private cw = 0;
  private mw = 0;
  private di = 1;

  constructor(svc: SchedService<D>) {
    this.di = this.gcdWeight(svc);
    this.mw = this.maxWeight(svc) - (this.di - 1);
    this.cw = this.mw;
  }

  private gcdWeight(svc: SchedService<D>): number {
    let g = 0;
    for (const d of svc.dests) if (d.weight > 0) g = g > 0 ? gcd(d.weight, g) : d.weight;
    return g || 1;
  }

  private maxWeight(svc: SchedService<D>): number {
    let w = 0;
    for (const d of svc.dests) if (d.weight > w) w = d.weight;
    return w;
  }

  changed(svc: SchedService<D>): void {
    this.cl = -1;
    this.di = this.gcdWeight(svc);
    this.mw = this.maxWeight(svc) - (this.di - 1);
    if (this.cw > this.mw || !this.cw) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.floor(this.cw / this.di) * this.di + 1;
  }

  schedule(svc: SchedService<D>): D | undefined {
    const list = svc.dests;
    let dest = this.cl;
    if (this.mw === 0) return undefined;
    const last = dest;
    let stop: number | undefined;
    let lastPass = false;
    let restarted = false;
    for (;;) {
      for (let j = dest + 1; j < list.length; j++) {
        const d = list[j]!;
        if (!d.overloaded && d.weight >= this.cw) {
          this.cl = j;
          return d;
        }
        if (j === stop) {
          this.cl = j;
          return undefined;
        }
      }
      dest = -1;
      this.cw -= this.di;
      if (this.cw <= 0) {
        this.cw = this.mw;
        if (lastPass || last === -1) {
          this.cl = -1;
          return undefined;
        }
        restarted = true;
      }
      lastPass = this.cw <= this.di;
      if (lastPass && restarted && last !== -1) stop = last;
    }
  }
}

// ---- lc, wlc, sed, nq ---------------------------------------------------------------------------

class LeastConnection<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'lc';
  schedule(svc: SchedService<D>): D | undefined {
    let least: D | undefined;
    let loh = 0;
    for (const d of svc.dests) {
      if (d.overloaded || d.weight === 0) continue;
      const doh = connOverhead(d);
      if (!least || doh < loh) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}

/** The weighted-least family: the first usable server, then any with overhead/weight lower. */
function weightedLeast<D extends SchedDest>(dests: readonly D[], overhead: (d: D) => number): D | undefined {
  let i = 0;
  for (; i < dests.length; i++) {
    const d = dests[i]!;
    if (!d.overloaded && d.weight > 0) break;
  }
  if (i === dests.length) return undefined;
  let least = dests[i]!;
  let loh = overhead(least);
  for (let j = i + 1; j < dests.length; j++) {
    const d = dests[j]!;
    if (d.overloaded) continue;
    const doh = overhead(d);
    if (loh * d.weight > doh * least.weight) {
      least = d;
      loh = doh;
    }
  }
  return least;
}

class WeightedLeastConnection<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'wlc';
  schedule(svc: SchedService<D>): D | undefined {
    return weightedLeast(svc.dests, connOverhead);
  }
}

class ShortestExpectedDelay<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'sed';
  schedule(svc: SchedService<D>): D | undefined {
    return weightedLeast(svc.dests, (d) => d.activeConns + 1);
  }
}

class NeverQueue<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'nq';
  schedule(svc: SchedService<D>): D | undefined {
    let least: D | undefined;
    let loh = 0;
    for (const d of svc.dests) {
      if (d.overloaded || !d.weight) continue;
      const doh = d.activeConns + 1;
      if (d.activeConns === 0) return d;
      if (!least || loh * d.weight > doh * least.weight) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}

// ---- lblc, lblcr ---------------------------------------------------------------------------------

/** 24 hours: the default lblc_expiration / lblcr_expiration sysctl. */
export const LBLC_DEFAULT_EXPIRATION_MS = 24 * 60 * 60 * 1000;

/** is_overloaded() of lblc/lblcr: busier than its weight while some server is under half its weight. */
function lblcOverloaded<D extends SchedDest>(dest: D, svc: SchedService<D>): boolean {
  if (dest.activeConns > dest.weight) {
    for (const d of svc.dests) if (d.activeConns * 2 < d.weight) return true;
  }
  return false;
}

class LocalityLeastConnection<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'lblc';
  private readonly cache = new Map<number, { dest: D; lastuse: number }>();
  expiration = LBLC_DEFAULT_EXPIRATION_MS;

  schedule(svc: SchedService<D>, pkt: SchedPacket, now: number): D | undefined {
    this.expire(now);
    const en = this.cache.get(pkt.dst);
    if (en) {
      en.lastuse = now;
      const d = en.dest;
      if (d.available && d.weight > 0 && !lblcOverloaded(d, svc)) return d;
    }
    const dest = weightedLeast(svc.dests, connOverhead);
    if (!dest) return undefined;
    if (!en || en.dest !== dest) this.cache.set(pkt.dst, { dest, lastuse: now });
    return dest;
  }

  private expire(now: number): void {
    for (const [k, e] of this.cache) if (now - e.lastuse >= this.expiration) this.cache.delete(k);
  }
}

class LocalityLeastConnectionReplication<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'lblcr';
  /** Destination IP -> its server set (newest member first) and when the set last changed. */
  private readonly sets = new Map<number, { members: D[]; lastmod: number; lastuse: number }>();
  expiration = LBLC_DEFAULT_EXPIRATION_MS;

  schedule(svc: SchedService<D>, pkt: SchedPacket, now: number): D | undefined {
    for (const [k, e] of this.sets) if (now - e.lastuse >= this.expiration) this.sets.delete(k);
    const en = this.sets.get(pkt.dst);
    if (en) {
      en.lastuse = now;
      let dest = setMin(en.members);
      if (en.members.length > 1 && now > en.lastmod + this.expiration) {
        const m = setMax(en.members);
        if (m) {
          en.members.splice(en.members.indexOf(m), 1);
          en.lastmod = now;
        }
      }
      if (dest && !lblcOverloaded(dest, svc)) return dest;
      dest = weightedLeast(svc.dests, connOverhead);
      if (!dest) return undefined;
      if (!en.members.includes(dest)) {
        en.members.unshift(dest);
        en.lastmod = now;
      }
      return dest;
    }
    const dest = weightedLeast(svc.dests, connOverhead);
    if (!dest) return undefined;
    this.sets.set(pkt.dst, { members: [dest], lastmod: now, lastuse: now });
    return dest;
  }
}

/** ip_vs_dest_set_min(): weighted least-loaded available member. */
function setMin<D extends SchedDest>(members: readonly D[]): D | undefined {
  let i = 0;
  for (; i < members.length; i++) {
    const d = members[i]!;
    if (d.overloaded) continue;
    if (d.weight > 0 && d.available) break;
  }
  if (i === members.length) return undefined;
  let least = members[i]!;
  let loh = connOverhead(least);
  for (let j = i + 1; j < members.length; j++) {
    const d = members[j]!;
    if (d.overloaded) continue;
    const doh = connOverhead(d);
    if (loh * d.weight > doh * least.weight && d.available) {
      least = d;
      loh = doh;
    }
  }
  return least;
}

/** ip_vs_dest_set_max(): weighted most-loaded member with weight > 0. */
function setMax<D extends SchedDest>(members: readonly D[]): D | undefined {
  let i = 0;
  for (; i < members.length; i++) if (members[i]!.weight > 0) break;
  if (i === members.length) return undefined;
  let most = members[i]!;
  let moh = connOverhead(most);
  for (let j = i + 1; j < members.length; j++) {
    const d = members[j]!;
    const doh = connOverhead(d);
    if (moh * d.weight < doh * most.weight && d.weight > 0) {
      most = d;
      moh = doh;
    }
  }
  return most;
}

// ---- dh, sh -------------------------------------------------------------------------------------

const DH_SH_TAB_BITS = 8;
const DH_SH_TAB_SIZE = 1 << DH_SH_TAB_BITS;

class DestinationHashing<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'dh';
  private buckets: (D | undefined)[] = [];

  constructor(svc: SchedService<D>) {
    this.reassign(svc);
  }

  /** ip_vs_dh_reassign(): bucket i gets the list's i-th server, cycling. */
  private reassign(svc: SchedService<D>): void {
    const list = svc.dests;
    this.buckets = Array.from({ length: DH_SH_TAB_SIZE }, (_, i) => (list.length ? list[i % list.length] : undefined));
  }

  /** dh has add_dest and del_dest hooks but no upd_dest: weight changes keep the table. */
  changed(svc: SchedService<D>, what: 'add' | 'del' | 'upd'): void {
    if (what !== 'upd') this.reassign(svc);
  }

  /** The bucket a destination address falls in (ip_vs_dh_hashkey). */
  static bucketOf(daddr: number): number {
    return hash32(daddr, DH_SH_TAB_BITS);
  }

  schedule(_svc: SchedService<D>, pkt: SchedPacket): D | undefined {
    const d = this.buckets[DestinationHashing.bucketOf(pkt.dst)];
    if (!d || !d.available || d.weight <= 0 || d.overloaded) return undefined;
    return d;
  }
}

class SourceHashing<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'sh';
  private buckets: (D | undefined)[] = [];

  constructor(svc: SchedService<D>) {
    this.reassign(svc);
  }

  /** ip_vs_sh_reassign(): each server takes `weight` consecutive buckets (at least one), cycling. */
  private reassign(svc: SchedService<D>): void {
    const list = svc.dests;
    this.buckets = new Array(DH_SH_TAB_SIZE);
    if (!list.length) return;
    let p = 0;
    let count = 0;
    for (let i = 0; i < DH_SH_TAB_SIZE; i++) {
      const d = list[p % list.length]!;
      this.buckets[i] = d;
      if (++count >= d.weight) {
        p = (p + 1) % list.length;
        count = 0;
      }
    }
  }

  changed(svc: SchedService<D>): void {
    this.reassign(svc);
  }

  /** ip_vs_sh_hashkey(): (offset + hash_32(port + saddr, 8)) & 255. */
  static bucketOf(saddr: number, port: number, offset = 0): number {
    return (offset + hash32((port + saddr) >>> 0, DH_SH_TAB_BITS)) & (DH_SH_TAB_SIZE - 1);
  }

  schedule(svc: SchedService<D>, pkt: SchedPacket): D | undefined {
    const port = svc.schedFlags & IP_VS_SVC_F_SCHED2 && portProto(pkt.protocol) ? pkt.sport : 0;
    const unavailable = (d: D): boolean => d.weight <= 0 || d.overloaded;
    const ihash = SourceHashing.bucketOf(pkt.src, port);
    const first = this.buckets[ihash];
    if (!(svc.schedFlags & IP_VS_SVC_F_SCHED1)) return first && !unavailable(first) ? first : undefined;
    if (!first) return undefined;
    if (!unavailable(first)) return first;
    for (let offset = 0; offset < DH_SH_TAB_SIZE; offset++) {
      const roffset = (offset + ihash) % DH_SH_TAB_SIZE;
      const d = this.buckets[SourceHashing.bucketOf(pkt.src, port, roffset)];
      if (!d) break;
      if (!unavailable(d)) return d;
    }
    return undefined;
  }
}

function portProto(proto: number): boolean {
  return proto === 6 || proto === 17 || proto === 132;
}

// ---- mh (Maglev) --------------------------------------------------------------------------------

/** IP_VS_MH_TAB_SIZE with the default CONFIG_IP_VS_MH_TAB_INDEX 12: primes[12 - 8]. */
export const IP_VS_MH_TAB_SIZE = 4093;
/** IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2. */
const IP_VS_MH_TAB_BITS = 6;

const M64 = (1n << 64n) - 1n;
const rotl64 = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

/**
 * SipHash-c-d over 64-bit lanes (lib/siphash.c). The kernel's hsiphash() on 64-bit machines is
 * SipHash-1-3 returning the low 32 bits; siphash() is SipHash-2-4.
 */
export function siphash(data: Uint8Array, k0: bigint, k1: bigint, c = 2, d = 4): bigint {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & M64;
    v1 = rotl64(v1, 13n);
    v1 ^= v0;
    v0 = rotl64(v0, 32n);
    v2 = (v2 + v3) & M64;
    v3 = rotl64(v3, 16n);
    v3 ^= v2;
    v0 = (v0 + v3) & M64;
    v3 = rotl64(v3, 21n);
    v3 ^= v0;
    v2 = (v2 + v1) & M64;
    v1 = rotl64(v1, 17n);
    v1 ^= v2;
    v2 = rotl64(v2, 32n);
  };
  const len = data.length;
  const full = len - (len % 8);
  for (let i = 0; i < full; i += 8) {
    let m = 0n;
    for (let j = 7; j >= 0; j--) m = (m << 8n) | BigInt(data[i + j]!);
    v3 ^= m;
    for (let r = 0; r < c; r++) round();
    v0 ^= m;
  }
  let b = BigInt(len & 0xff) << 56n;
  for (let j = len - 1; j >= full; j--) b |= BigInt(data[j]!) << BigInt(8 * (j - full));
  v3 ^= b;
  for (let r = 0; r < c; r++) round();
  v0 ^= b;
  v2 ^= 0xffn;
  for (let r = 0; r < d; r++) round();
  return (v0 ^ v1 ^ v2 ^ v3) & M64;
}

/** hsiphash(&v, sizeof(u32), key) on a 64-bit little-endian kernel. */
export function hsiphashU32(v: number, k0: bigint, k1: bigint): number {
  const bytes = new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
  return Number(siphash(bytes, k0, k1, 1, 3) & 0xffffffffn);
}

/** generate_hash_secret(): fixed keys, so every kernel builds the same table. */
const MH_HASH1: readonly [bigint, bigint] = [2654435761n, 2654435761n];
const MH_HASH2: readonly [bigint, bigint] = [2654446892n, 2654446892n];

/** ip_vs_mh_hashkey(): hsiphash of (offset + port + addr) as one u32. */
export function mhHashkey(addr: number, port: number, key: readonly [bigint, bigint], offset: number): number {
  return hsiphashU32((offset + port + addr) >>> 0, key[0], key[1]);
}

class MaglevHashing<D extends SchedDest> implements Scheduler<D> {
  readonly name = 'mh';
  private lookup: (D | undefined)[] = new Array(IP_VS_MH_TAB_SIZE);

  constructor(svc: SchedService<D>) {
    this.reassign(svc);
  }

  changed(svc: SchedService<D>): void {
    this.reassign(svc);
  }

  /** The server owning each slot (for tests of disruption). */
  table(): readonly (D | undefined)[] {
    return this.lookup;
  }

  private reassign(svc: SchedService<D>): void {
    const list = svc.dests;
    let g = 0;
    for (const d of list) if (d.lastWeight > 0) g = g > 0 ? gcd(d.lastWeight, g) : d.lastWeight;
    if (g < 1) {
      this.lookup = new Array(IP_VS_MH_TAB_SIZE);
      return;
    }
    let mw = 0;
    for (const d of list) if (d.lastWeight > mw) mw = d.lastWeight;
    const shift = Math.max(0, 32 - Math.clz32(Math.floor(mw / g)) - IP_VS_MH_TAB_BITS);
    const setup = list.map((d) => {
      const offset = mhHashkey(d.addr, d.port, MH_HASH1, 0) % IP_VS_MH_TAB_SIZE;
      const skip = (mhHashkey(d.addr, d.port, MH_HASH2, 0) % (IP_VS_MH_TAB_SIZE - 1)) + 1;
      const lw = d.lastWeight;
      const turns = Math.floor(lw / g) >> shift || (lw !== 0 ? 1 : 0);
      return { perm: offset, skip, turns };
    });
    // ip_vs_mh_populate(): rounds over the list, each server taking `turns` slots per round,
    // each slot its next free preference. Slots keep their previous owner where it repeats.
    const lookup: (D | undefined)[] = this.lookup.length === IP_VS_MH_TAB_SIZE ? this.lookup : new Array(IP_VS_MH_TAB_SIZE);
    const taken = new Uint8Array(IP_VS_MH_TAB_SIZE);
    let n = 0;
    let dtCount = 0;
    if (!setup.some((s) => s.turns >= 1)) return;
    outer: while (n < IP_VS_MH_TAB_SIZE) {
      let i = 0;
      while (i < list.length) {
        const ds = setup[i]!;
        if (ds.turns < 1) {
          i++;
          continue;
        }
        let c = ds.perm;
        while (taken[c]) {
          ds.perm += ds.skip;
          if (ds.perm >= IP_VS_MH_TAB_SIZE) ds.perm -= IP_VS_MH_TAB_SIZE;
          c = ds.perm;
        }
        taken[c] = 1;
        lookup[c] = list[i];
        if (++n === IP_VS_MH_TAB_SIZE) break outer;
        if (++dtCount >= ds.turns) {
          dtCount = 0;
          i++;
        }
      }
    }
    this.lookup = lookup;
  }

  schedule(svc: SchedService<D>, pkt: SchedPacket): D | undefined {
    const port = svc.schedFlags & IP_VS_SVC_F_SCHED2 && portProto(pkt.protocol) ? pkt.sport : 0;
    const unavailable = (d: D): boolean => d.weight <= 0 || d.overloaded;
    const ihash = mhHashkey(pkt.src, port, MH_HASH1, 0) % IP_VS_MH_TAB_SIZE;
    const first = this.lookup[ihash];
    if (!(svc.schedFlags & IP_VS_SVC_F_SCHED1)) return first && !unavailable(first) ? first : undefined;
    if (!first) return undefined;
    if (!unavailable(first)) return first;
    for (let offset = 0; offset < IP_VS_MH_TAB_SIZE; offset++) {
      const roffset = (offset + ihash) % IP_VS_MH_TAB_SIZE;
      const d = this.lookup[mhHashkey(pkt.src, port, MH_HASH1, roffset) % IP_VS_MH_TAB_SIZE];
      if (!d) break;
      if (!unavailable(d)) return d;
    }
    return undefined;
  }
}

/** ip_vs_scheduler_get() + init_service(): a scheduler bound to a service, or undefined. */
export function makeScheduler<D extends SchedDest>(name: string, svc: SchedService<D>): Scheduler<D> | undefined {
  switch (name) {
    case 'rr':
      return new RoundRobin<D>();
    case 'wrr':
      return new WeightedRoundRobin<D>(svc);
    case 'lc':
      return new LeastConnection<D>();
    case 'wlc':
      return new WeightedLeastConnection<D>();
    case 'sed':
      return new ShortestExpectedDelay<D>();
    case 'nq':
      return new NeverQueue<D>();
    case 'lblc':
      return new LocalityLeastConnection<D>();
    case 'lblcr':
      return new LocalityLeastConnectionReplication<D>();
    case 'dh':
      return new DestinationHashing<D>(svc);
    case 'sh':
      return new SourceHashing<D>(svc);
    case 'mh':
      return new MaglevHashing<D>(svc);
    default:
      return undefined;
  }
}

export { DestinationHashing, MaglevHashing, RoundRobin, SourceHashing };
