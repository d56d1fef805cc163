// The ipset registry of one network namespace (ip_set_core.c): slots, names, rule references,
// create/destroy/rename/swap, add/del/test and the `-m set` match. Set types: ipset-types.ts; one
// set: ipset-set.ts over ipset-hash.ts, ipset-bitmap.ts, ipset-ext.ts; requests: ipset-uadt.ts.
import type { Clock } from '../../sim/index.js';
import type { Netns } from '../netns.js';
import { IpSet } from './ipset-set.js';
import {
  HOST_MASK,
  IpsetError,
  type IpsetAdtSpec,
  type IpsetCreateOptions,
  type IpsetElem,
  type IpsetPacket,
  type IpsetTypeName,
} from './ipset-types.js';
import { adtExt, expand, packetPort, sameSet, testElem } from './ipset-uadt.js';

export { IpSet } from './ipset-set.js';
export {
  IpsetError,
  IPSET_TYPE_NAMES,
  ipsetDimension,
  isIpsetType,
  protoWithPorts,
  type IpsetAdtSpec,
  type IpsetCreateOptions,
  type IpsetElem,
  type IpsetErrorCode,
  type IpsetHeader,
  type IpsetMember,
  type IpsetPacket,
  type IpsetTypeName,
} from './ipset-types.js';

const IPSET_MAXNAMELEN = 32;

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
    const ext = adtExt(set, spec);
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
    const e: IpsetElem = {
      ip: ip >>> 0,
      cidr: HOST_MASK,
      port,
      proto: set.desc.dims.includes('port') && !set.isBitmap ? pkt.proto : 0,
      ip2: ip2 >>> 0,
    };
    const hit = set.lookup(e);
    if (!hit || hit.nomatch) return false;
    set.count(hit, pkt.len ?? 0);
    return true;
  }
}

// ---- per-namespace accessor -------------------------------------------------------------------

/** The ipset registry of a network namespace, created on first use (initvals from the world's Rng). */
export function ipsetOf(ns: Netns): IpsetRegistry {
  if (ns.ipsets === undefined) {
    const rng = ns.kernel.rng;
    ns.ipsets = new IpsetRegistry(ns.kernel.clock, { initval: () => rng.u32() });
  }
  return ns.ipsets;
}

/** Gives a namespace a registry built elsewhere (a test that must reproduce recorded initvals). */
export function attachIpset(ns: Netns, registry: IpsetRegistry): void {
  ns.ipsets = registry;
}
