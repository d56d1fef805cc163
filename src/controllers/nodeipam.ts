// Node IPAM (kube-controller-manager's range allocator, cidrset): each new Node gets the next free
// /mask of the cluster CIDR, scanning circularly from the index after the last one given, so nodes
// get 10.244.0.0/24, 10.244.1.0/24, … in the order they register; a deleted node's range is freed.
import { type KubeObject, type ObjectStore } from '../api/index.js';
import { formatIpv4, parsePrefix } from '../wire/index.js';
import type { EventRecorder } from './events.js';

export class NodeIpam {
  private used: Uint8Array;
  private next = 0;
  private readonly base: number;
  private readonly count: number;

  constructor(
    private readonly store: ObjectStore,
    clusterCIDR: string,
    private readonly maskSize: number,
    private readonly events: EventRecorder,
  ) {
    const p = parsePrefix(clusterCIDR);
    if (!p || maskSize < p.len || maskSize > 32)
      throw new Error(`invalid cluster CIDR ${JSON.stringify(clusterCIDR)} for node mask /${maskSize}`);
    this.base = p.addr;
    this.count = 2 ** (maskSize - p.len);
    this.used = new Uint8Array(this.count);
    store.watch('nodes', undefined, {}, (e) => {
      if (e.type === 'DELETED') this.release(e.object);
      else this.assign(e.object);
    });
  }

  private indexOf(cidr: string): number | undefined {
    const p = parsePrefix(cidr);
    if (!p || p.len !== this.maskSize) return undefined;
    const i = (p.addr - this.base) / 2 ** (32 - this.maskSize);
    return Number.isInteger(i) && i >= 0 && i < this.count ? i : undefined;
  }

  private assign(node: KubeObject): void {
    const spec = (node.spec ?? {}) as { podCIDR?: string; podCIDRs?: string[] };
    if (spec.podCIDR) {
      const i = this.indexOf(spec.podCIDR);
      if (i !== undefined) this.used[i] = 1;
      return;
    }
    for (let k = 0; k < this.count; k++) {
      const i = (this.next + k) % this.count;
      if (this.used[i]) continue;
      this.used[i] = 1;
      this.next = (i + 1) % this.count;
      const cidr = `${formatIpv4((this.base + i * 2 ** (32 - this.maskSize)) >>> 0)}/${this.maskSize}`;
      this.store.patchOwn('nodes', undefined, node.metadata.name!, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      return;
    }
    this.events.record(node, 'Normal', 'CIDRNotAvailable', `Node ${node.metadata.name} status is now: CIDRNotAvailable`, 'cidrAllocator');
  }

  private release(node: KubeObject): void {
    const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR;
    const i = cidr ? this.indexOf(cidr) : undefined;
    if (i !== undefined) this.used[i] = 0;
  }
}
