// A network namespace (struct net): its devices, addresses, routing tables, neighbour table and
// sysctls, with the rtnetlink-side operations and the kernel's side effects of each
// (routes appear with addresses and vanish with a device going down, as in Linux).
import { SmallMap } from '../sim/index.js';
import { inPrefix, type Ipv4, type Mac, type UdpDatagram, type Ipv4Packet } from '../wire/index.js';
import { addressRoutes, ifAddr, type IfAddr } from './addr.js';
import { icmpErrno, KernelError, type Errno } from './errors.js';
import {
  FibTable,
  nexthopDead,
  routeUsesDev,
  routeWithDev,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_TABLE_DEFAULT,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  type Route,
} from './fib.js';
import { hashKeyFrom, type HashKey } from './multipath.js';
import type { Kernel } from './kernel.js';
import type { Link } from './link.js';
import { NeighTable } from './neigh.js';
import type { Skb } from './skb.js';
import { FibRules } from './rules.js';
import { GatewayCache, plainGatewayRoute } from './gateway-cache.js';
import { Sysctls } from './sysctl.js';
import type { NetfilterRuntime } from './netfilter/runtime.js';
import type { IptablesState } from './netfilter/tables.js';
import type { IpsetRegistry } from './netfilter/ipset.js';
import type { Ipvs } from './netfilter/ipvs.js';
import type { InetPeer } from './ratelimit.js';
import type { TcpStack } from './tcp.js';

/** Receives UDP datagrams for a port (a kernel socket such as the vxlan driver's). */
export type UdpHandler = (skb: Skb<Ipv4Packet>, udp: UdpDatagram, dev: Link) => void;
/** Receives packets of an IP protocol handled in the kernel (IPIP decapsulation), for any namespace. */
export type ProtoHandler = (ns: Netns, skb: Skb<Ipv4Packet>, dev: Link) => boolean;

export const IFNAMSIZ = 16;

export class Netns {
  /** The devices in ifindex order (an exact-length list: a pod has two): links() needs no sort, linkByIndex() searches it. */
  private byIndex: Link[] = [];
  /** SmallMaps (sim/small-map.ts): a pod's namespace has two devices and two tables. */
  private readonly byName = new SmallMap<string, Link>();
  private lastIfindex = 0;
  private addrs: IfAddr[] = [];
  readonly tables = new SmallMap<number, FibTable>();
  /** The devices of gateways resolved for plain routes, forgotten as the tables change (gateway-cache.ts). */
  readonly gateways = new GatewayCache();
  /** Table main, which every namespace has from the start and keeps: table() answers it without a look in `tables`. */
  private readonly main = new FibTable(RT_TABLE_MAIN, this.gateways);
  /** The IPv4 policy routing rules (`ip rule`). */
  readonly rules = new FibRules();
  readonly neigh: NeighTable;
  readonly sysctl = new Sysctls();
  /**
   * Peer namespaces this one has an id for (peernet2id), as `link-netnsid` prints: the first (id 0)
   * in a field, since a pod's namespace knows only its node's; the others (ids from 1) in a map.
   */
  private firstPeer: Netns | undefined;
  private otherPeers: Map<Netns, number> | undefined;
  // The socket tables below are made on first use: most pod namespaces never open a socket.
  private udp: Map<number, UdpHandler> | undefined;
  private udpBinds: Map<number, Ipv4> | undefined;
  private icmpSinks: Map<number, (quoted: Uint8Array, type: number, code: number) => void> | undefined;
  private pings: Map<number, (skb: Skb<Ipv4Packet>) => void> | undefined;
  private udpErrs: Map<number, (errno: Errno) => void> | undefined;
  // The subsystems' per-namespace state (struct net's members), each made on first use by its
  // accessor: most pod namespaces never open a TCP socket, load a rule, a set or a service.
  /** TCP endpoints (tcpOf). */
  tcpStack: TcpStack | undefined;
  /** iptables tables (iptablesOf). */
  iptables: IptablesState | undefined;
  /** ipsets (ipsetOf). */
  ipsets: IpsetRegistry | undefined;
  /** IPVS (ipvsOf), made with `ipvsRandoms`. */
  ipvs: Ipvs | undefined;
  /**
   * IPVS's two randoms, drawn from the world's Rng when the namespace is made, as its pernet init
   * would: making IPVS on first use then leaves every later draw (MACs, initvals) where it was.
   * Kept as two signed 32-bit fields (small integers to V8), not a list of two numbers that are
   * boxed past 2^31: every pod's namespace draws them.
   */
  private readonly ipvsDraw0: number;
  private readonly ipvsDraw1: number;
  /** ICMP error rate limits per destination (ratelimit.ts). */
  icmpPeers: Map<Ipv4, InetPeer> | undefined;
  /**
   * The netfilter implementation on this namespace's hooks: attached once the namespace has
   * iptables or IPVS state (see netfilter.ts); until then every hook accepts.
   */
  netfilter: NetfilterRuntime | undefined;
  /** The next IPv4 identification value (ip_select_ident keeps per-destination counters; one suffices). */
  ipId: number;
  private mpKey: HashKey | undefined;

