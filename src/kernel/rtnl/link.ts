// Device-level operations as rtnetlink performs them (rtnl_newlink, do_setlink, dellink),
// including the parts that span namespaces: a veth's peer, moving a device to another netns.
import { isMulticastMac, type Ipv4, type Mac } from '../../wire/index.js';
import { Bridge } from '../bridge.js';
import { KernelError } from '../errors.js';
import { Dummy, Veth, type Link, type LinkKind } from '../link.js';
import { IFNAMSIZ, type Netns } from '../netns.js';
import { Ipip, IPIP_OVERHEAD } from '../tunnel.js';
import { Vxlan, VXLAN_OVERHEAD } from '../vxlan.js';

export type LinkSpec =
  | { kind: 'dummy' }
  | { kind: 'bridge' }
  | { kind: 'veth'; peerName?: string; peerNetns?: Netns; peerMac?: Mac }
  | {
      kind: 'vxlan';
      vni: number;
      local?: Ipv4;
      remote?: Ipv4;
      underlay?: Link;
      dstPort?: number;
      learning?: boolean;
      ttl?: number;
      tos?: number;
      udpCsum?: boolean;
      srcPortMin?: number;
      srcPortMax?: number;
      ageing?: number;
    }
  | { kind: 'ipip'; local?: Ipv4; remote?: Ipv4; underlay?: Link; ttl?: number; pmtudisc?: boolean };

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
      if (spec.pmtudisc !== undefined) t.pmtudisc = spec.pmtudisc;
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
  if (link instanceof Veth) {
    link.peer.noteState(true);
    link.noteState(true);
  }
  if (spec.kind === 'vxlan' && spec.remote !== undefined) {
    (link as Vxlan).remote = spec.remote;
    (link as Vxlan).fdbUpdate('00:00:00:00:00:00', spec.remote, 'add');
  }
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
    link.noteState(true);
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

function nextFreeName(ns: Netns, prefix: string, skip?: string): string {
  for (let i = 0; ; i++) {
    const n = `${prefix}${i}`;
    if (!ns.linkByName(n) && n !== skip) return n;
  }
}

/** dev_validate_mtu()'s bounds per driver (min_mtu, max_mtu; 0 is "no maximum"), as this machine's kernel reports them. */
export function mtuLimits(kind: LinkKind): { readonly minMtu: number; readonly maxMtu: number } {
  switch (kind) {
    case 'loopback':
    case 'dummy':
      return { minMtu: 0, maxMtu: 0 };
    case 'ipip':
      return { minMtu: 68, maxMtu: 65515 };
    default:
      return { minMtu: 68, maxMtu: 65535 };
  }
}

/** dev_validate_mtu(), with its extended-ack texts. */
export function checkMtu(kind: LinkKind, mtu: number): void {
  const lim = mtuLimits(kind);
  if (mtu < lim.minMtu) throw new KernelError('EINVAL', 'mtu less than device minimum');
  if (lim.maxMtu > 0 && mtu > lim.maxMtu) throw new KernelError('EINVAL', 'mtu greater than device maximum');
}

/** eth_prepare_mac_addr_change(): a device address must be unicast. */
export function checkMac(mac: Mac): void {
  if (isMulticastMac(mac) || mac === '00:00:00:00:00:00') throw new KernelError('EADDRNOTAVAIL');
}

/** The attributes of the peer of a new veth (`peer name B netns X mtu N address M txqueuelen Q up`). */
export interface PeerAttrs {
  readonly name?: string;
  readonly netns?: Netns;
  readonly mtu?: number;
  readonly mac?: Mac;
  readonly txQueueLen?: number;
  readonly up?: boolean;
}

/** An RTM_NEWLINK request that creates a device. */
export interface NewLinkMsg {
  /** IFLA_IFNAME; absent: the driver's `kind%d` (veth%d, bridge%d...). */
  readonly name?: string;
  readonly spec: LinkSpec;
  readonly mtu?: number;
  readonly mac?: Mac;
  readonly txQueueLen?: number;
  readonly master?: Link;
  readonly up?: boolean;
  /** For a veth: its peer; the peer stays in the requester's namespace unless it names its own (veth_newlink). */
  readonly peer?: PeerAttrs;
}

/**
 * rtnl_newlink() with NLM_F_CREATE|NLM_F_EXCL: every check first, in the kernel's order, then the
 * device (and a veth's peer), its master and its state. `ns` is where the device is made; `requester`
 * is the namespace of the netlink socket, where a veth's peer goes by default.
 */
