// flanneld's backends as they program a node (flannel pkg/backend/vxlan/{device,vxlan,vxlan_network}.go,
// pkg/backend/hostgw/hostgw.go with pkg/backend/route_network.go, pkg/ip/iface.go):
// vxlan makes flannel.<VNI> on the external interface and, per remote lease, a PERMANENT neighbour
// (the remote subnet's network address → the remote VtepMAC), an FDB entry (VtepMAC → remote public
// IP, `self permanent`) and the route `<subnet> via <subnet address> dev flannel.1 onlink`, removed
// in the same order; host-gw routes each remote subnet via the remote public IP on the external
// interface (and so does vxlan with DirectRouting for a peer on the same link). Every step reads the node first so that a restart or a resync runs them again harmlessly.
import { HostError, type LinkRecord, type NetHandle, type TunHandle, type UdpHandle } from '../host/index.js';
import { emitIpv4, formatIpv4, parseIpv4, type Ipv4Packet, type Prefix } from '../wire/index.js';
import { contains, formatCidr, type BackendConfig } from './flannel-config.js';

/** The interface flannel sends on (main.go LookupExtIface without --iface: the default route's, first IPv4). */
export interface ExtIface {
  readonly name: string;
  readonly ip: string;
  readonly mtu: number;
}

/** Another node's lease, as the kube subnet manager turns its Node into one. */
export interface PeerLease {
  readonly node: string;
  readonly subnet: Prefix;
  readonly publicIp: string;
  readonly backendType: string;
  /** backend-data, parsed; for vxlan `{VNI, VtepMAC}`. */
  readonly backendData: unknown;
}

/** encapOverhead of the vxlan backend: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
export const VXLAN_OVERHEAD = 50;

/** What flanneld does to a node for its backend. */
export interface Backend {
  readonly type: string;
  /** MTU for subnet.env (network.MTU()). */
  readonly mtu: number;
  /** The lease attributes this node publishes: backend-data as flannel marshals it (`null` for host-gw). */
  readonly backendData: string;
  /** After the lease: the device's address and state (vxlan), nothing for host-gw. */
  configure(lease: Prefix, network: Prefix): void;
  addPeer(peer: PeerLease): void;
  removePeer(peer: PeerLease): void;
  /** Whether the node still has what the backend made (flannel.1 for vxlan). */
  healthy(): boolean;
  /** host-gw's routeCheck (every 10 s): the peers' routes that went missing, added again; returns what it recovered. */
  recoverRoutes?(peers: Iterable<PeerLease>): string[];
}

/** vxlanLinksIncompat(): what makes an existing flannel.N unusable (then it is deleted and made again). */
function incompatible(l: LinkRecord, want: { vni: number; local: string; dev: string; port: number; learning: boolean }): string {
  if (l.kind !== 'vxlan' || !l.vxlan) return 'link type';
  if (l.vxlan.vni !== want.vni) return `vni (${l.vxlan.vni} vs ${want.vni})`;
  if (l.vxlan.local !== want.local) return `vtep (external) IP (${l.vxlan.local} vs ${want.local})`;
  if (l.vxlan.dev !== want.dev) return `vtep (external) interface (${l.vxlan.dev} vs ${want.dev})`;
  if (l.vxlan.port !== want.port) return `port (${l.vxlan.port} vs ${want.port})`;
  if (l.vxlan.learning !== want.learning) return `learning (${l.vxlan.learning} vs ${want.learning})`;
  return '';
}

export class VxlanBackend implements Backend {
  readonly type = 'vxlan';
  readonly name: string;
  readonly mtu: number;
  readonly mac: string;

  /** newVXLANDevice(): `mac` is the one read back from the node's backend-data, else a new random one. */
  constructor(
    private readonly root: NetHandle,
    private readonly ext: ExtIface,
    private readonly cfg: BackendConfig,
    mac: string,
    private readonly log: (line: string) => void,
  ) {
    this.name = `flannel.${cfg.vni}`;
    const baseMtu = cfg.mtu || ext.mtu;
    this.mtu = baseMtu - VXLAN_OVERHEAD;
    this.mac = this.ensureLink(mac);
  }