  constructor(
    readonly kernel: Kernel,
    /** A stable identity (like the namespace inode), for tools and for deterministic ordering. */
    readonly inode: number,
    /** How walks and diagnostics name this namespace ("host", "test-ns", "node1/pod-a"). */
    public label: string,
  ) {
    this.neigh = new NeighTable(kernel.clock, kernel.rng);
    // A new namespace has only table main; local comes with the first local route, the others with a route added to them.
    this.tables.set(RT_TABLE_MAIN, this.main);
    this.ipId = kernel.rng.int(0, 0x10000);
    this.ipvsDraw0 = kernel.rng.u32() | 0;
    this.ipvsDraw1 = kernel.rng.u32() | 0;
  }

  /** IPVS's two randoms (see ipvsDraw0), as the unsigned 32-bit numbers drawn. */
  get ipvsRandoms(): readonly [number, number] {
    return [this.ipvsDraw0 >>> 0, this.ipvsDraw1 >>> 0];
  }

  /** The multipath hash's key: from the kernel's seed and this namespace, never from the world's Rng. */
  get multipathKey(): HashKey {
    this.mpKey ??= hashKeyFrom(this.kernel.multipathSeed ^ Math.imul(this.inode, 0x9e3779b1));
    return this.mpKey;
  }

  get udpHandlers(): Map<number, UdpHandler> {
    return (this.udp ??= new Map());
  }

  /**
   * Where a UDP port's socket is bound, when not to 0.0.0.0 (set beside udpHandlers): a datagram to
   * that port on any other address finds no socket (one socket per port here, never several per address).
   */
  get udpBoundAddrs(): Map<number, Ipv4> {
    return (this.udpBinds ??= new Map());
  }

  /** The address a UDP port's socket is bound to; undefined for 0.0.0.0 (no map made on the receive path). */
  udpBoundAddr(port: number): Ipv4 | undefined {
    return this.udpBinds?.get(port);
  }

  /** Receivers of ICMP errors by the quoted datagram's protocol (udp_err; TCP's is the namespace's TcpStack). */
  get icmpErrorSinks(): Map<number, (quoted: Uint8Array, type: number, code: number) => void> {
    return (this.icmpSinks ??= new Map());
  }

  /** The receiver of ICMP errors quoting protocol `proto`, without making the map. */
  icmpErrorSink(proto: number): ((quoted: Uint8Array, type: number, code: number) => void) | undefined {
    return this.icmpSinks?.get(proto);
  }

  /**
   * Connected UDP sockets' error reports by local port (udp_err): an ICMP error quoting a datagram
   * from the port sets the socket's error, which its next send or receive returns.
   */
  get udpErrorHandlers(): Map<number, (errno: Errno) => void> {
    if (this.udpErrs === undefined) {
      const handlers = (this.udpErrs = new Map());
      this.icmpErrorSinks.set(17, (q, type, code) => {
        const ihl = (q[0]! & 0x0f) * 4;
        if (q.length >= ihl + 2) handlers.get((q[ihl]! << 8) | q[ihl + 1]!)?.(icmpErrno(type, code));
      });
    }
    return this.udpErrs;
  }

  /** Open ICMP echo sockets by identifier, as ping sockets bind their id. */
  get pingSockets(): Map<number, (skb: Skb<Ipv4Packet>) => void> {
    return (this.pings ??= new Map());
  }

  // ---- devices --------------------------------------------------------------------------

  links(): Link[] {
    return this.byIndex.slice();
  }

  linkByName(name: string): Link | undefined {
    return this.byName.get(name);
  }

