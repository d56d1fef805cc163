// Per-namespace sysctls under /proc/sys/net (the ones knetlab's behaviour reads), with the
// kernel's coupling rules: ip_forward drives every device's forwarding, a new device copies
// net.ipv4.conf.default, and effective values combine `all` and the device as devinet.c does.
import { SmallMap } from '../sim/index.js';
import { KernelError } from './errors.js';

/** Per-device IPv4 settings (struct ipv4_devconf) with the kernel's defaults for a new device. */
export const DEVCONF_DEFAULTS: Readonly<Record<string, string>> = {
  accept_local: '0',
  accept_redirects: '1',
  accept_source_route: '0',
  arp_accept: '0',
  arp_announce: '0',
  arp_evict_nocarrier: '1',
  arp_filter: '0',
  arp_ignore: '0',
  arp_notify: '0',
  bc_forwarding: '0',
  bootp_relay: '0',
  disable_policy: '0',
  disable_xfrm: '0',
  drop_gratuitous_arp: '0',
  drop_unicast_in_l2_multicast: '0',
  force_igmp_version: '0',
  forwarding: '0',
  igmpv2_unsolicited_report_interval: '10000',
  igmpv3_unsolicited_report_interval: '1000',
  ignore_routes_with_linkdown: '0',
  log_martians: '0',
  mc_forwarding: '0',
  medium_id: '0',
  promote_secondaries: '0',
  proxy_arp: '0',
  proxy_arp_pvlan: '0',
  route_localnet: '0',
  rp_filter: '0',
  secure_redirects: '1',
  send_redirects: '1',
  shared_media: '1',
  src_valid_mark: '0',
  tag: '0',
};

/** Where `all` and loopback differ from a new device (seen on Linux 6.x in a fresh namespace). */
const ALL_OVERRIDES = { accept_source_route: '1' };
const LOOPBACK_OVERRIDES = { accept_source_route: '1', disable_policy: '1', disable_xfrm: '1' };

const NET_DEFAULTS: Readonly<Record<string, string>> = {
  'net/ipv4/ip_forward': '0',
  'net/ipv4/ip_default_ttl': '64',
  'net/ipv4/ip_local_port_range': '32768\t60999',
  'net/ipv4/icmp_echo_ignore_all': '0',
  'net/ipv4/icmp_echo_ignore_broadcasts': '1',
  'net/ipv4/ping_group_range': '0\t2147483647',
  'net/ipv4/fib_multipath_hash_policy': '0',
  'net/core/somaxconn': '4096',
  // br_netfilter (built into kind's and this machine's kernels): bridged IPv4 meets iptables.
  'net/bridge/bridge-nf-call-arptables': '1',
  'net/bridge/bridge-nf-call-ip6tables': '1',
  'net/bridge/bridge-nf-call-iptables': '1',
  'net/bridge/bridge-nf-filter-pppoe-tagged': '0',
  'net/bridge/bridge-nf-filter-vlan-tagged': '0',
  'net/bridge/bridge-nf-pass-vlan-input-dev': '0',
};

const CONF = 'net/ipv4/conf/';

/** What every namespace starts with: the net-wide values and conf/all and conf/default. */
const NET_BASE: ReadonlyMap<string, string> = new Map([
  ...Object.entries(NET_DEFAULTS),
  ...Object.entries({ ...DEVCONF_DEFAULTS, ...ALL_OVERRIDES }).map(([k, v]): [string, string] => [`${CONF}all/${k}`, v]),
  ...Object.entries(DEVCONF_DEFAULTS).map(([k, v]): [string, string] => [`${CONF}default/${k}`, v]),
]);

const DEVCONF_KEYS = Object.keys(DEVCONF_DEFAULTS);
/** The copies a new device and a new loopback get while nothing was written: shared, never changed. */
const DEVICE_BASE: Readonly<Record<string, string>> = Object.freeze({ ...DEVCONF_DEFAULTS });
const LOOPBACK_BASE: Readonly<Record<string, string>> = Object.freeze({ ...DEVCONF_DEFAULTS, ...LOOPBACK_OVERRIDES });

/**
 * A device's net/ipv4/conf/<dev>/ values: the copy it got when it was registered (shared by every
 * device registered while `default` and `all/forwarding` stayed the same) and what was written
 * since (copy on write), so a new device costs no copy of ~30 values.
 */
interface DevConf {
  readonly base: Readonly<Record<string, string>>;
  own: Map<string, string> | undefined;
}

export class Sysctls {
  /** Net-wide values, conf/all and conf/default written in this namespace (made with the first); the rest read NET_BASE. */
  private own: Map<string, string> | undefined;
  /** A SmallMap (sim/small-map.ts): a pod's namespace has two devices. */
  private readonly devices = new SmallMap<string, DevConf>();
  /** The copy the next device gets, until `default` or the forwarding state changes (undefined: build it again). */
  private deviceBase: Readonly<Record<string, string>> | undefined = DEVICE_BASE;
  private loopbackBase: Readonly<Record<string, string>> | undefined = LOOPBACK_BASE;