  get backendData(): string {
    return `{"VNI":${this.cfg.vni},"VtepMAC":"${this.mac}"}`;
  }

  private ensureLink(mac: string): string {
    const want = { vni: this.cfg.vni, local: this.ext.ip, dev: this.ext.name, port: this.cfg.port || 8472, learning: this.cfg.learning };
    const existing = this.root.linkGet(this.name);
    if (existing) {
      const why = incompatible(existing, want);
      if (why === '') return existing.mac; // "Returning existing device"
      this.log(`"${this.name}" already exists with incompatible configuration: ${why}; recreating device`);
      this.root.linkDel(this.name);
    }
    this.root.linkAdd({
      name: this.name,
      kind: 'vxlan',
      mtu: this.mtu,
      mac,
      vni: want.vni,
      local: want.local,
      dev: want.dev,
      learning: want.learning,
      ...(this.cfg.port ? { dstPort: this.cfg.port } : {}),
    });
    // accept_ra=0 on the device is an IPv6 sysctl; the emulated kernel is IPv4-only.
    return mac;
  }

  /** Configure(): the lease's network address as /32 (no broadcast routes), other addresses in the network removed, link up. */
  configure(lease: Prefix, network: Prefix): void {
    const want = `${formatIpv4(lease.addr)}/32`;
    let have = false;
    for (const a of this.root.addrList().filter((x) => x.dev === this.name)) {
      const cidr = `${a.local}/${a.prefixLen}`;
      if (cidr === want) have = true;
      else if (contains(network, { addr: parseIpv4(a.local)!, len: 32 })) this.root.addrDel(this.name, cidr);
    }
    if (!have) this.root.addrAdd(this.name, want);
    this.root.linkSet(this.name, { up: true });
  }

  private vtepMac(peer: PeerLease): string | undefined {
    const d = peer.backendData as { VtepMAC?: unknown } | null;
    return d && typeof d.VtepMAC === 'string' ? d.VtepMAC.toLowerCase() : undefined;
  }

  /** ip.DirectRouting(): with DirectRouting, a peer the kernel reaches without a gateway gets a plain route. */
  private direct(peer: PeerLease): boolean {
    if (!this.cfg.directRouting) return false;
    try {
      return this.root.routeGet(peer.publicIp).via === undefined;
    } catch {
      return false; // "couldn't lookup route to …": not direct
    }
  }

  addPeer(peer: PeerLease): void {
    if (this.direct(peer)) {
      this.root.routeReplace({ dst: formatCidr(peer.subnet), via: peer.publicIp });
      return;
    }
    const mac = this.vtepMac(peer);
    if (!mac) {
      this.log(`error decoding subnet lease JSON: no VtepMAC in the backend-data of node ${peer.node}`);
      return;
    }
    const gw = formatIpv4(peer.subnet.addr);
    // AddARP: NeighSet of a PERMANENT entry
    this.root.neighReplace({ dst: gw, dev: this.name, lladdr: mac, state: 'permanent' });
    // AddFDB: NeighSet in AF_BRIDGE with NTF_SELF, i.e. one remote per MAC, replaced
    const fdb = this.root.fdbList(this.name).filter((f) => f.mac === mac && f.self);
    if (!fdb.some((f) => f.dst === peer.publicIp)) {
      for (const f of fdb) this.root.fdbDel({ mac, dev: this.name, ...(f.dst ? { dst: f.dst } : {}) });
      this.root.fdbAppend({ mac, dev: this.name, dst: peer.publicIp });
    }
    this.root.routeReplace({ dst: formatCidr(peer.subnet), via: gw, dev: this.name, onlink: true });
  }

