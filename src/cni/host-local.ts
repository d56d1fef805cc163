// The host-local IPAM plugin (containernetworking/plugins plugins/ipam/host-local): addresses from
// the configured ranges, round-robin after the last one reserved, state in files under dataDir
// (default /var/lib/cni/networks): `<dataDir>/<network>/<ip>` holds "<container id>\r\n<ifname>",
// `last_reserved_ip.<range set index>` the last address handed out (both 0600), and the empty `lock`
// file the disk store flocks (go-filemutex creates it 0750) appears with the directory.
import type { NodeFiles } from '../sim/index.js';
import { formatIpv4, parseIpv4, parsePrefix } from '../wire/index.js';
import { CNI_ERR, CniError, type ResultIp, type ResultRoute } from './types.js';

interface Range {
  readonly subnet: string;
  readonly rangeStart?: string;
  readonly rangeEnd?: string;
  readonly gateway?: string;
}

export interface HostLocalConf {
  readonly type: 'host-local';
  readonly ranges?: readonly (readonly Range[])[];
  readonly subnet?: string;
  readonly routes?: readonly ResultRoute[];
  readonly dataDir?: string;
}

const DEFAULT_DATA_DIR = '/var/lib/cni/networks';

interface Pool {
  readonly start: number;
  readonly end: number;
  readonly gateway: number;
  readonly len: number;
}

function pool(r: Range): Pool {
  const p = parsePrefix(r.subnet);
  if (!p) throw new CniError(CNI_ERR.INVALID_CONFIG, `invalid CIDR ${r.subnet}`);
  const mask = p.len === 0 ? 0 : (~0 << (32 - p.len)) >>> 0;
  const net = (p.addr & mask) >>> 0;
  const bcast = (net | (~mask >>> 0)) >>> 0;
  if (p.len > 30) throw new CniError(CNI_ERR.INVALID_CONFIG, `Network ${r.subnet} too small to allocate from`);
  const at = (text: string | undefined, field: string, dflt: number): number => {
    if (text === undefined) return dflt;
    const v = parseIpv4(text);
    if (v === undefined || v < net || v > bcast) throw new CniError(CNI_ERR.INVALID_CONFIG, `${field} ${text} not in network ${r.subnet}`);
    return v;
  };
  return {
    start: at(r.rangeStart, 'RangeStart', net + 1),
    end: at(r.rangeEnd, 'RangeEnd', bcast - 1),
    gateway: at(r.gateway, 'Gateway', net + 1),
    len: p.len,
  };
}

/** The range sets of a configuration (`ranges`, or the legacy single `subnet`). */
function rangeSets(conf: HostLocalConf): Range[][] {
  if (conf.ranges?.length) return conf.ranges.map((set) => [...set]);
  if (conf.subnet) return [[{ subnet: conf.subnet }]];
  throw new CniError(CNI_ERR.INVALID_CONFIG, 'no IP ranges specified');
}

const decoder = new TextDecoder();

/** How many addresses a pool hands out (its gateway is not one of them). */
function poolSize(p: Pool): number {
  return Math.max(0, p.end - p.start + 1 - (p.gateway >= p.start && p.gateway <= p.end ? 1 : 0));
}

/** The position of `ip` among the pools' addresses in order, -1 when it is none of them. */
function indexIn(pools: readonly Pool[], ip: number): number {
  let offset = 0;
  for (const p of pools) {
    if (ip >= p.start && ip <= p.end && ip !== p.gateway) return offset + ip - p.start - (p.gateway >= p.start && p.gateway < ip ? 1 : 0);
    offset += poolSize(p);
  }
  return -1;
}

/** The address at position `i` (0 <= i < the total) among the pools' addresses in order. */
function candidateAt(pools: readonly Pool[], i: number): { ip: number; p: Pool } {
  for (const p of pools) {
    const n = poolSize(p);
    if (i < n) {
      const ip = p.start + i;
      return { ip: p.gateway >= p.start && ip >= p.gateway ? ip + 1 : ip, p };
    }
    i -= n;
  }
  throw new RangeError(`no address at position ${i}`);
}

/**
 * Who holds the addresses of one network's directory: the names of its address files (those whose
 * names are IPv4 addresses, the only ones a lookup by owner uses) by their trimmed content, as of
 * the directory's stamp (NodeFiles.dirStamp).
 */
interface Holders {
  stamp: number | undefined;
  readonly byOwner: Map<string, string | string[]>;
}

export class HostLocal {
  /** By network directory: rebuilt by a walk when anything else changed the directory, else kept up with this store's own writes. */
  private readonly holders = new Map<string, Holders>();

  constructor(private readonly files: NodeFiles) {}

