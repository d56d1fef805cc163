// What iproute2 reads about a device that knetlab's kernel keeps only implicitly: flags, qdisc,
// the multicast address list, bridge ids and port numbers, driver limits. Pure functions of
// kernel state. Where the kernel does not (yet) keep a fact, an optional field is read if the
// kernel provides it and a documented approximation is used otherwise; each such place names
// the field the kernel would need.
import { Bridge, Ipip, mtuLimits, Tun, Veth, Vxlan, type Link } from '../../kernel/index.js';
import type { Ipv4, Mac } from '../../wire/index.js';

/** Optional device facts the kernel may provide; read defensively so the app works either way. */
interface OptionalFacts {
  /** IFLA_QDISC: `noop` until the device was first opened, then the default qdisc (`noqueue`). */
  readonly qdisc?: string;
  /** dev->mc list in order: the L2 multicast addresses `bridge fdb show` prints as `self permanent`. */
  readonly mcList?: readonly Mac[];
  readonly allmulti?: number;
}

interface OptionalBridgeFacts {
  /** The bridge id's MAC (all zeros until a port joined, then the bridge address). */
  readonly bridgeIdMac?: Mac;
  /** Port numbers (port_no), lowest free number from 1. */
  portNo?(dev: Link): number;
  /** Whether the bridge has ever had a port (a bridge that never had one has a null bridge id); kept privately by the kernel's Bridge today. */
  readonly hadPorts?: boolean;
}

interface OptionalVxlanFacts {
  /** `remote IP` / `group IP` given at creation (the default destination). */
  readonly remote?: Ipv4;
  readonly group?: Ipv4;
}

const facts = (l: Link): OptionalFacts => l as unknown as OptionalFacts;

/** The ifi_flags names iproute2 prints, in its order, with NO-CARRIER first and M-DOWN last. */
export function linkFlags(link: Link, peerDown: boolean): string[] {
  const f: string[] = [];
  if (link.adminUp && !link.carrier) f.push('NO-CARRIER');
  if (link.kind === 'loopback') f.push('LOOPBACK');
  else if (link.kind === 'ipip') f.push(...((link as Ipip).remote ? ['POINTOPOINT', 'NOARP'] : ['NOARP']));
  // tun_net_initialize(): IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST for IFF_TUN (recorded: scenario tun-flannel0)
  else if (link instanceof Tun) f.push('POINTOPOINT', 'MULTICAST', 'NOARP');
  else {
    f.push('BROADCAST');
    if (link.kind === 'dummy' || link.noarp) f.push('NOARP');
    else f.push('MULTICAST');
  }
  // A bridge port's device is in allmulti and promiscuous mode, but iproute2 shows IFF_PROMISC
  // only from the flags the user set (dev->gflags): ports do not show PROMISC.
  if (link.userPromisc) f.push('PROMISC');
  if (link.adminUp) f.push('UP');
  if (link.adminUp && link.carrier) f.push('LOWER_UP');
  if (peerDown) f.push('M-DOWN');
  return f;
}

export function qdiscOf(link: Link): string {
  const q = facts(link).qdisc;
  if (q !== undefined) return q;
  // Approximation: a device that is down is taken as never opened (real: `noqueue` once it was up).
  return link.adminUp ? 'noqueue' : 'noop';
}

export function operstateOf(link: Link): string {
  return link.operstate;
}

export function allmultiOf(link: Link): number {
  return facts(link).allmulti ?? (link.master instanceof Bridge ? 1 : 0);
}

/** The device's IFLA_LINK peer as iproute2 names it: `veth2@veth1` or `eth0@if7`. */
export function peerOf(link: Link): { peer: Link; sameNetns: boolean } | undefined {
  if (!(link instanceof Veth) || !link.peer) return undefined;
  return { peer: link.peer, sameNetns: link.peer.netns === link.netns };
}

/** ifi_type names (`link/ether`). */
export function llType(link: Link): string {
  if (link.kind === 'loopback') return 'loopback';
  if (link.kind === 'ipip') return 'ipip';
  if (link.kind === 'tun') return 'none';
  return 'ether';
}

export function broadcastMac(link: Link): string {
  return link.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
}

/** Driver limits and queue counts as this machine's kernel reports them (`ip -d link`). */
export function driverLimits(link: Link): { minMtu: number; maxMtu: number; txq: number; rxq: number; tsoMaxSize: number } {
  const { minMtu, maxMtu } = mtuLimits(link.kind);
  switch (link.kind) {
    case 'veth':
      // veth gets one queue per possible CPU: this machine has 2.
      return { minMtu, maxMtu, txq: 2, rxq: 2, tsoMaxSize: 524280 };
    case 'loopback':
      return { minMtu, maxMtu, txq: 1, rxq: 1, tsoMaxSize: 524280 };
    case 'bridge':
      return { minMtu, maxMtu, txq: 1, rxq: 1, tsoMaxSize: (link as Bridge).ports.length > 0 ? 524280 : 65536 };
    case 'vxlan':
      return { minMtu, maxMtu, txq: 1, rxq: 1, tsoMaxSize: (link as Vxlan).underlay ? 524280 : 65536 };
    default:
      return { minMtu, maxMtu, txq: 1, rxq: 1, tsoMaxSize: 65536 };
  }
}

// ---- IPv6 addresses (display only) ---------------------------------------------------------

