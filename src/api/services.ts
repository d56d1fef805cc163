// Service ClusterIP and NodePort allocation, done by the API server inside the create/update request
// (registry/core/service/storage's alloc): so a taken or out-of-range request fails the request itself
// with the server's message, and the response already carries the IP and ports.
// Both allocators reserve a low "static" band for explicit requests (KEP-3070): dynamic picks start at a
// random offset in the upper band and scan upward, wrapping; only a full upper band sends them low.
import { formatIpv4, parseIpv4, parsePrefix } from '../wire/index.js';
import type { Rng } from '../sim/index.js';
import { type FieldError, invalid, internalError, invalidValue } from './errors.js';
import type { AdmissionPlugin } from './store.js';
import type { KubeObject } from './types.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A bitmap over [0, size) with a static band [0, offset). */
export class BandAllocator {
  private used: Uint8Array;
  private count = 0;
  constructor(
    readonly size: number,
    readonly offset: number,
    private readonly rng: Rng,
  ) {
    this.used = new Uint8Array(size);
  }
  get free(): number {
    return this.size - this.count;
  }
  has(i: number): boolean {
    return this.used[i] === 1;
  }
  /** Takes i; false when it was taken. */
  take(i: number): boolean {
    if (this.used[i]) return false;
    this.used[i] = 1;
    this.count++;
    return true;
  }
  release(i: number): void {
    if (i >= 0 && i < this.size && this.used[i]) {
      this.used[i] = 0;
      this.count--;
    }
  }
  /** The next dynamic pick, or undefined when full. */
  next(): number | undefined {
    const scan = (lo: number, hi: number): number | undefined => {
      if (hi <= lo) return undefined;
      const start = this.rng.int(lo, hi);
      for (let k = 0; k < hi - lo; k++) {
        const i = lo + ((start - lo + k) % (hi - lo));
        if (!this.used[i]) return i;
      }
      return undefined;
    };
    const i = scan(this.offset, this.size) ?? scan(0, this.offset);
    if (i !== undefined) this.take(i);
    return i;
  }
}

export interface ServiceRanges {
  /** `10.96.0.0/16` (kind's default). */
  serviceCIDR: string;
  /** `30000-32767`. */
  nodePortRange: string;
}

/**
 * The IPAddress objects (networking.k8s.io/v1) the 1.33+ allocator keeps beside its bitmap, one per
 * ClusterIP, named by the address: made when a Service takes it, removed when it gives it back.
 */
export interface IpAddressMirror {
  add(ip: string, service: { namespace: string; name: string }): void;
  remove(ip: string): void;
}

export class ServiceAllocators {
  /** Set by the API server once its store exists. */
  mirror: IpAddressMirror | undefined;
  readonly ips: BandAllocator;
  readonly ports: BandAllocator;
  private readonly base: number;
  private readonly portBase: number;
  readonly cidr: string;
  readonly portRange: string;

  constructor(ranges: ServiceRanges, rng: Rng) {
    const p = parsePrefix(ranges.serviceCIDR);
    if (!p || p.len > 30) throw new Error(`invalid service CIDR ${JSON.stringify(ranges.serviceCIDR)}`);
    this.cidr = ranges.serviceCIDR;
    // The range excludes the network and broadcast addresses.
    const size = 2 ** (32 - p.len) - 2;
    this.base = p.addr + 1;
    this.ips = new BandAllocator(size, Math.min(rangeOffset(2 ** (32 - p.len), 16, 256), size), rng);
    const m = /^(\d+)-(\d+)$/.exec(ranges.nodePortRange);
    if (!m) throw new Error(`invalid node port range ${JSON.stringify(ranges.nodePortRange)}`);
    this.portBase = Number(m[1]);
    const psize = Number(m[2]) - this.portBase + 1;
    this.portRange = ranges.nodePortRange;
    this.ports = new BandAllocator(psize, Math.min(rangeOffset(psize, 32, 128), psize), rng);
  }

  ipIndex(ip: string): number | undefined {
    const v = parseIpv4(ip);
    if (v === undefined) return undefined;
    const i = v - this.base;
    return i >= 0 && i < this.ips.size ? i : undefined;
  }
  ipAt(i: number): string {
    return formatIpv4((this.base + i) >>> 0);
  }
  portIndex(port: number): number | undefined {
    const i = port - this.portBase;
    return Number.isInteger(i) && i >= 0 && i < this.ports.size ? i : undefined;
  }