  private dir(conf: HostLocalConf, network: string): string {
    return `${conf.dataDir ?? DEFAULT_DATA_DIR}/${network}`;
  }

  /** disk.New: the network's directory and its lock file, made when the store is opened (ADD and DEL alike). */
  private open(dir: string): void {
    this.files.mkdirp(dir);
    if (!this.files.exists(`${dir}/lock`)) this.files.write(`${dir}/lock`, '', { mode: 0o750 });
  }

  /**
   * The address files of `dir` by owner, as the disk store's GetByID would find them walking the
   * directory (contents compared trimmed). The walk runs again only when the directory changed since
   * this store last saw it: an ADD on a node of 30 pods walked 15 files.
   */
  private holdersOf(dir: string): Holders {
    const stamp = this.files.dirStamp(dir);
    let h = this.holders.get(dir);
    if (h && h.stamp === stamp) return h;
    h = { stamp, byOwner: new Map() };
    const byOwner = h.byOwner;
    this.files.eachFile(dir, (name, data) => {
      if (parseIpv4(name) !== undefined) hold(byOwner, decoder.decode(data).trim(), name);
    });
    this.holders.set(dir, h);
    return h;
  }

  /** The address files in `dir` that `owner` holds, in name order. */
  private owned(dir: string, owner: string): string[] {
    const held = this.holdersOf(dir).byOwner.get(owner.trim());
    if (held === undefined) return [];
    return typeof held === 'string' ? [held] : [...held].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** ADD: one address per range set, reserved for the container. */
  allocate(conf: HostLocalConf, network: string, containerId: string, ifName: string): { ips: ResultIp[]; routes: ResultRoute[] } {
    const dir = this.dir(conf, network);
    this.open(dir);
    const ips = rangeSets(conf).map((set, idx) => {
      const pools = set.map(pool);
      const owner = `${containerId}\r\n${ifName}`;
      // a container asking again gets what it has (the spec: ADD is idempotent per container/ifname):
      // the first such file in name order; the owner is compared first, a byte or two for most files
      for (const name of this.owned(dir, owner)) {
        const ip = parseIpv4(name);
        const p = ip === undefined ? undefined : pools.find((q) => ip >= q.start && ip <= q.end);
        if (p) return { address: `${name}/${p.len}`, gateway: formatIpv4(p.gateway) };
      }
      // The range set's addresses in order, gateways left out, walked from the one after the last reserved.
      const last = parseIpv4(this.files.readText(`${dir}/last_reserved_ip.${idx}`) ?? '');
      const total = pools.reduce((n, p) => n + poolSize(p), 0);
      let from = last === undefined ? 0 : indexIn(pools, last) + 1;
      if (from < 0 || from >= total) from = 0;
      for (let k = 0; k < total; k++) {
        const c = candidateAt(pools, (from + k) % total);
        const ipText = formatIpv4(c.ip);
        if (this.files.exists(`${dir}/${ipText}`)) continue;
        const h = this.holdersOf(dir);
        this.files.write(`${dir}/${ipText}`, owner, { mode: 0o600 });
        this.files.write(`${dir}/last_reserved_ip.${idx}`, ipText, { mode: 0o600 });
        // what changed is known: the new address file (last_reserved_ip is no address file)
        hold(h.byOwner, owner.trim(), ipText);
        h.stamp = this.files.dirStamp(dir);
        return { address: `${ipText}/${c.p.len}`, gateway: formatIpv4(c.p.gateway) };
      }
      throw new CniError(
        CNI_ERR.INTERNAL,
        `failed to allocate for range ${idx}: no IP addresses available in range set: ${set.map((r) => r.subnet).join(',')}`,
      );
    });
    return { ips, routes: [...(conf.routes ?? [])] };
  }

  /** DEL: releases what the container holds; nothing held is no error. */
  release(conf: HostLocalConf, network: string, containerId: string, ifName: string): void {
    const dir = this.dir(conf, network);
    this.open(dir);
    const owner = `${containerId}\r\n${ifName}`;
    const names = this.owned(dir, owner);
    if (!names.length) return;
    const h = this.holdersOf(dir);
    for (const name of names) this.files.remove(`${dir}/${name}`);
    h.byOwner.delete(owner.trim());
    h.stamp = this.files.dirStamp(dir);
  }
}

/** Notes that `owner` holds address file `name`. */
function hold(byOwner: Map<string, string | string[]>, owner: string, name: string): void {
  const held = byOwner.get(owner);
  if (held === undefined) byOwner.set(owner, name);
  else if (typeof held === 'string') byOwner.set(owner, [held, name]);
  else held.push(name);
}
