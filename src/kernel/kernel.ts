// One emulated Linux kernel: its namespaces, virtual time, randomness and capture taps.
// Packets in flight between devices are events on the clock, so a ping crosses a veth, a bridge
// and a tunnel in order, deterministically, however many namespaces take part.
import { EventQueue, hashString, Rng } from '../sim/index.js';
import { IPPROTO_IPIP, IPV6_ALL_SNOOPERS } from '../wire/index.js';
import { linkUpIpv6Series } from './addrconf.js';
import { devXmit } from './xmit.js';
import { ARP_NEIGH_OPS } from './arp.js';
import { Captures } from './capture.js';
import { Loopback, Veth, type Link } from './link.js';
import { Netns, type ProtoHandler } from './netns.js';
import { netifReceive } from './rx.js';
import type { Skb } from './skb.js';
import { ipipReceive } from './tunnel.js';
import { Vxlan } from './vxlan.js';
import { Bridge } from './bridge.js';
import { netfilterOf } from './netfilter/attach.js';
import type { NetfilterHooks } from './netfilter.js';
import { joinSnoopers } from './igmp.js';

/**
 * Time a frame takes from one device to the next (a veth or bridge hop on an idle host is a few
 * microseconds). Fixed, so that round-trip times are deterministic; emulated, not measured.
 */
export const HOP_LATENCY_MS = 0.008;

export interface KernelOptions {
  /** The world's seed: the same seed and the same commands give the same world, byte for byte. */
  seed?: number | string;
  /** Record every frame on every device for tcpdump (on by default; benchmarks turn it off). */
  capture?: boolean;
  /** Wall-clock time (ms since 1970) at virtual time 0, for tools that print dates. */
  epoch?: number;
  /** The world's clock, when several kernels share one (a lab's hosts); a fresh one otherwise. */
  clock?: EventQueue;
}

/** 2026-01-01T00:00:00Z: a fixed default, so that dates in outputs are as deterministic as the rest. */
export const DEFAULT_EPOCH = Date.UTC(2026, 0, 1);

/** The groups a device joins when opened, before its link-local address: a snooping bridge's, or none. */
const SNOOPER_GROUPS = [IPV6_ALL_SNOOPERS] as const;
const NO_GROUPS = [] as const;

export class Kernel {
  readonly clock: EventQueue;
  readonly rng: Rng;
  /** Stands for the per-boot secret of the multipath hash (see multipath.ts); drawn from no Rng. */
  readonly multipathSeed: number;
  /** The random delays of IGMP reports: a stream of their own, so that they draw nothing from `rng`. */
  readonly mcRng: Rng;
  readonly captures = new Captures();
  /** Receivers of IP protocols handled in the kernel (inet_protos: one table for every namespace). */
  readonly protoHandlers: ReadonlyMap<number, ProtoHandler> = new Map([[IPPROTO_IPIP, ipipReceive]]);
  readonly epoch: number;
  private readonly namespaces: Netns[] = [];
  private nextInode = 4026531840;
  /** `rng` as the uniform source an IPv6 link-up plan draws from (one closure per kernel, not per link-up). */
  private readonly randomFloat = (): number => this.rng.float();

  constructor(opts: KernelOptions = {}) {
    this.clock = opts.clock ?? new EventQueue();
    this.rng = new Rng(opts.seed ?? 'knetlab');
    this.multipathSeed = hashString(`${opts.seed ?? 'knetlab'}/fib_multipath_hash`);
    this.mcRng = new Rng(`${opts.seed ?? 'knetlab'}/igmp`);
    this.captures.enabled = opts.capture ?? true;
    this.epoch = opts.epoch ?? DEFAULT_EPOCH;
  }

  /** A new namespace with its loopback device (setup_net → loopback_net_init). */
  createNetns(label: string): Netns {
    const ns = new Netns(this, this.nextInode++, label);
    ns.neigh.ops = ARP_NEIGH_OPS;
    const lo = new Loopback(ns, ns.allocIfindex(), 'lo', '00:00:00:00:00:00', 65536);
    lo.noarp = true;
    ns.register(lo);
    this.namespaces.push(ns);
    return ns;
  }

  destroyNetns(ns: Netns): void {
    // cleanup_net(): devices go; a veth's peer in another namespace goes with it.
    for (const link of ns.links().reverse()) this.unregisterLink(link);
    const i = this.namespaces.indexOf(ns);
    if (i >= 0) this.namespaces.splice(i, 1);
  }

  /** Puts netfilter on a namespace's hooks (nfHook asks once the namespace has iptables or IPVS state). */
  attachNetfilter(ns: Netns): NetfilterHooks {
    return netfilterOf(ns);
  }

