// The bitmap:port set type: one slot per port of the set's range, dumped in ascending order
// (net/netfilter/ipset/ip_set_bitmap_port.c, ip_set_bitmap_gen.h).
import type { Clock } from '../../sim/index.js';
import { expired, type AdtExt, type Entry, type Extensions } from './ipset-ext.js';
import { elemKey, IpsetError, type IpsetElem } from './ipset-types.js';

/** The slots of a bitmap:port set. */
export class BitmapPort {
  private readonly slots: (Entry | undefined)[];

  constructor(
    readonly range: { readonly from: number; readonly to: number },
    private readonly ext: Extensions,
    private readonly clock: Clock,
  ) {
    this.slots = new Array(range.to - range.from + 1);
  }

  /** sizeof(struct bitmap_port) + the bit array + the element extensions. */
  memsize(baseMem: number, dsize: number): number {
    const n = this.slots.length;
    return baseMem + Math.ceil(n / 64) * 8 + n * dsize;
  }

  /** The live entries in dump order. */
  forEachLive(now: number, fn: (e: Entry) => void): void {
    for (const e of this.slots) if (e && !expired(now, e.expires)) fn(e);
  }

  /** One garbage-collection run at `at`; returns the time to the next, ms. */
  gcStep(at: number, period: number): number {
    for (let i = 0; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (e && expired(at, e.expires)) this.drop(i);
    }
    return period * 1000;
  }

  private entry(port: number): Entry | undefined {
    const r = this.range;
    if (port < r.from || port > r.to) return undefined;
    return this.slots[port - r.from];
  }

  lookup(port: number): Entry | undefined {
    const e = this.entry(port);
    return e && !expired(this.clock.now(), e.expires) ? e : undefined;
  }

  add(port: number, ext: AdtExt, exist: boolean): void {
    const r = this.range;
    if (port < r.from || port > r.to) throw new IpsetError('BITMAP_RANGE');
    const i = port - r.from;
    const cur = this.slots[i];
    if (cur && !expired(this.clock.now(), cur.expires)) {
      if (!exist) throw new IpsetError('EXIST');
      this.ext.init(cur, ext);
      return;
    }
    if (cur) this.ext.destroy(cur);
    const elem: IpsetElem = { ip: 0, cidr: 32, port, proto: 0, ip2: 0 };
    const e: Entry = { elem, key: elemKey(elem), nomatch: false, expires: undefined, packets: 0, bytes: 0, comment: undefined };
    this.ext.init(e, ext);
    this.slots[i] = e;
  }

  del(port: number, exist: boolean): void {
    const r = this.range;
    if (port < r.from || port > r.to) throw new IpsetError('BITMAP_RANGE');
    const i = port - r.from;
    const cur = this.slots[i];
    if (!cur || expired(this.clock.now(), cur.expires)) {
      if (cur) this.drop(i);
      if (!exist) throw new IpsetError('EXIST');
      return;
    }
    this.drop(i);
  }

  private drop(i: number): void {
    const cur = this.slots[i];
    if (cur) this.ext.destroy(cur);
    this.slots[i] = undefined;
  }

  flush(): void {
    for (let i = 0; i < this.slots.length; i++) this.drop(i);
  }
}