  /** The Service plugin: clusterIP(s), ipFamilies, nodePorts; released when the Service goes. */
  plugin(): AdmissionPlugin {
    return {
      resource: 'services',
      validate: (_op, o) => {
        const spec = (o as Obj).spec ?? {};
        const errs: FieldError[] = [];
        const ip = spec.clusterIP;
        if (ip && ip !== 'None' && parseIpv4(ip) === undefined)
          errs.push(invalidValue('spec.clusterIPs[0]', ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
        return errs;
      },
      allocate: (op, o, old, ctx) => this.allocate(o, op === 'UPDATE' ? old : undefined, ctx.dryRun),
      removed: (o) => this.release(o),
    };
  }

  private allocate(o: KubeObject, old: KubeObject | undefined, dryRun: boolean): () => void {
    const spec = (o as Obj).spec;
    const oldSpec = (old as Obj | undefined)?.spec;
    const name = o.metadata.name ?? '';
    const taken: (() => void)[] = [];
    let fresh: string | undefined;
    const undo = () => {
      for (const u of taken) u();
    };
    try {
      if (spec.type === 'ExternalName') {
        delete spec.clusterIP;
        delete spec.clusterIPs;
      } else {
        if (oldSpec?.clusterIP && !spec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
        if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
        else if (!oldSpec?.clusterIP || oldSpec.clusterIP !== spec.clusterIP) {
          const want = spec.clusterIP as string | undefined;
          let i: number | undefined;
          if (want) {
            i = this.ipIndex(want);
            const list = spec.clusterIPs ?? [want];
            if (i === undefined)
              throw invalid('Service', '', name, [
                invalidValue(
                  'spec.clusterIPs',
                  list,
                  `failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${this.cidr}`,
                ),
              ]);
            if (!this.ips.take(i))
              throw invalid('Service', '', name, [
                invalidValue('spec.clusterIPs', list, `failed to allocate IP ${want}: provided IP is already allocated`),
              ]);
          } else {
            i = this.ips.next();
            if (i === undefined) throw internalError('failed to allocate a serviceIP: range is full');
          }
          const idx = i;
          taken.push(() => this.ips.release(idx));
          spec.clusterIP = this.ipAt(i);
          spec.clusterIPs = [spec.clusterIP];
          fresh = spec.clusterIP;
        } else spec.clusterIPs = oldSpec.clusterIPs ?? [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
      this.allocatePorts(spec, oldSpec, name, taken);
    } catch (e) {
      undo();
      throw e;
    }
    // its IPAddress once everything is taken, so a refused request leaves no object behind
    if (fresh && this.mirror && !dryRun) {
      const ip = fresh;
      this.mirror.add(ip, { namespace: o.metadata.namespace ?? 'default', name });
      taken.push(() => this.mirror?.remove(ip));
    }
    // On a successful update, what the old object held and the new one does not is given back.
    if (old) {
      const keep = new Set(nodePorts(spec));
      for (const p of nodePorts(oldSpec)) if (!keep.has(p)) this.releasePort(p);
      if (oldSpec?.clusterIP && oldSpec.clusterIP !== spec.clusterIP) this.releaseIp(oldSpec.clusterIP);
    }
    return undo;
  }

  private allocatePorts(spec: Obj, oldSpec: Obj | undefined, name: string, taken: (() => void)[]): void {
    const wants = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    if (!wants) {
      if (spec.type !== 'LoadBalancer') for (const p of spec.ports ?? []) delete p.nodePort;
      delete spec.healthCheckNodePort;
      return;
    }
    const oldByPort = new Map<number, number>();
    for (const p of oldSpec?.ports ?? []) if (p.nodePort) oldByPort.set(p.port, p.nodePort);
    const held = new Set(nodePorts(oldSpec));
    const byPort = new Map<number, number>();
    const ports: Obj[] = spec.ports ?? [];
    ports.forEach((p, i) => {
      const field = `spec.ports[${i}].nodePort`;
      const requested = p.nodePort || ports.find((q) => q.port === p.port && q.nodePort)?.nodePort || (oldByPort.get(p.port) ?? 0);
      const same = byPort.get(p.port);
      if (same !== undefined && (!p.nodePort || p.nodePort === same)) {
        p.nodePort = same;
        return;
      }
      if (requested && held.has(requested)) {
        p.nodePort = requested; // already this Service's
      } else if (requested) {
        const idx = this.portIndex(requested);
        if (idx === undefined)
          throw invalid('Service', '', name, [
            invalidValue(field, requested, `provided port is not in the valid range. The range of valid ports is ${this.portRange}`),
          ]);
        if (!this.ports.take(idx))
          throw invalid('Service', '', name, [invalidValue(field, requested, 'provided port is already allocated')]);
        taken.push(() => this.ports.release(idx));
        p.nodePort = requested;
      } else {
        const i = this.ports.next();
        if (i === undefined) throw internalError('failed to allocate a nodePort: range is full');
        taken.push(() => this.ports.release(i));
        p.nodePort = i + this.portBase;
      }
      byPort.set(p.port, p.nodePort);
    });
    if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && !spec.healthCheckNodePort) {
      const hc = oldSpec?.healthCheckNodePort;
      if (hc) spec.healthCheckNodePort = hc;
      else {
        const i = this.ports.next();
        if (i === undefined) throw internalError('failed to allocate a nodePort: range is full');
        taken.push(() => this.ports.release(i));
        spec.healthCheckNodePort = i + this.portBase;
      }
    }
  }

  private releasePort(port: number): void {
    const i = this.portIndex(port);
    if (i !== undefined) this.ports.release(i);
  }

  private releaseIp(ip: string): void {
    const i = this.ipIndex(ip);
    if (i === undefined || !this.ips.has(i)) return;
    this.ips.release(i);
    this.mirror?.remove(ip);
  }

  private release(o: KubeObject): void {
    const spec = (o as Obj).spec ?? {};
    if (spec.clusterIP && spec.clusterIP !== 'None') this.releaseIp(spec.clusterIP);
    for (const p of nodePorts(spec)) this.releasePort(p);
  }
}

function nodePorts(spec: Obj | undefined): number[] {
  const out = new Set<number>();
  for (const p of spec?.ports ?? []) if (p.nodePort) out.add(p.nodePort);
  if (spec?.healthCheckNodePort) out.add(spec.healthCheckNodePort);
  return [...out];
}

/** calculateRangeOffset (KEP-3070): no static band under 16 entries, else size/step clamped to [16, max]. */
function rangeOffset(size: number, step: number, max: number): number {
  if (size < 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / step)), max);
}