  removePeer(peer: PeerLease): void {
    if (this.direct(peer)) {
      const dst = formatCidr(peer.subnet);
      if (this.root.routeList().some((r) => r.dst === dst && r.via === peer.publicIp)) this.root.routeDel({ dst, via: peer.publicIp });
      return;
    }
    const mac = this.vtepMac(peer);
    const gw = formatIpv4(peer.subnet.addr);
    if (this.root.neighList().some((n) => n.dev === this.name && n.dst === gw)) this.root.neighDel(gw, this.name);
    if (mac && this.root.fdbList(this.name).some((f) => f.mac === mac && f.dst === peer.publicIp))
      this.root.fdbDel({ mac, dev: this.name, dst: peer.publicIp });
    const dst = formatCidr(peer.subnet);
    if (this.root.routeList().some((r) => r.dst === dst && r.dev === this.name))
      this.root.routeDel({ dst, via: gw, dev: this.name, onlink: true });
  }

  healthy(): boolean {
    return this.root.linkGet(this.name) !== undefined;
  }
}

export class HostGwBackend implements Backend {
  readonly type = 'host-gw';
  readonly backendData = 'null';
  readonly mtu: number;

  constructor(
    private readonly root: NetHandle,
    private readonly ext: ExtIface,
  ) {
    this.mtu = ext.mtu;
  }

  configure(): void {}

  /** route_network.go: an existing route to the subnet through another gateway or link is deleted first. */
  addPeer(peer: PeerLease): void {
    const dst = formatCidr(peer.subnet);
    for (const r of this.root.routeList().filter((x) => x.dst === dst && (x.via !== peer.publicIp || x.dev !== this.ext.name))) {
      this.root.routeDel({ dst, ...(r.via ? { via: r.via } : {}), ...(r.dev ? { dev: r.dev } : {}) });
    }
    if (!this.root.routeList().some((r) => r.dst === dst)) this.root.routeAdd({ dst, via: peer.publicIp, dev: this.ext.name });
  }

  removePeer(peer: PeerLease): void {
    const dst = formatCidr(peer.subnet);
    if (this.root.routeList().some((r) => r.dst === dst && r.via === peer.publicIp))
      this.root.routeDel({ dst, via: peer.publicIp, dev: this.ext.name });
  }

  recoverRoutes(peers: Iterable<PeerLease>): string[] {
    const have = this.root.routeList();
    const out: string[] = [];
    for (const p of peers) {
      const dst = formatCidr(p.subnet);
      if (have.some((r) => r.dst === dst && r.via === p.publicIp && r.dev === this.ext.name)) continue;
      this.root.routeAdd({ dst, via: p.publicIp, dev: this.ext.name });
      out.push(`${dst} : ${p.publicIp}`);
    }
    return out;
  }

  healthy(): boolean {
    return true;
  }
}

/** encapOverhead of the udp backend: the outer IPv4 20 + UDP 8 (udp_network_amd64.go). */
export const UDP_OVERHEAD = 28;
/** The udp backend's default Port. */
export const UDP_DEFAULT_PORT = 8285;

/**
 * The udp backend (pkg/backend/udp, amd64 builds): flanneld opens the TUN device flannel0 with the
 * lease's network address /32, MTU = the external interface's − 28, and the route of the whole
 * flannel network through it (`10.244.0.0/16 dev flannel0`, scope universe); its proxy
 * (proxy_amd64.c) reads each packet the node routes there, finds the peer whose subnet holds the
 * destination, decrements the TTL and sends the packet as the payload of a UDP datagram from
 * ext-IP:Port to peer-public-IP:Port; a datagram received on Port is decremented again and
 * written to flannel0. No peer for a destination: an ICMP net unreachable is written back.
 * The lease has no backend type (the udp backend sets none: backend-type "") and no backend data.
 */
export class UdpBackend implements Backend {
  readonly type = '';
  readonly backendData = 'null';
  readonly mtu: number;
  private tun: TunHandle | undefined;
  private sock: UdpHandle | undefined;
  /** set_route()/del_route(): the peers' subnets and where to send for them. */
  private readonly routes = new Map<string, { readonly subnet: Prefix; readonly publicIp: string }>();
  private tunAddr = 0;

