// How `ip neigh` prints an entry (iproute2 ipneigh.c print_neigh), for the kernel's ARP entries
// and for the IPv6 entries a host's own link-up traffic leaves in nd_tbl.
import type { Link, Neighbour, Netns, NudState } from '../../kernel/index.js';
import { formatIpv4 } from '../../wire/index.js';
import type { Printer } from './print.js';

export interface NeighRecord {
  readonly dst: string;
  readonly dev: Link;
  readonly lladdr?: string;
  readonly state: NudState;
  /** Seconds since use, confirmation and update, and the probes sent (`-s`). */
  readonly stats: { used: number; confirmed: number; updated: number; probes: number };
}

export function inetRecord(ns: Netns, n: Neighbour): NeighRecord {
  const now = ns.kernel.clock.now();
  const secs = (t: number) => Math.floor(Math.max(0, now - t) / 1000);
  // An entry without a usable address (INCOMPLETE, FAILED, NONE) is dumped without NDA_LLADDR.
  const shown = n.state !== 'INCOMPLETE' && n.state !== 'FAILED' && n.state !== 'NONE';
  return {
    dst: formatIpv4(n.ip),
    dev: n.dev,
    lladdr: shown ? n.lladdr : undefined,
    state: n.state,
    stats: { used: secs(n.updated), confirmed: secs(n.confirmed), updated: secs(n.updated), probes: n.probes },
  };
}

/**
 * nd_tbl as a host's own traffic fills it: once a device has its link-local address it sends an
 * MLDv2 report (to ff02::16) and a router solicitation (to ff02::2), and the neighbour layer keeps
 * a NOARP entry for each multicast destination. Derived from device state (display only).
 */
export function ipv6Neighbours(ns: Netns): NeighRecord[] {
  const stats = { used: 0, confirmed: 0, updated: 0, probes: 0 };
  return ns
    .links()
    .filter((l) => l.ipv6LinkLocal && l.adminUp && l.kind !== 'loopback' && l.kind !== 'ipip' && l.kind !== 'tun')
    .flatMap((dev): NeighRecord[] => [
      { dst: 'ff02::16', dev, lladdr: '33:33:00:00:00:16', state: 'NOARP', stats },
      { dst: 'ff02::2', dev, lladdr: '33:33:00:00:00:02', state: 'NOARP', stats },
    ]);
}

/** print_neigh(). */
export function printNeigh(p: Printer, n: NeighRecord, mode: { showDev: boolean; stats: boolean }): void {
  p.openObject();
  p.any('dst', n.dst, `${n.dst} `);
  if (mode.showDev) p.any('dev', n.dev.name, `dev ${n.dev.name} `);
  if (n.lladdr !== undefined) {
    p.fp('lladdr ');
    p.any('lladdr', n.lladdr, `${n.lladdr} `);
  }
  if (mode.stats) {
    const s = n.stats;
    p.any('used', s.used, ` used ${s.used}`);
    p.any('confirmed', s.confirmed, `/${s.confirmed}`);
    p.any('updated', s.updated, `/${s.updated}`);
    p.any('probes', s.probes, `probes ${s.probes} `);
  }
  if (n.state !== 'NONE') {
    p.openArray('state');
    p.any(undefined, n.state, `${n.state} `);
    p.closeArray();
  }
  p.fp('\n');
  p.closeObject();
}
