// Device-level operations as rtnetlink performs them (rtnl_newlink, do_setlink, dellink),
// including the parts that span namespaces: a veth's peer, moving a device to another netns.
import type { Ipv4, Mac } from '../../wire/index.js';
import { Bridge } from '../bridge.js';
import { KernelError } from '../errors.js';
import { Dummy, Veth, type Link } from '../link.js';
import type { Netns } from '../netns.js';
import { Ipip, IPIP_OVERHEAD } from '../tunnel.js';
import { Vxlan, VXLAN_OVERHEAD } from '../vxlan.js';

export type LinkSpec =
  | { kind: 'dummy' }
  | { kind: 'bridge' }
  | { kind: 'veth'; peerName?: string; peerNetns?: Netns; peerMac?: Mac }
  | { kind: 'vxlan'; vni: number; local?: Ipv4; underlay?: Link; dstPort?: number; learning?: boolean; ttl?: number; tos?: number; udpCsum?: boolean; srcPortMin?: number; srcPortMax?: number; ageing?: number }
  | { kind: 'ipip'; local?: Ipv4; remote?: Ipv4; underlay?: Link; ttl?: number };

export interface LinkAttrs {
  mtu?: number;
  mac?: Mac;
  txQueueLen?: number;
}

/** `ip link add NAME type KIND ...`: creates and registers the device (and a veth's peer first, as veth_newlink does). */
export function linkAdd(ns: Netns, name: string, spec: LinkSpec, attrs: LinkAttrs = {}): Link {
  ns.checkName(name);
  const rng = ns.kernel.rng;
  let link: Link;
  switch (spec.kind) {
    case 'dummy':
      link = new Dummy(ns, 0, name, rng.mac(), 1500);
      break;
    case 'bridge':
      link = new Bridge(ns, 0, name, rng.mac(), 1500);
      break;
    case 'veth': {
      const peerNs = spec.peerNetns ?? ns;
      const peerName = spec.peerName ?? nextFreeName(peerNs, 'veth');
      peerNs.checkName(peerName);
      if (peerNs === ns && peerName === name) throw new KernelError('EEXIST');
      const peer = new Veth(peerNs, 0, peerName, spec.peerMac ?? rng.mac(), 1500);
      const self = new Veth(ns, 0, name, rng.mac(), 1500);
      self.peer = peer;
      peer.peer = self;
      peer.ifindex = peerNs.allocIfindex();
      peerNs.register(peer);
      if (peerNs !== ns) {
        ns.nsidOf(peerNs);
        peerNs.nsidOf(ns);
      }
      link = self;
      break;
    }
    case 'vxlan': {
      if (!(spec.vni >= 0 && spec.vni < 1 << 24)) throw new KernelError('ERANGE');
      const v = new Vxlan(ns, 0, name, rng.mac(), spec.underlay ? spec.underlay.mtu - VXLAN_OVERHEAD : 1500);
      v.vni = spec.vni;
      v.local = spec.local;
      v.underlay = spec.underlay;
      if (spec.dstPort !== undefined) v.dstPort = spec.dstPort;
      if (spec.learning !== undefined) v.learning = spec.learning;
      if (spec.ttl !== undefined) v.ttl = spec.ttl;
      if (spec.tos !== undefined) v.tos = spec.tos;
      if (spec.udpCsum !== undefined) v.udpCsum = spec.udpCsum;
      if (spec.srcPortMin !== undefined) v.srcPortMin = spec.srcPortMin;
      if (spec.srcPortMax !== undefined) v.srcPortMax = spec.srcPortMax;
      if (spec.ageing !== undefined) v.ageing = spec.ageing;
      link = v;
      break;
    }
    case 'ipip': {
      const t = new Ipip(ns, 0, name, '00:00:00:00', spec.underlay ? spec.underlay.mtu - IPIP_OVERHEAD : 1480);
      t.local = spec.local ?? 0;
      t.remote = spec.remote ?? 0;
      t.underlay = spec.underlay;
      t.ttl = spec.ttl ?? 0;
      link = t;
      break;
    }
  }
  if (attrs.mtu !== undefined) ns.setMtu(link, attrs.mtu);
  if (attrs.mac !== undefined) {
    link.mac = attrs.mac;
    link.macSetByUser = true;
  }
  if (attrs.txQueueLen !== undefined) link.txQueueLen = attrs.txQueueLen;
  link.ifindex = ns.allocIfindex();
  ns.register(link);
  return link;
}

/** `ip link del NAME`: a veth takes its peer along, a bridge releases its ports. */
export function linkDel(link: Link): void {
  if (link.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
  link.netns.kernel.unregisterLink(link);
}

/** `ip link set DEV master BR` / `nomaster`. */
export function linkSetMaster(link: Link, master: Link | undefined): void {
  if (master === undefined) {
    if (link.master instanceof Bridge) link.master.removePort(link);
    link.master = undefined;
    link.netns.kernel.linkStateChanged(link);
    return;
  }
  if (!(master instanceof Bridge)) throw new KernelError('EOPNOTSUPP');
  if (link.master && link.master !== master && link.master instanceof Bridge) link.master.removePort(link);
  master.addPort(link);
  link.netns.kernel.linkStateChanged(link);
}

/** `ip link set DEV address MAC`: a bridge may follow its ports' addresses. */
export function linkSetMac(link: Link, mac: Mac): void {
  link.netns.setMac(link, mac);
  if (link.master instanceof Bridge) link.master.portAddressChanged();
}

/**
 * `ip link set DEV netns NS` (dev_change_net_namespace): the device is taken down, loses its
 * addresses and routes, and keeps its ifindex unless the target namespace already uses it.
 */
export function linkSetNetns(link: Link, target: Netns): void {
  const from = link.netns;
  if (from === target) return;
  // Loopback and bridges are NETIF_F_NETNS_LOCAL: they cannot leave their namespace.
  if (link.kind === 'loopback' || link.kind === 'bridge') throw new KernelError('EINVAL');
  if (target.linkByName(link.name)) throw new KernelError('EEXIST');
  if (link.master instanceof Bridge) link.master.removePort(link);
  from.unregister(link);
  link.ifindex = target.allocIfindex(link.ifindex);
  target.register(link);
  if (link instanceof Veth) {
    target.nsidOf(link.peer.netns);
    link.peer.netns.nsidOf(target);
  }
  link.netns.kernel.linkStateChanged(link);
}

export function linkSetUp(link: Link): void {
  link.netns.setUp(link);
}

export function linkSetDown(link: Link): void {
  link.netns.setDown(link);
}

function nextFreeName(ns: Netns, prefix: string): string {
  for (let i = 0; ; i++) if (!ns.linkByName(`${prefix}${i}`)) return `${prefix}${i}`;
}
