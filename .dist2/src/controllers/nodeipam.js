import { formatIpv4, parsePrefix } from '../wire/index.js';
export class NodeIpam {
    store;
    maskSize;
    events;
    used;
    next = 0;
    base;
    count;
    constructor(store, clusterCIDR, maskSize, events) {
        this.store = store;
        this.maskSize = maskSize;
        this.events = events;
        const p = parsePrefix(clusterCIDR);
        if (!p || maskSize < p.len || maskSize > 32)
            throw new Error(`invalid cluster CIDR ${JSON.stringify(clusterCIDR)} for node mask /${maskSize}`);
        this.base = p.addr;
        this.count = 2 ** (maskSize - p.len);
        this.used = new Uint8Array(this.count);
        store.watch('nodes', undefined, {}, (e) => {
            if (e.type === 'DELETED')
                this.release(e.object);
            else
                this.assign(e.object);
        });
    }
    indexOf(cidr) {
        const p = parsePrefix(cidr);
        if (!p || p.len !== this.maskSize)
            return undefined;
        const i = (p.addr - this.base) / 2 ** (32 - this.maskSize);
        return Number.isInteger(i) && i >= 0 && i < this.count ? i : undefined;
    }
    assign(node) {
        const spec = (node.spec ?? {});
        if (spec.podCIDR) {
            const i = this.indexOf(spec.podCIDR);
            if (i !== undefined)
                this.used[i] = 1;
            return;
        }
        for (let k = 0; k < this.count; k++) {
            const i = (this.next + k) % this.count;
            if (this.used[i])
                continue;
            this.used[i] = 1;
            this.next = (i + 1) % this.count;
            const cidr = `${formatIpv4((this.base + i * 2 ** (32 - this.maskSize)) >>> 0)}/${this.maskSize}`;
            this.store.patch('nodes', undefined, node.metadata.name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
            return;
        }
        this.events.record(node, 'Normal', 'CIDRNotAvailable', `Node ${node.metadata.name} status is now: CIDRNotAvailable`, 'cidrAllocator');
    }
    release(node) {
        const cidr = node.spec?.podCIDR;
        const i = cidr ? this.indexOf(cidr) : undefined;
        if (i !== undefined)
            this.used[i] = 0;
    }
}
//# sourceMappingURL=nodeipam.js.map