  /** The emulated wall clock: the epoch plus virtual time. */
  wallClock(): Date {
    return new Date(this.epoch + this.clock.now());
  }

  allNetns(): readonly Netns[] {
    return this.namespaces;
  }

  /** Hands a frame to `dev`'s receive path one hop later (the softirq that follows a transmit). */
  deliver(dev: Link, skb: Skb): void {
    this.clock.scheduleCall(HOP_LATENCY_MS, netifReceive, dev, skb);
  }

  /** dev_open() done (NETDEV_UP): a snooping bridge joins 224.0.0.106 and reports it (igmp.ts). */
  deviceOpened(link: Link): void {
    if (link instanceof Bridge) joinSnoopers(link);
  }

  /** Reacts to IFF_UP / carrier changes: vxlan sockets and IPv6 link-local addresses follow them. */
  linkStateChanged(link: Link): void {
    // A change can move the carrier of the peer and of both ends' bridges.
    // In the order a Set of link, its master, the peer, the peer's master would hold them.
    const affected: Link[] = [link];
    if (link.master) affected.push(link.master);
    if (link instanceof Veth) {
      if (!affected.includes(link.peer)) affected.push(link.peer);
      const m = link.peer.master;
      if (m && !affected.includes(m)) affected.push(m);
    }
    for (const l of affected) {
      if (l instanceof Veth) l.noteState();
    }
    for (const l of affected) {
      l.netns?.carrierChanged(l);
      if (l instanceof Vxlan) l.adminUp ? l.open() : l.close();
      if (l instanceof Bridge && !l.adminUp) l.forgetLearned();
      if (l.master instanceof Bridge && !l.operational) l.master.forgetLearned(l);
      // addrconf: a link-local address appears once the link is operational and goes on admin down.
      if (l.operational && !l.ipv6Ready) {
        l.ipv6Ready = true;
        if (!l.ipv6AllNodes) {
          l.ipv6AllNodes = true;
          l.ipv6AllNodesAfterOpen = true;
        }
      }
      if (l.operational && !l.ipv6LinkLocal) {
        l.ipv6LinkLocal = true;
        l.ipv6LinkLocalMac = l.mac;
        this.announceIpv6(l);
      } else if (!l.adminUp) {
        l.ipv6LinkLocal = false;
        l.ipv6LinkLocalMac = undefined;
        // addrconf_ifdown(): only a link that was ready leaves its IPv6 groups (ipv6_mc_down).
        if (l.ipv6Ready) l.ipv6AllNodes = false;
        l.ipv6Ready = false;
        l.ipv6AllNodesAfterOpen = false;
      }
    }
  }

  /**
   * What IPv6 puts on the wire when a link gets its link-local address: MLDv2 reports and
   * router solicitations (knetlab moves no other IPv6). Bridges learn the sender from them, as
   * on Linux. DAD is not emulated (the address is usable at once, as with accept_dad=0), so
   * the frames are those of a DAD-less link-up; solicitations are planned for ten minutes.
   */
  private announceIpv6(link: Link): void {
    if (!link.hasEthernetHeader || link.kind === 'loopback') return;
    const opened = link.upCount;
    const plan = linkUpIpv6Series({
      mac: link.mac,
      dad: false,
      random: this.randomFloat,
      untilMs: 600_000,
      openGroups: link.kind === 'bridge' ? SNOOPER_GROUPS : NO_GROUPS,
    });
    plan.shift(this.clock.now());
    this.clock.scheduleSeries(plan.atMs, (i) => {
      // A frame planned for an earlier opening of the link is not sent.
      if (link.upCount !== opened || !link.operational || !link.netns.linkByIndex(link.ifindex)) return;
      devXmit(link, { data: plan.sentFrame(i), walk: undefined, mark: 0 });
    });
  }

  /** Removes a device and what depends on it: ports leave their bridge, a veth takes its peer. */
  unregisterLink(link: Link): void {
    if (!link.netns.linkByIndex(link.ifindex)) return;
    if (link instanceof Bridge) for (const p of [...link.ports]) link.removePort(p.dev);
    if (link.master instanceof Bridge) link.master.removePort(link);
    // A vxlan device dies with its lower device (vxlan_handle_lowerdev_unregister).
    const dependants = link.netns.links().filter((l) => l instanceof Vxlan && l.underlay === link);
    link.netns.unregister(link);
    this.captures.forget(link);
    for (const d of dependants) this.unregisterLink(d);
    if (link instanceof Veth) this.unregisterLink(link.peer);
  }
}
