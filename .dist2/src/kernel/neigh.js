import { KernelError } from './errors.js';
/** arp_tbl defaults (net/ipv4/arp.c), in milliseconds. */
export const NEIGH_DEFAULTS = {
    baseReachableTime: 30_000,
    retransTime: 1_000,
    delayFirstProbeTime: 5_000,
    ucastSolicit: 3,
    mcastSolicit: 3,
    appSolicit: 0,
    /** Packets queued per unresolved entry (unres_qlen). */
    unresQlen: 101,
};
const VALID = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP']);
export class NeighTable {
    clock;
    rng;
    entries = new Map();
    ops;
    constructor(clock, rng) {
        this.clock = clock;
        this.rng = rng;
    }
    key(dev, ip) {
        return `${dev.ifindex}/${ip}`;
    }
    get(dev, ip) {
        return this.entries.get(this.key(dev, ip));
    }
    /** Entries in creation order, as `ip neigh show` dumps a small table. */
    list() {
        return [...this.entries.values()];
    }
    /**
     * Resolves and sends (neigh_resolve_output): a usable entry transmits at once, an unresolved
     * one queues the packet and solicits.
     */
    output(dev, ip, skb) {
        let n = this.get(dev, ip);
        if (!n)
            n = this.create(dev, ip);
        switch (n.state) {
            case 'PERMANENT':
            case 'NOARP':
            case 'REACHABLE':
            case 'DELAY':
            case 'PROBE':
                this.ops.transmit(n, skb);
                break;
            case 'STALE':
                this.enter(n, 'DELAY', NEIGH_DEFAULTS.delayFirstProbeTime);
                this.ops.transmit(n, skb);
                break;
            case 'INCOMPLETE':
                this.enqueue(n, skb);
                break;
            case 'NONE':
            case 'FAILED':
                // __neigh_event_send: start resolving; probes begin at ucast_solicit so only the
                // mcast_solicit broadcasts remain.
                n.probes = NEIGH_DEFAULTS.ucastSolicit;
                this.enqueue(n, skb);
                this.enter(n, 'INCOMPLETE', NEIGH_DEFAULTS.retransTime);
                n.probes++;
                this.ops.solicit(n, undefined, skb);
                break;
        }
        return n;
    }
    /**
     * neigh_update(): a new lladdr/state from ARP or from `ip neigh`. `admin` updates (from
     * userspace) may override PERMANENT entries; protocol updates may not.
     */
    update(dev, ip, lladdr, state, opts = {}) {
        let n = this.get(dev, ip);
        if (!n) {
            if (!opts.create)
                return undefined;
            n = this.create(dev, ip);
        }
        if (!opts.admin && (n.state === 'PERMANENT' || n.state === 'NOARP'))
            return n;
        const changed = lladdr !== undefined && lladdr !== n.lladdr;
        // A weak STALE update with the same address keeps a connected state (NEIGH_UPDATE_F_WEAK_OVERRIDE).
        if (!opts.admin && state === 'STALE' && !changed && VALID.has(n.state))
            state = n.state;
        if (lladdr !== undefined)
            n.lladdr = lladdr;
        if (state === 'REACHABLE')
            n.confirmed = this.clock.now();
        n.updated = this.clock.now();
        this.enter(n, state, this.timeoutFor(state));
        if (VALID.has(state) && n.lladdr !== undefined)
            this.flush(n);
        return n;
    }
    /** `ip neigh del` — PERMANENT entries too. */
    delete(dev, ip) {
        const n = this.get(dev, ip);
        if (!n)
            throw new KernelError('ENOENT');
        this.remove(n);
    }
    /** Drops every entry of a device (on link down or delete: neigh_ifdown), PERMANENT ones only on delete. */
    flushDev(dev, includePermanent) {
        for (const n of this.list()) {
            if (n.dev !== dev)
                continue;
            if (!includePermanent && (n.state === 'PERMANENT' || n.state === 'NOARP'))
                continue;
            this.remove(n);
        }
    }
    /** Removes entries for which `pred` holds (`ip neigh flush`). */
    flushWhere(pred) {
        let count = 0;
        for (const n of this.list())
            if (pred(n))
                (this.remove(n), count++);
        return count;
    }
    remove(n) {
        if (n.timer)
            this.clock.cancel(n.timer);
        n.queue.length = 0;
        this.entries.delete(this.key(n.dev, n.ip));
    }
    create(dev, ip) {
        const n = {
            ip, dev, lladdr: undefined, state: 'NONE', router: false, probes: 0,
            confirmed: 0, updated: this.clock.now(), queue: [], timer: undefined,
        };
        if (dev.noarp) {
            n.state = 'NOARP';
            n.lladdr = dev.hasEthernetHeader ? dev.mac : undefined;
        }
        this.entries.set(this.key(dev, ip), n);
        return n;
    }
    enqueue(n, skb) {
        if (n.queue.length >= NEIGH_DEFAULTS.unresQlen)
            n.queue.shift();
        n.queue.push(skb);
    }
    flush(n) {
        const q = n.queue.splice(0);
        for (const skb of q)
            this.ops.transmit(n, skb);
    }
    /** A random reachable time in [base/2, 3·base/2), as neigh_rand_reach_time(). */
    reachableTime() {
        const base = NEIGH_DEFAULTS.baseReachableTime;
        return this.rng.int(base / 2, (3 * base) / 2);
    }
    timeoutFor(state) {
        switch (state) {
            case 'REACHABLE': return this.reachableTime();
            case 'DELAY': return NEIGH_DEFAULTS.delayFirstProbeTime;
            case 'PROBE':
            case 'INCOMPLETE': return NEIGH_DEFAULTS.retransTime;
            default: return undefined;
        }
    }
    enter(n, state, timeout) {
        n.state = state;
        if (n.timer)
            this.clock.cancel(n.timer);
        n.timer = timeout === undefined ? undefined : this.clock.schedule(timeout, () => this.expire(n));
    }
    /** neigh_timer_handler(). */
    expire(n) {
        n.timer = undefined;
        const now = this.clock.now();
        switch (n.state) {
            case 'REACHABLE':
                this.enter(n, 'STALE', undefined);
                return;
            case 'DELAY':
                if (now - n.confirmed < NEIGH_DEFAULTS.delayFirstProbeTime) {
                    this.enter(n, 'REACHABLE', this.reachableTime());
                }
                else {
                    n.probes = 0;
                    this.enter(n, 'PROBE', NEIGH_DEFAULTS.retransTime);
                    n.probes++;
                    this.ops.solicit(n, n.lladdr, undefined);
                }
                return;
            case 'PROBE':
            case 'INCOMPLETE': {
                const max = NEIGH_DEFAULTS.ucastSolicit + NEIGH_DEFAULTS.appSolicit +
                    (n.state === 'PROBE' ? 0 : NEIGH_DEFAULTS.mcastSolicit);
                if (n.probes >= max) {
                    this.enter(n, 'FAILED', undefined);
                    const q = n.queue.splice(0);
                    for (const skb of q)
                        this.ops.unreachable(n, skb);
                    return;
                }
                this.enter(n, n.state, NEIGH_DEFAULTS.retransTime);
                n.probes++;
                this.ops.solicit(n, n.state === 'PROBE' ? n.lladdr : undefined, n.queue[0]);
                return;
            }
            default:
                return;
        }
    }
}
//# sourceMappingURL=neigh.js.map