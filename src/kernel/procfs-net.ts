// /proc/net/route, /proc/net/arp and /proc/net/dev of a network namespace, in the kernel's own
// formats (fib_route_seq_show in net/ipv4/fib_trie.c, arp_seq_show in net/ipv4/arp.c,
// dev_seq_show in net/core/net-procfs.c): what scripts read where `ip` is missing, and what
// programs such as busybox's `route` and `arp` parse.
import { formatIpv4, type Ipv4 } from '../wire/index.js';
import { RT_TABLE_MAIN } from './fib.js';
import type { Link } from './link.js';
import type { Netns } from './netns.js';

/** The files under /proc/net this emulation serves. */
export const PROC_NET_FILES: readonly string[] = ['arp', 'dev', 'route'];

/** `ns`'s /proc/net: the files' names, and each one's text as read now. */
export function procNet(ns: Netns): { readonly names: readonly string[]; read(name: string): string | undefined } {
  return { names: PROC_NET_FILES, read: (name) => procNetFile(ns, name) };
}

/** A /proc/net file's text for `ns`, or undefined for one not emulated. */
export function procNetFile(ns: Netns, name: string): string | undefined {
  if (name === 'route') return routeFile(ns);
  if (name === 'arp') return arpFile(ns);
  if (name === 'dev') return devFile(ns);
  return undefined;
}

/** An address as the kernel prints a __be32 with %08X on a little-endian machine (its bytes reversed). */
function hexBe32(ip: Ipv4): string {
  const swapped = (((ip & 0xff) << 24) | (((ip >>> 8) & 0xff) << 16) | (((ip >>> 16) & 0xff) << 8) | (ip >>> 24)) >>> 0;
  return swapped.toString(16).toUpperCase().padStart(8, '0');
}

/** seq_setwidth(127) … seq_pad('\n'): a line padded with spaces to 127 characters. */
const padded = (line: string) => `${line.padEnd(127)}\n`;

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_HOST = 0x4;
const RTF_REJECT = 0x200;

/** The main table's routes, but broadcast ones (multicast routes are IPv6's here), each with its first path. */
function routeFile(ns: Netns): string {
  let out = padded('Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT');
  for (const r of ns.tables.get(RT_TABLE_MAIN)?.dump() ?? []) {
    if (r.type === 'broadcast') continue;
    const path = r.nexthops?.[0];
    const gateway = path ? path.gateway : r.gateway;
    const dev = path ? path.dev : r.dev;
    const mask = r.dstLen === 0 ? 0 : (0xffffffff << (32 - r.dstLen)) >>> 0;
    let flags = RTF_UP | (gateway !== undefined ? RTF_GATEWAY : 0) | (r.dstLen === 32 ? RTF_HOST : 0);
    if (r.type === 'unreachable' || r.type === 'prohibit') flags |= RTF_REJECT;
    // the MTU column is the route's advmss + 40 (0 without one: knetlab keeps no advmss), not its mtu
    out += padded(
      [
        dev?.name ?? '*',
        hexBe32(r.dst),
        hexBe32(gateway ?? 0),
        flags.toString(16).toUpperCase().padStart(4, '0'),
        0,
        0,
        r.metric,
        hexBe32(mask),
        0,
        0,
        0,
      ].join('\t'),
    );
  }
  return out;
}

/** dev->type (ARPHRD_*). */
function hardwareType(link: Link): number {
  if (link.kind === 'loopback') return 772;
  if (link.kind === 'ipip') return 768;
  if (link.kind === 'tun') return 65534;
  return 1;
}

const ATF_COM = 0x2;
const ATF_PERM = 0x4;
const VALID = new Set(['PERMANENT', 'NOARP', 'REACHABLE', 'PROBE', 'STALE', 'DELAY']);

/** The ARP table but its NOARP entries (neigh_seq's NEIGH_SEQ_SKIP_NOARP); proxy entries are not emulated. */
function arpFile(ns: Netns): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const n of ns.neigh.list()) {
    if (n.state === 'NOARP') continue;
    const flags = n.state === 'PERMANENT' ? ATF_PERM | ATF_COM : VALID.has(n.state) ? ATF_COM : 0;
    const mac = n.lladdr ?? '00:00:00:00:00:00';
    out += `${formatIpv4(n.ip).padEnd(16)} 0x${hardwareType(n.dev).toString(16).padEnd(10)}0x${flags.toString(16).padEnd(10)}${mac.padEnd(17)}     *        ${n.dev.name}\n`;
  }
  return out;
}

/** Every device's counters, in the namespace's device order. */
function devFile(ns: Netns): string {
  let out =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  const n = (v: number, width: number) => String(v).padStart(width);
  for (const link of ns.links()) {
    const s = link.stats;
    out += `${link.name.padStart(6)}: ${n(s.rxBytes, 7)} ${n(s.rxPackets, 7)} ${n(0, 4)} ${n(s.rxDropped, 4)} ${n(0, 4)} ${n(0, 5)} ${n(0, 10)} ${n(0, 9)} ${n(s.txBytes, 8)} ${n(s.txPackets, 7)} ${n(0, 4)} ${n(s.txDropped, 4)} ${n(0, 4)} ${n(0, 5)} ${n(0, 7)} ${n(0, 10)}\n`;
  }
  return out;
}
