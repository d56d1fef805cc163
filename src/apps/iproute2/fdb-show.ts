// What `bridge fdb show` lists (rtnl_fdb_dump) and how it prints an entry (iproute2 bridge/fdb.c
// print_fdb): per device in ifindex order, a port's bridge entries (newest first, the port's
// own address last), then the device's own list: a vxlan's forwarding table, or the multicast
// addresses of dev->mc as `self permanent`.
import { Bridge, Vxlan, type Link, type Netns } from '../../kernel/index.js';
import { formatIpv4, type Ipv4, type Mac } from '../../wire/index.js';
import { mcListOf } from './facts.js';
import type { Printer } from './print.js';

export interface FdbRecord {
  readonly mac: Mac;
  readonly dev: Link;
  readonly dst?: Ipv4;
  readonly self: boolean;
  readonly master?: Bridge;
  /** `permanent`, `static`, `stale` or '' (reachable). */
  readonly state: 'permanent' | 'static' | 'stale' | '';
}

/** A bridge's entries for one port (or, with `port` the bridge itself, its own addresses). */
function bridgeEntries(br: Bridge, port: Link): FdbRecord[] {
  const all = br.entries();
  const own = all.filter((e) => e.local && e.port === port);
  const rest = all.filter((e) => !e.local && e.port === port);
  // The hash list is newest first: learned and added entries precede the port's own address,
  // which was created when the port joined.
  const out: FdbRecord[] = rest.reverse().map((e) => ({
    mac: e.mac,
    dev: port,
    self: false,
    master: br,
    state: e.static ? 'static' : e.updated + br.ageingTime <= br.netns.kernel.clock.now() ? 'stale' : '',
  }));
  for (const e of own) {
    // A bridge that took a port's address has no entry of its own for it.
    if (port === br && br.ports.some((p) => p.dev.mac === e.mac)) continue;
    if (out.some((o) => o.mac === e.mac)) continue;
    out.push({ mac: e.mac, dev: port, self: false, master: br, state: 'permanent' });
  }
  return out;
}

function selfEntries(dev: Link): FdbRecord[] {
  if (dev instanceof Vxlan) {
    const out: FdbRecord[] = [];
    for (const e of [...dev.fdb.values()].reverse()) {
      for (const dst of e.dsts) out.push({ mac: e.mac, dev, dst, self: true, state: e.permanent ? 'permanent' : '' });
    }
    return out;
  }
  return mcListOf(dev).map((mac) => ({ mac, dev, self: true, state: 'permanent' }));
}

export interface FdbFilter {
  /** `br BR`: the bridge and its ports. */
  readonly br?: Bridge;
  /** `dev D` / `brport D`. */
  readonly dev?: Link;
}

/** The dump, device by device. */
export function dumpFdb(ns: Netns, f: FdbFilter): FdbRecord[] {
  const out: FdbRecord[] = [];
  for (const dev of ns.links()) {
    if (f.dev && dev !== f.dev) continue;
    if (f.br && dev !== f.br && dev.master !== f.br) continue;
    if (dev.master instanceof Bridge) out.push(...bridgeEntries(dev.master, dev));
    if (dev instanceof Bridge) {
      // br_fdb_dump(): the bridge's own multicast list, then its own (port-less) addresses.
      out.push(...selfEntries(dev));
      out.push(...bridgeEntries(dev, dev));
    } else out.push(...selfEntries(dev));
  }
  return out;
}

/** print_fdb(). */
export function printFdb(p: Printer, e: FdbRecord, showDev: boolean): void {
  p.openObject();
  p.any('mac', e.mac, `${e.mac} `);
  if (showDev) {
    p.fp('dev ');
    p.any('ifname', e.dev.name, `${e.dev.name} `);
  }
  if (e.dst !== undefined) p.any('dst', formatIpv4(e.dst), `dst ${formatIpv4(e.dst)} `);
  p.openArray('flags');
  if (e.self) p.any(undefined, 'self', 'self ');
  p.closeArray();
  if (e.master) p.any('master', e.master.name, `master ${e.master.name} `);
  p.any('state', e.state, `${e.state}\n`);
  p.closeObject();
}