  /** The loopback device (ifindex 1 in every namespace): locally generated flows come from it. */
  loopback(): Link | undefined {
    const lo = this.byIndex[0];
    return lo?.ifindex === 1 && lo.kind === 'loopback' ? lo : this.byIndex.find((l) => l.kind === 'loopback');
  }

  linkByIndex(ifindex: number): Link | undefined {
    const list = this.byIndex;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = list[mid]!;
      if (l.ifindex === ifindex) return l;
      if (l.ifindex < ifindex) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Looks a device up by name, failing as rtnetlink does with ENODEV. */
  mustLink(name: string): Link {
    const l = this.byName.get(name);
    if (!l) throw new KernelError('ENODEV');
    return l;
  }

  /** The next free ifindex (dev_index_reserve: per namespace, counting up). */
  allocIfindex(wanted?: number): number {
    if (wanted !== undefined && wanted > 0 && !this.linkByIndex(wanted)) return wanted;
    do this.lastIfindex++;
    while (this.linkByIndex(this.lastIfindex));
    return this.lastIfindex;
  }

  checkName(name: string): void {
    if (name.length === 0 || name.length >= IFNAMSIZ || /[\s/:]/.test(name) || name === '.' || name === '..') {
      throw new KernelError('EINVAL');
    }
    if (this.byName.has(name)) throw new KernelError('EEXIST');
  }

  /** register_netdevice(): the device joins the namespace with its own conf/ sysctls. */
  register(link: Link): void {
    link.netns = this;
    link.lowerUpSeen = false;
    let at = this.byIndex.length;
    while (at > 0 && this.byIndex[at - 1]!.ifindex > link.ifindex) at--;
    this.byIndex = this.byIndex.slice(0, at).concat(link, this.byIndex.slice(at));
    this.byName.set(link.name, link);
    this.sysctl.addDevice(link.name, link.kind === 'loopback');
  }

  /** unregister_netdevice(): everything that refers to the device goes with it. */
  unregister(link: Link): void {
    if (link.adminUp) this.setDown(link);
    this.neigh.flushDev(link, true);
    this.addrs = this.addrs.filter((a) => a.dev !== link);
    this.flushRoutesVia(link);
    this.byIndex = this.byIndex.filter((l) => l !== link);
    this.byName.delete(link.name);
    this.sysctl.removeDevice(link.name);
  }

  /** dev_change_name(): since Linux 6.2 an up device may be renamed too. */
  rename(link: Link, to: string): void {
    this.checkName(to);
    this.byName.delete(link.name);
    this.sysctl.renameDevice(link.name, to);
    // Object.assign({}, x, { field }) rather than { ...x, field }: V8 (Node 20) takes microseconds for a spread followed by fields.
    this.addrs = this.addrs.map((a) => (a.dev === link && a.label === link.name ? ifAddr(a, a.secondary, to) : a));
    link.name = to;
    this.byName.set(to, link);
  }

  /** dev_open(): IFF_UP, then the routes of its addresses appear. */
  setUp(link: Link): void {
    if (link.adminUp) return;
    link.adminUp = true;
    link.upCount++;
    // inetdev_event(NETDEV_UP): loopback gets 127.0.0.1/8 the first time it comes up without one.
    if (link.kind === 'loopback' && this.addrsOf(link).length === 0) {
      this.addrAdd({
        dev: link,
        local: 0x7f000001,
        prefixLen: 8,
        broadcast: undefined,
        scope: 254,
        label: link.name,
        noprefixroute: false,
        metric: 0,
      });
    }
    for (const a of this.addrsOf(link)) this.addAddressRoutes(a);
    this.kernel.linkStateChanged(link);
    this.kernel.deviceOpened(link);
  }

  /** dev_close(): routes through the device are flushed, neighbours forgotten (PERMANENT ones stay). */
  setDown(link: Link): void {
    if (!link.adminUp) return;
    link.adminUp = false;
    // fib_sync_down_dev() without force spares host-scope nexthops (fib_nh_scope RT_SCOPE_NOWHERE):
    // the local routes stay, and any other route of scope host. A multipath route's path through
    // the device is dead; the route goes when all its paths are.
    for (const t of this.tables.values()) {
      t.deleteWhere(
        (r) =>
          (r.dev === link && r.type !== 'local' && r.scope !== RT_SCOPE_HOST) ||
          (r.nexthops !== undefined && routeUsesDev(r, link) && r.nexthops.every(nexthopDead)),
      );
    }
    this.neigh.flushDev(link, false);
    this.kernel.linkStateChanged(link);
  }

  setMac(link: Link, mac: Mac): void {
    link.mac = mac;
    link.macSetByUser = true;
    this.kernel.linkStateChanged(link);
  }

  setMtu(link: Link, mtu: number): void {
    if (mtu < 68 || mtu > 65535) throw new KernelError('EINVAL');
    link.mtu = mtu;
  }

  /** The id this namespace uses for `peer` (allocated on first use, from 0). */
  nsidOf(peer: Netns): number {
    if (this.firstPeer === undefined) this.firstPeer = peer;
    if (peer === this.firstPeer) return 0;
    const others = (this.otherPeers ??= new Map());
    let id = others.get(peer);
    if (id === undefined) {
      id = others.size + 1;
      others.set(peer, id);
    }
    return id;
  }

  /** The id already assigned to `peer`, without allocating one. */
  peekNsid(peer: Netns): number | undefined {
    return peer === this.firstPeer ? 0 : this.otherPeers?.get(peer);
  }

  // ---- addresses ------------------------------------------------------------------------

  /** Addresses in the kernel's list order: primaries by scope, then secondaries. */
  addrsOf(link: Link): IfAddr[] {
    return this.addrs.filter((a) => a.dev === link);
  }

  allAddrs(): readonly IfAddr[] {
    return this.addrs;
  }

  /** __inet_insert_ifa(): a same-subnet address becomes secondary; primaries stay ordered by scope. */
  addrAdd(spec: Omit<IfAddr, 'secondary'>, replace = false): IfAddr {
    const mine = this.addrsOf(spec.dev);
    const existing = mine.find((a) => a.local === spec.local && a.prefixLen === spec.prefixLen);
    if (existing) {
      if (!replace) throw new KernelError('EEXIST');
      const updated = ifAddr(spec, existing.secondary);
      this.addrs[this.addrs.indexOf(existing)] = updated;
      return updated;
    }
    const sameSubnet = mine.filter((a) => a.prefixLen === spec.prefixLen && inPrefix(spec.local, a.local, spec.prefixLen));
    // Addresses of one subnet share their scope: the second would become the first one's secondary.
    if (sameSubnet.some((a) => a.scope !== spec.scope)) throw new KernelError('EINVAL', 'ipv4: Invalid scope value');
    const secondary = sameSubnet.some((a) => !a.secondary);
    const addr = ifAddr(spec, secondary);
    let at = this.addrs.length;
    if (!secondary) {
      // Insert after the last primary of this device whose scope is at least as wide.
      let after = -1;
      this.addrs.forEach((a, i) => {
        if (a.dev === spec.dev && !a.secondary && spec.scope <= a.scope) after = i;
      });
      const firstOfDev = this.addrs.findIndex((a) => a.dev === spec.dev);
      at = after >= 0 ? after + 1 : firstOfDev >= 0 ? firstOfDev : this.addrs.length;
    }
    // A new list of the exact length: a pod's one address does not hold room for 17 (as splice() into [] would).
    this.addrs = this.addrs.slice(0, at).concat(addr, this.addrs.slice(at));
    this.addAddressRoutes(addr);
    return addr;
  }

  /**
   * inet_del_ifa(): deleting a primary takes its secondaries with it, unless promote_secondaries
   * is set on `all` or the device: then the first secondary becomes the primary, in place.
   */
  addrDel(dev: Link, local: Ipv4, prefixLen: number | undefined): IfAddr {
    const a = this.addrsOf(dev).find((x) => x.local === local && (prefixLen === undefined || x.prefixLen === prefixLen));
    if (!a) throw new KernelError('EADDRNOTAVAIL');
    const secondaries = a.secondary
      ? []
      : this.addrsOf(dev).filter((x) => x.secondary && x.prefixLen === a.prefixLen && inPrefix(x.local, a.local, a.prefixLen));
    const promote =
      secondaries.length > 0 &&
      (this.sysctl.get('net/ipv4/conf/all/promote_secondaries') !== '0' ||
        this.sysctl.get(`net/ipv4/conf/${dev.name}/promote_secondaries`) !== '0');
    for (const g of [a, ...secondaries]) this.removeAddressRoutes(g);
    if (promote) {
      const [first, ...rest] = secondaries;
      this.addrs = this.addrs.filter((x) => x !== a).map((x) => (x === first ? ifAddr(x, false) : x));
      for (const x of [this.addrs.find((y) => y.dev === dev && y.local === first!.local)!, ...rest]) this.addAddressRoutes(x);
    } else {
      this.addrs = this.addrs.filter((x) => x !== a && !secondaries.includes(x));
    }
    // fib_del_ifaddr(): an address that is gone from the namespace takes the main table's routes
    // that name it as their source with it (fib_sync_down_addr: table main only).
    for (const g of [a, ...(promote ? [] : secondaries)]) {
      if (this.addrs.some((x) => x.local === g.local)) continue;
      this.tables.get(RT_TABLE_MAIN)?.deleteWhere((r) => r.prefsrc === g.local);
    }
    // fib_inetaddr_event(NETDEV_DOWN): the device's last IPv4 address gone, fib_disable_ip(force)
    // flushes every route through it in every table, and arp_ifdown() its neighbours, PERMANENT too.
    if (this.addrsOf(dev).length === 0) {
      for (const t of this.tables.values()) t.deleteWhere((r) => !r.nexthops && r.dev === dev);
      this.neigh.flushDev(dev, true);
    }
    return a;
  }

  /** Whether `ip` is one of this namespace's addresses (a `local` route covers it). */
  isLocalAddress(ip: Ipv4): boolean {
    const r = this.tables.get(RT_TABLE_LOCAL)?.lookup(ip);
    return r !== undefined && r.type === 'local';
  }

  private primaryFor(a: IfAddr): IfAddr {
    if (!a.secondary) return a;
    return this.addrsOf(a.dev).find((p) => !p.secondary && p.prefixLen === a.prefixLen && inPrefix(a.local, p.local, a.prefixLen)) ?? a;
  }

  /**
   * fib_add_ifaddr(): the `local` route comes with the address even on a device that is down
   * (kube-proxy's kube-ipvs0 is never up); the rest only while the device is up.
   */
  private addAddressRoutes(a: IfAddr): void {
    for (const r of addressRoutes(a, this.primaryFor(a))) {
      if (!a.dev.adminUp && r.type !== 'local') continue;
      // fib_magic() goes through fib_create_info(): a route whose source is not (first) a local
      // address in table local is refused (fib_valid_prefsrc), as when the address is another
      // device's subnet broadcast, whose broadcast route was there first.
      if (r.type !== 'local' && r.prefsrc !== undefined && !this.isLocalAddress(r.prefsrc)) continue;
      // fib_magic() appends: the same broadcast address on two devices gives two routes.
      const t = this.table(r.table);
      if (!t.lookupExact(r)) t.insert(r, 'append');
    }
  }

  private removeAddressRoutes(a: IfAddr): void {
    for (const r of addressRoutes(a, this.primaryFor(a))) {
      // A route shared by another address (the same broadcast, say) stays while that address does.
      const stillUsed = this.addrs.some(
        (o) =>
          o !== a &&
          o.dev.adminUp &&
          addressRoutes(o, this.primaryFor(o)).some(
            (x) => x.table === r.table && x.type === r.type && x.dst === r.dst && x.dstLen === r.dstLen && x.dev === r.dev,
          ),
      );
      if (stillUsed) continue;
      this.table(r.table).delete(
        (x) => x.protocol === r.protocol && x.type === r.type && x.dst === r.dst && x.dstLen === r.dstLen && x.dev === r.dev,
      );
    }
  }

  // ---- routes ---------------------------------------------------------------------------

  table(id: number): FibTable {
    if (id === RT_TABLE_MAIN) return this.main;
    let t = this.tables.get(id);
    if (!t) {
      t = new FibTable(id, this.gateways);
      this.tables.set(id, t);
    }
    return t;
  }

  /**
   * A device's state changed (kernel.linkStateChanged): when that moved its carrier while it is
   * up, the multipath routes through it update their own linkdown flag as fib_netdev_event's
   * NETDEV_UP / NETDEV_CHANGE do — fib_sync_up clears it (a path has carrier again),
   * fib_sync_down_dev sets it when every path is now dead or on this carrier-less device.
   */
  carrierChanged(dev: Link): void {
    const now = dev.adminUp && dev.carrier;
    if (now === dev.lowerUpSeen) return;
    dev.lowerUpSeen = now;
    if (!dev.adminUp) return;
    for (const t of this.tables.values()) {
      if (t.multipathCount === 0) continue;
      for (const r of t.dump()) {
        if (!r.nexthops || !r.mpFlags || !routeUsesDev(r, dev)) continue;
        if (now) r.mpFlags.linkdown = false;
        else if (r.nexthops.every((h) => nexthopDead(h) || h.dev === dev)) r.mpFlags.linkdown = true;
      }
    }
  }

  /** fib_sync_down_dev(force): every route whose next hop is the device is removed, a multipath route with one path through it too. */
  flushRoutesVia(link: Link): void {
    for (const t of this.tables.values()) t.deleteWhere((r) => routeUsesDev(r, link));
  }

  /**
   * Checks a new route's next hop as fib_check_nh() does and fills in its device: a gateway
   * must be reachable by a link-scope route (or `onlink` on a given, up device).
   */
  /** inet_addr_type(): what table local makes of `ip` (zeronet and limited broadcast are broadcast, 224/4 multicast). */
  addrType(ip: Ipv4): 'unicast' | 'local' | 'broadcast' | 'multicast' {
    if (ip >>> 24 === 0 || ip === 0xffffffff) return 'broadcast';
    if (ip >>> 28 === 0xe) return 'multicast';
    // __inet_dev_addr_type(): no local table yet (no address, lo down) reads as broadcast.
    const local = this.tables.get(RT_TABLE_LOCAL);
    if (local === undefined) return 'broadcast';
    const r = local.lookup(ip);
    return r?.type === 'local' ? 'local' : r?.type === 'broadcast' ? 'broadcast' : 'unicast';
  }

  /**
   * fib_check_nh_v4_gw() for a route's gateway. `localMissed`: the caller looked the gateway up in
   * table local through the route's device (or any) and found nothing.
   */
  resolveNexthop(route: Route, localMissed = false): Route {
    if (route.type !== 'unicast') return route;
    if (route.gateway === undefined) {
      if (!route.dev) throw new KernelError('EINVAL', 'Device only routes require a device');
      return route;
    }
    if (route.onlink) {
      // fib_check_nh_v4_gw() with RTNH_F_ONLINK: a device that is up, and a gateway that is
      // plain unicast to table local (not one of our addresses, a broadcast or a multicast one).
      if (!route.dev) throw new KernelError('ENODEV', 'Nexthop device required for onlink');
      if (!route.dev.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up');
      if (this.addrType(route.gateway) !== 'unicast') throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
      return route;
    }
    // fib_check_nh_v4_gw(): the gateway must sit behind a route of narrower scope, at least link
    // (a connected subnet, not another gateway), through the given device if any: looked up in
    // the route's own table unless main, and failing that as any lookup is, through the rules
    // (table local first). What it finds must be unicast (or local, handled by the caller).
    const gw = route.gateway;
    const scope = Math.max(route.scope + 1, RT_SCOPE_LINK);
    const dev = route.dev;
    let via = route.table !== RT_TABLE_MAIN ? this.tables.get(route.table)?.lookupGateway(gw, scope, dev) : undefined;
    const inTable = (id: number): Route | undefined => {
      const r = this.tables.get(id)?.lookupGateway(gw, scope, dev);
      return r?.type === 'throw' ? undefined : r;
    };
    if (!via && !this.rules.custom) {
      // The three rules a namespace starts with take every flow: table local (unless the caller
      // found nothing there already, under a looser test), main, default. Each kindnet route (N²
      // in a cluster) comes here: no flow, no walk of the rules.
      via = (localMissed ? undefined : inTable(RT_TABLE_LOCAL)) ?? inTable(RT_TABLE_MAIN) ?? inTable(RT_TABLE_DEFAULT);
    } else if (!via) {
      const res = this.rules.lookup<Route>({ dst: gw, src: 0, iif: this.loopback(), oif: route.dev, mark: 0, tos: 0 }, inTable);
      via = 'errno' in res ? undefined : res;
    }
    if (!via) throw new KernelError('ENETUNREACH', 'Nexthop has invalid gateway');
    if (via.type !== 'unicast' || !via.dev) throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
    if (plainGatewayRoute(route.dev, route.onlink, route.scope, route.table, this.rules.custom)) this.gateways.learn(gw, via, this.tables);
    return routeWithDev(route, route.dev ?? via.dev);
  }
}
