// The neighbour table and its NUD state machine (mirrors net/core/neighbour.c with arp_tbl's
// defaults). The table owns the timers; the ARP layer supplies how to solicit and transmit.
import type { Ipv4, Mac } from '../wire/index.js';
import type { Scheduler, TimerHandle } from '../sim/index.js';
import type { Rng } from '../sim/index.js';
import { KernelError } from './errors.js';
import type { Link } from './link.js';
import type { Skb } from './skb.js';

export type NudState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'NOARP' | 'PERMANENT' | 'NONE';

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

export interface Neighbour {
  readonly ip: Ipv4;
  readonly dev: Link;
  lladdr: Mac | undefined;
  state: NudState;
  /** Set for entries added with `proxy` (pneigh), which answer ARP rather than resolve. */
  router: boolean;
  probes: number;
  /** Virtual time of the last confirmation (reply received), for DELAY → REACHABLE. */
  confirmed: number;
  updated: number;
  queue: Skb[];
  timer: TimerHandle | undefined;
}

export interface NeighOps {
  /** Sends an ARP request for `n`: broadcast when `unicastTo` is undefined. */
  solicit(n: Neighbour, unicastTo: Mac | undefined, skb: Skb | undefined): void;
  /** Transmits a queued packet now that `n` is resolved. */
  transmit(n: Neighbour, skb: Skb): void;
  /** Resolution failed: tell the sender of `skb` (ICMP host unreachable) and drop it. */
  unreachable(n: Neighbour, skb: Skb): void;
}

const VALID: ReadonlySet<NudState> = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP']);

export class NeighTable {
  /** Made with the first entry: most pod namespaces resolve nothing while they are wired. */
  private entries: Map<string, Neighbour> | undefined;
  ops!: NeighOps;

  constructor(
    private readonly clock: Scheduler,
    private readonly rng: Rng,
  ) {}

  private key(dev: Link, ip: Ipv4): string {
    return `${dev.ifindex}/${ip}`;
  }

  get(dev: Link, ip: Ipv4): Neighbour | undefined {
    return this.entries?.get(this.key(dev, ip));
  }

  /** Entries in creation order, as `ip neigh show` dumps a small table. */
  list(): Neighbour[] {
    return this.entries ? [...this.entries.values()] : [];
  }

  /**
   * Resolves and sends (neigh_resolve_output): a usable entry transmits at once, an unresolved
   * one queues the packet and solicits.
   */
  output(dev: Link, ip: Ipv4, skb: Skb): Neighbour {
    let n = this.get(dev, ip);
    if (!n) n = this.create(dev, ip);
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
  update(
    dev: Link,
    ip: Ipv4,
    lladdr: Mac | undefined,
    state: NudState,
    opts: { admin?: boolean; create?: boolean } = {},
  ): Neighbour | undefined {
    let n = this.get(dev, ip);
    if (!n) {
      if (!opts.create) return undefined;
      n = this.create(dev, ip);
    }
    if (!opts.admin && (n.state === 'PERMANENT' || n.state === 'NOARP')) return n;
    const changed = lladdr !== undefined && lladdr !== n.lladdr;
    // A weak STALE update with the same address keeps a connected state (NEIGH_UPDATE_F_WEAK_OVERRIDE).
    if (!opts.admin && state === 'STALE' && !changed && VALID.has(n.state)) state = n.state;
    if (lladdr !== undefined) n.lladdr = lladdr;
    if (state === 'REACHABLE') n.confirmed = this.clock.now();
    n.updated = this.clock.now();
    this.enter(n, state, this.timeoutFor(state));
    if (VALID.has(state) && n.lladdr !== undefined) this.flush(n);
    return n;
  }

  /** `ip neigh del` — PERMANENT entries too. */
  delete(dev: Link, ip: Ipv4): void {
    const n = this.get(dev, ip);
    if (!n) throw new KernelError('ENOENT');
    this.remove(n);
  }

  /** Drops every entry of a device (on link down or delete: neigh_ifdown), PERMANENT ones only on delete. */
  flushDev(dev: Link, includePermanent: boolean): void {
    for (const n of this.list()) {
      if (n.dev !== dev) continue;
      if (!includePermanent && (n.state === 'PERMANENT' || n.state === 'NOARP')) continue;
      this.remove(n);
    }
  }

  /** Removes entries for which `pred` holds (`ip neigh flush`). */
  flushWhere(pred: (n: Neighbour) => boolean): number {
    let count = 0;
    for (const n of this.list()) if (pred(n)) this.remove(n), count++;
    return count;
  }

  private remove(n: Neighbour): void {
    if (n.timer) this.clock.cancel(n.timer);
    n.queue.length = 0;
    this.entries?.delete(this.key(n.dev, n.ip));
  }

  private create(dev: Link, ip: Ipv4): Neighbour {
    const n: Neighbour = {
      ip,
      dev,
      lladdr: undefined,
      state: 'NONE',
      router: false,
      probes: 0,
      confirmed: 0,
      updated: this.clock.now(),
      queue: [],
      timer: undefined,
    };
    if (dev.noarp) {
      n.state = 'NOARP';
      n.lladdr = dev.hasEthernetHeader ? dev.mac : undefined;
    }
    (this.entries ??= new Map()).set(this.key(dev, ip), n);
    return n;
  }

  private enqueue(n: Neighbour, skb: Skb): void {
    if (n.queue.length >= NEIGH_DEFAULTS.unresQlen) n.queue.shift();
    n.queue.push(skb);
  }

  private flush(n: Neighbour): void {
    const q = n.queue.splice(0);
    for (const skb of q) this.ops.transmit(n, skb);
  }

  /** A random reachable time in [base/2, 3·base/2), as neigh_rand_reach_time(). */
  private reachableTime(): number {
    const base = NEIGH_DEFAULTS.baseReachableTime;
    return this.rng.int(base / 2, (3 * base) / 2);
  }

  private timeoutFor(state: NudState): number | undefined {
    switch (state) {
      case 'REACHABLE':
        return this.reachableTime();
      case 'DELAY':
        return NEIGH_DEFAULTS.delayFirstProbeTime;
      case 'PROBE':
      case 'INCOMPLETE':
        return NEIGH_DEFAULTS.retransTime;
      default:
        return undefined;
    }
  }

  private enter(n: Neighbour, state: NudState, timeout: number | undefined): void {
    n.state = state;
    if (n.timer) this.clock.cancel(n.timer);
    n.timer = timeout === undefined ? undefined : this.clock.schedule(timeout, () => this.expire(n));
  }

  /** neigh_timer_handler(). */
  private expire(n: Neighbour): void {
    n.timer = undefined;
    const now = this.clock.now();
    switch (n.state) {
      case 'REACHABLE':
        this.enter(n, 'STALE', undefined);
        return;
      case 'DELAY':
        if (now - n.confirmed < NEIGH_DEFAULTS.delayFirstProbeTime) {
          this.enter(n, 'REACHABLE', this.reachableTime());
        } else {
          n.probes = 0;
          this.enter(n, 'PROBE', NEIGH_DEFAULTS.retransTime);
          n.probes++;
          this.ops.solicit(n, n.lladdr, undefined);
        }
        return;
      case 'PROBE':
      case 'INCOMPLETE': {
        const max = NEIGH_DEFAULTS.ucastSolicit + NEIGH_DEFAULTS.appSolicit + (n.state === 'PROBE' ? 0 : NEIGH_DEFAULTS.mcastSolicit);
        if (n.probes >= max) {
          this.enter(n, 'FAILED', undefined);
          const q = n.queue.splice(0);
          for (const skb of q) this.ops.unreachable(n, skb);
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