  /** Registers net/ipv4/conf/<dev>/ for a new device, copied from `default` (devinet_init_net). */
  addDevice(dev: string, loopback = false): void {
    let base = loopback ? this.loopbackBase : this.deviceBase;
    if (base === undefined) {
      const copy: Record<string, string> = {};
      for (const k of DEVCONF_KEYS) copy[k] = this.read(`${CONF}default/${k}`)!;
      if (loopback) Object.assign(copy, LOOPBACK_OVERRIDES);
      // A new device follows the current forwarding state, which ip_forward set on `all`.
      copy.forwarding = this.read(`${CONF}all/forwarding`)!;
      base = Object.freeze(copy);
      if (loopback) this.loopbackBase = base;
      else this.deviceBase = base;
    }
    this.devices.set(dev, { base, own: undefined });
  }

  removeDevice(dev: string): void {
    this.devices.delete(dev);
  }

  renameDevice(from: string, to: string): void {
    const conf = this.devices.get(from);
    if (!conf) return;
    this.devices.delete(from);
    this.devices.set(to, conf);
  }

  has(path: string): boolean {
    return this.read(normalisePath(path)) !== undefined;
  }

  /** Reads a sysctl by path (`net/ipv4/ip_forward` or `net.ipv4.ip_forward`). */
  get(path: string): string {
    const v = this.read(normalisePath(path));
    if (v === undefined) throw new KernelError('ENOENT');
    return v;
  }

  /** Writes a sysctl, applying the kernel's side effects. Values are checked as the kernel's proc handlers do. */
  set(path: string, value: string): void {
    const key = normalisePath(path);
    if (this.read(key) === undefined) throw new KernelError('ENOENT');
    const v = value.trim();
    if (key !== 'net/ipv4/ip_local_port_range' && key !== 'net/ipv4/ping_group_range' && !/^-?\d+$/.test(v)) {
      throw new KernelError('EINVAL');
    }
    if (key === 'net/ipv4/ip_forward' || key === `${CONF}all/forwarding`) {
      // devinet_sysctl_forward(): only a change of the value calls inet_forward_change(), which
      // copies it to every device and to default (a device set to 0 by hand stays so meanwhile).
      if (this.read(key) === v) return;
      const own = (this.own ??= new Map());
      own.set('net/ipv4/ip_forward', v);
      own.set(`${CONF}all/forwarding`, v);
      own.set(`${CONF}default/forwarding`, v);
      for (const conf of this.devices.values()) (conf.own ??= new Map()).set('forwarding', v);
      this.deviceBase = this.loopbackBase = undefined;
      return;
    }
    const d = this.deviceKey(key);
    if (d) {
      const conf = this.devices.get(d.dev)!;
      (conf.own ??= new Map()).set(d.name, v);
      return;
    }
    (this.own ??= new Map()).set(key, v);
    if (key.startsWith(`${CONF}default/`)) this.deviceBase = this.loopbackBase = undefined;
  }

  /** Every key under a directory (`net/ipv4/conf/lo`), sorted as sysctl lists them; all keys for ''. */
  keysUnder(dir: string): string[] {
    const prefix = dir === '' ? '' : `${normalisePath(dir)}/`;
    const keys = [...NET_BASE.keys()];
    for (const dev of this.devices.keys()) for (const k of DEVCONF_KEYS) keys.push(`${CONF}${dev}/${k}`);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  /** The value that governs a device: `all` OR the device (proxy_arp), or the max of both (rp_filter, arp_*). */
  effective(
    dev: string,
    name: 'proxy_arp' | 'rp_filter' | 'arp_ignore' | 'arp_announce' | 'forwarding' | 'accept_local' | 'route_localnet' | 'arp_accept',
  ): number {
    const devValue = Number(this.deviceValue(dev, name) ?? '0');
    if (name === 'forwarding') return devValue ? 1 : 0;
    const allValue = Number(this.read(`${CONF}all/${name}`) ?? '0');
    if (name === 'proxy_arp' || name === 'accept_local' || name === 'route_localnet' || name === 'arp_accept') {
      return allValue || devValue ? 1 : 0;
    }
    return Math.max(allValue, devValue);
  }

  /** The value at a normalised key, undefined when there is no such sysctl. */
  private read(key: string): string | undefined {
    const d = this.deviceKey(key);
    if (d) return this.deviceValue(d.dev, d.name);
    return this.own?.get(key) ?? NET_BASE.get(key);
  }

  private deviceValue(dev: string, name: string): string | undefined {
    const conf = this.devices.get(dev);
    if (!conf) return undefined;
    return conf.own?.get(name) ?? (Object.hasOwn(conf.base, name) ? conf.base[name] : undefined);
  }

  /** A registered device's key split into device and name; undefined for any other key (all/default included). */
  private deviceKey(key: string): { dev: string; name: string } | undefined {
    if (!key.startsWith(CONF)) return undefined;
    const slash = key.lastIndexOf('/');
    if (slash <= CONF.length) return undefined;
    const dev = key.slice(CONF.length, slash);
    if (!this.devices.has(dev)) return undefined;
    return { dev, name: key.slice(slash + 1) };
  }
}

/**
 * `net.ipv4.conf.eth0.rp_filter` → `net/ipv4/conf/eth0/rp_filter`. As sysctl(8) does, the dotted
 * form swaps '.' and '/', so `net.ipv4.conf.flannel/1.rp_filter` names device flannel.1.
 * A path form (with '/' before any '.', or a leading /proc/sys/) is taken as it is.
 */
export function normalisePath(path: string): string {
  if (path.startsWith('/proc/sys/')) return path.slice('/proc/sys/'.length);
  const slash = path.indexOf('/');
  const dot = path.indexOf('.');
  if (slash >= 0 && (dot < 0 || slash < dot)) return path;
  return path.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}