  constructor(
    private readonly root: NetHandle,
    private readonly ext: ExtIface,
    private readonly port: number,
    private readonly log: (line: string) => void,
  ) {
    this.mtu = ext.mtu - UDP_OVERHEAD;
  }

  /** initTun() and configureIface(), then the socket on ext-IP:Port. */
  configure(lease: Prefix, network: Prefix): void {
    const tun = this.root.tunOpen('flannel%d', (p) => this.tunToUdp(p));
    this.tun = tun;
    this.tunAddr = lease.addr;
    this.root.addrAdd(tun.name, `${formatIpv4(lease.addr)}/32`);
    this.root.linkSet(tun.name, { mtu: this.mtu });
    this.root.linkSet(tun.name, { up: true });
    try {
      this.root.routeAdd({ dst: formatCidr(network), dev: tun.name, scope: 'global' });
    } catch (e) {
      if (!(e instanceof HostError) || e.errno !== 'EEXIST') throw e;
    }
    this.sock = this.root.udpBind(this.ext.ip, this.port, (_from, _port, data) => this.udpToTun(data));
  }

  addPeer(peer: PeerLease): void {
    this.log(`Subnet added: ${formatCidr(peer.subnet)}`);
    this.routes.set(formatCidr(peer.subnet), { subnet: peer.subnet, publicIp: peer.publicIp });
  }

  removePeer(peer: PeerLease): void {
    this.log(`Subnet removed: ${formatCidr(peer.subnet)}`);
    this.routes.delete(formatCidr(peer.subnet));
  }

  healthy(): boolean {
    return true;
  }

  /** Stops the proxy: the socket closes and flannel0 (not persistent) goes with its file. */
  close(): void {
    this.sock?.close();
    this.tun?.close();
    this.sock = undefined;
    this.tun = undefined;
  }

  private tunToUdp(p: Uint8Array): void {
    const dst = ((p[16]! << 24) | (p[17]! << 16) | (p[18]! << 8) | p[19]!) >>> 0;
    const next = [...this.routes.values()].find((r) => contains(r.subnet, { addr: dst, len: 32 }));
    if (!next) {
      this.netUnreachable(p);
      return;
    }
    if (!decrementTtl(p)) return;
    this.sock?.sendTo(next.publicIp, this.port, p);
  }

  private udpToTun(p: Uint8Array): void {
    if (p.length < 20 || !decrementTtl(p)) return;
    this.tun?.write(p);
  }

  /** send_net_unreachable(): not about an ICMP packet or a later fragment; TTL 8, from the tun address. */
  private netUnreachable(off: Uint8Array): void {
    const ihl = (off[0]! & 0x0f) * 4;
    if (off[9] === 1 || (((off[6]! << 8) | off[7]!) & 0x1fff) !== 0) return;
    const src = ((off[12]! << 24) | (off[13]! << 16) | (off[14]! << 8) | off[15]!) >>> 0;
    const reply: Ipv4Packet = {
      kind: 'ipv4',
      tos: 0,
      id: 0,
      df: false,
      mf: false,
      fragOffset: 0,
      ttl: 8,
      protocol: 1,
      src: this.tunAddr,
      dst: src,
      options: new Uint8Array(0),
      payload: { kind: 'icmp', type: 3, code: 0, rest: 0, data: off.slice(0, ihl + 8) },
    };
    this.tun?.write(emitIpv4(reply));
  }
}

/** decrement_ttl(): false (drop) when it reaches 0; the header checksum patched as RFC 1624. */
function decrementTtl(p: Uint8Array): boolean {
  if (--p[8]! === 0) return false;
  const ihl = (p[0]! & 0x0f) * 4;
  p[10] = 0;
  p[11] = 0;
  let sum = 0;
  for (let i = 0; i < ihl; i += 2) sum += (p[i]! << 8) | p[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  p[10] = c >>> 8;
  p[11] = c & 0xff;
  return true;
}