/** The EUI-64 link-local address of a MAC, as inet_ntop prints it (fe80::a8bb:ccff:fedd:eeff). */
export function linkLocalOf(mac: Mac): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const groups = [0xfe80, 0, 0, 0, ((b[0]! ^ 2) << 8) | b[1]!, (b[2]! << 8) | 0xff, 0xfe00 | b[3]!, (b[4]! << 8) | b[5]!];
  return formatIpv6(groups);
}

/** inet_ntop(AF_INET6): the longest run of two or more zero groups becomes `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * The MAC the link-local address was derived from: addrconf makes it once, when the link first
 * becomes operational, and keeps it when the device's address changes later (a bridge adopting
 * a port's MAC keeps its old fe80:: address).
 */
function linkLocalMac(link: Link): Mac {
  return (link as unknown as { ipv6LinkLocalMac?: Mac }).ipv6LinkLocalMac ?? link.mac;
}

/** The IPv6 addresses a device shows (`inet6 ...`): ::1 on an up loopback, fe80::/64 on others. */
export function ipv6AddrsOf(link: Link): { addr: string; prefixLen: number; scope: 'host' | 'link' }[] {
  if (!link.ipv6LinkLocal) return [];
  if (link.kind === 'loopback') return [{ addr: '::1', prefixLen: 128, scope: 'host' }];
  // a TUN device's address is random (addrgenmode random, stable-privacy): not emulated, none shown
  if (link.kind === 'ipip' || link.kind === 'tun') return [];
  return [{ addr: linkLocalOf(linkLocalMac(link)), prefixLen: 64, scope: 'link' }];
}

/** The solicited-node multicast MAC of an EUI-64 address (33:33:ff: and the MAC's last three bytes). */
function solicitedNodeMac(mac: Mac): Mac {
  const b = mac.split(':');
  return `33:33:ff:${b[3]}:${b[4]}:${b[5]}`;
}

/**
 * dev->mc: the multicast MACs the IPv4 and IPv6 stacks (and a bridge's multicast snooping) joined,
 * in the order they were added. IPv6's all-nodes group is there from the device's creation until
 * a close after the link was ready; opening adds the bridge snooping groups and IPv4's all-hosts;
 * a readiness after such a close adds all-nodes again (after them), the link-local address its
 * solicited-node group.
 */
export function mcListOf(link: Link): Mac[] {
  const given = facts(link).mcList;
  if (given !== undefined) return [...given];
  if (link.kind === 'loopback' || link.kind === 'ipip' || link.kind === 'tun') return [];
  const allNodes = '33:33:00:00:00:01';
  if (!link.adminUp) return link.ipv6AllNodes ? [allNodes] : [];
  const out: Mac[] = [];
  if (link.ipv6AllNodes && !link.ipv6AllNodesAfterOpen) out.push(allNodes);
  if (link instanceof Bridge) out.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
  out.push('01:00:5e:00:00:01');
  if (link.ipv6AllNodes && link.ipv6AllNodesAfterOpen) out.push(allNodes);
  if (link.ipv6LinkLocal) out.push(solicitedNodeMac(linkLocalMac(link)));
  return out;
}

// ---- bridges -------------------------------------------------------------------------------

/** The bridge id's address: zeros while the bridge never had a port, else the bridge MAC. */
export function bridgeIdMac(br: Bridge): Mac {
  const f = br as unknown as OptionalBridgeFacts;
  if (f.bridgeIdMac !== undefined) return f.bridgeIdMac;
  if (f.hadPorts === false || (f.hadPorts === undefined && br.ports.length === 0 && !br.macSetByUser)) return '00:00:00:00:00:00';
  return br.mac;
}

/** `8000.2:11:22:33:44:55`: priority in 4 hex digits, the MAC as ether_ntoa prints it (no padding). */
export function bridgeIdText(br: Bridge): string {
  const mac = bridgeIdMac(br)
    .split(':')
    .map((x) => parseInt(x, 16).toString(16))
    .join(':');
  return `${br.priority.toString(16).padStart(4, '0')}.${mac}`;
}

/** brctl's form: `8000.0a580af40101`. */
export function bridgeIdBrctl(br: Bridge): string {
  return `${br.priority.toString(16).padStart(4, '0')}.${bridgeIdMac(br).replace(/:/g, '')}`;
}

export function portNoOf(br: Bridge, dev: Link): number {
  const f = br as unknown as OptionalBridgeFacts;
  if (f.portNo) return f.portNo(dev);
  // Approximation: ports numbered in joining order (real: the lowest free number).
  return br.ports.findIndex((p) => p.dev === dev) + 1;
}

/** br_port_state: STP is off, so a port forwards when it and its bridge are up with carrier. */
export function portStateOf(br: Bridge, dev: Link): 'disabled' | 'forwarding' {
  return br.adminUp && dev.operational ? 'forwarding' : 'disabled';
}

/** The path cost from the port's link speed (veth reports 10 Gb/s: cost 2; unknown speed: 100). */
export function portCostOf(dev: Link): number {
  return dev.kind === 'veth' ? 2 : 100;
}

// ---- vxlan ---------------------------------------------------------------------------------

export function vxlanRemote(v: Vxlan): Ipv4 | undefined {
  return (v as unknown as OptionalVxlanFacts).remote;
}

export function vxlanGroup(v: Vxlan): Ipv4 | undefined {
  return (v as unknown as OptionalVxlanFacts).group;
}