export function newLink(ns: Netns, m: NewLinkMsg, requester: Netns = ns): Link {
  const spec = m.spec;
  if (spec.kind === 'vxlan') {
    // vxlan_config_validate(): one device per VNI and port in a namespace.
    const port = spec.dstPort ?? 8472;
    if (ns.links().some((l) => l instanceof Vxlan && l.vni === spec.vni && l.dstPort === port))
      throw new KernelError('EEXIST', 'A VXLAN device with the specified VNI already exists');
  }
  let name = m.name;
  // A name too long for IFNAMSIZ fails the attribute policy; an existing name fails first (NLM_F_EXCL).
  if (name !== undefined && !validName(name)) throw new KernelError('EINVAL', 'Attribute failed policy validation');
  if (name !== undefined && ns.linkByName(name)) throw new KernelError('EEXIST');
  let linkSpec: LinkSpec = spec;
  if (spec.kind === 'veth') {
    const peerNs = m.peer?.netns ?? requester;
    const peerName = m.peer?.name ?? nextFreeName(peerNs, 'veth');
    if (name === undefined) name = nextFreeName(ns, 'veth', peerNs === ns ? peerName : undefined);
    if (peerNs.linkByName(peerName) || (peerNs === ns && peerName === name)) throw new KernelError('EEXIST');
    linkSpec = { kind: 'veth', peerName, peerNetns: peerNs, peerMac: m.peer?.mac };
    if (m.peer?.mac !== undefined) checkMac(m.peer.mac);
    if (m.peer?.mtu !== undefined) checkMtu('veth', m.peer.mtu);
  }
  name ??= nextFreeName(ns, spec.kind);
  if (m.mac !== undefined) checkMac(m.mac);
  if (m.mtu !== undefined) checkMtu(spec.kind, m.mtu);
  if (m.master && !(m.master instanceof Bridge)) throw new KernelError('EOPNOTSUPP');
  const link = linkAdd(ns, name, linkSpec, { mtu: m.mtu, mac: m.mac, txQueueLen: m.txQueueLen });
  if (link instanceof Veth && m.peer) {
    if (m.peer.mtu !== undefined) link.peer.mtu = m.peer.mtu;
    if (m.peer.txQueueLen !== undefined) link.peer.txQueueLen = m.peer.txQueueLen;
    if (m.peer.up) linkSetUp(link.peer);
  }
  if (m.master) linkSetMaster(link, m.master);
  if (m.up) linkSetUp(link);
  return link;
}

/** An RTM_NEWLINK request on an existing device (`ip link set`). */
export interface SetLinkMsg {
  /** IFLA_INFO_KIND sent with the request: it must be the device's own (or bridge_slave on a port). */
  readonly kind?: string;
  readonly netns?: Netns;
  readonly name?: string;
  readonly mac?: Mac;
  readonly mtu?: number;
  readonly up?: boolean;
  /** null: `nomaster`. */
  readonly master?: Link | null;
  readonly txQueueLen?: number;
  /** IFLA_IFALIAS: '' removes it. */
  readonly alias?: string;
  /** IFF_PROMISC in ifi_flags/ifi_change: dev_change_flags() counts it into the promiscuity. */
  readonly promisc?: boolean;
}

/** The size of the alias buffer (include/linux/if.h), its NUL included. */
const IFALIASZ = 256;

/** do_setlink(): every check first, in the order the kernel would fail, then the changes in do_setlink's order. */
export function setLink(link: Link, m: SetLinkMsg): void {
  const ns = link.netns;
  if (m.kind !== undefined && m.kind !== link.kind && !(m.kind === 'bridge_slave' && link.master)) throw new KernelError('EOPNOTSUPP');
  const newName = m.name !== undefined && m.name !== link.name ? m.name : undefined;
  const finalNs = m.netns ?? ns;
  const moving = m.netns !== undefined && m.netns !== ns;
  if (moving) {
    if (link.kind === 'loopback' || link.kind === 'bridge') throw new KernelError('EINVAL');
    if (finalNs.linkByName(newName ?? link.name)) throw new KernelError('EEXIST');
  }
  if (m.mac !== undefined) checkMac(m.mac);
  if (m.mtu !== undefined) checkMtu(link.kind, m.mtu);
  if (m.alias !== undefined && m.alias.length >= IFALIASZ) throw new KernelError('EINVAL');
  if (newName !== undefined && finalNs.linkByName(newName)) throw new KernelError('EEXIST');
  const master = m.master;
  if (master) {
    if (!(master instanceof Bridge)) throw new KernelError('EOPNOTSUPP');
    if (master === link || link.kind === 'loopback' || !link.hasEthernetHeader) throw new KernelError('EINVAL');
    if (finalNs !== master.netns) throw new KernelError('ENODEV');
    if (link.master && link.master !== master) throw new KernelError('EBUSY');
  }
  // The rename is the one step the kernel may still refuse, so unless the device also moves it
  // goes first: a refusal then leaves everything as it was.
  if (newName !== undefined && !moving) ns.rename(link, newName);
  if (moving) linkSetNetns(link, m.netns!);
  if (m.mac !== undefined) linkSetMac(link, m.mac);
  if (m.mtu !== undefined) {
    // br_change_mtu() marks a bridge's MTU as the user's; a port's change re-derives its bridge's.
    link.mtu = m.mtu;
    if (link instanceof Bridge) link.mtuSetByUser = true;
    if (link.master instanceof Bridge) link.master.adjustMtu();
  }
  if (newName !== undefined && moving) link.netns.rename(link, newName);
  if (m.up === true) linkSetUp(link);
  if (m.up === false) linkSetDown(link);
  if (master !== undefined) linkSetMaster(link, master ?? undefined);
  if (m.txQueueLen !== undefined) link.txQueueLen = m.txQueueLen;
  if (m.alias !== undefined) link.ifalias = m.alias;
  if (m.promisc !== undefined && m.promisc !== link.userPromisc) {
    link.userPromisc = m.promisc;
    link.promiscuity += m.promisc ? 1 : -1;
  }
}

/** rtnl_dellink(): with a kind sent, it must be the device's own. */
export function delLink(link: Link, kind?: string): void {
  if (kind !== undefined && kind !== link.kind) throw new KernelError('EOPNOTSUPP');
  linkDel(link);
}

/** The IFNAMSIZ and dev_valid_name() rules of the attribute policy. */
function validName(name: string): boolean {
  return name.length > 0 && name.length < IFNAMSIZ && !/[\s/:]/.test(name) && name !== '.' && name !== '..';
}
