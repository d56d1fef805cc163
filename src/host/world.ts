// A world of many hosts on the sim backend: each host (a kind node, a plain host such as the
// seeds' `mypc`, a router) is a SimHost with its own kernel; all share ONE virtual clock and
// event queue, and frames cross between kernels on veth pairs. Networks join them as Docker
// joins containers: a bridge network is a Linux bridge on the machine that runs the containers
// (with the gateway address on it), and each attached host gets `eth0` with the next free address
// of the subnet and Docker's MAC for it (02:42 and the four address bytes). A point-to-point link
// is one veth pair between two hosts.
import { delLink, linkAdd, linkSetMaster, linkSetUp, newAddr, newRoute, type Netns } from '../kernel/index.js';
import { EventQueue, hashString } from '../sim/index.js';
import { formatIpv4, parseIpv4, parsePrefix, type Ipv4 } from '../wire/index.js';
import { HostError } from './network.js';
import { SimHost } from './sim.js';

/** A Docker-style bridge network: `docker network create --subnet S --gateway G NAME`. */
export interface BridgeNetworkSpec {
  readonly subnet: string;
  readonly gateway: string;
}

export interface BridgeNetwork {
  readonly name: string;
  /** The bridge on the machine (`br-` and 12 hex digits of the network id, as Docker names it). */
  readonly bridge: string;
  readonly subnet: { readonly addr: Ipv4; readonly len: number };
  readonly gateway: Ipv4;
  /** Addresses handed out, by host name. */
  readonly attached: Map<string, Ipv4>;
}

/** An attachment: the device in the host and its address. */
export interface Attachment {
  readonly dev: string;
  readonly ip: string;
  readonly prefixLen: number;
  readonly gateway: string;
}

export class SimWorld {
  /** The one clock and event queue every host's kernel schedules on. */
  readonly clock: EventQueue;
  /** The machine that runs the containers: it holds the networks' bridges (dockerd's host). */
  readonly machine: SimHost;
  private readonly hosts = new Map<string, SimHost>();
  private readonly networks = new Map<string, BridgeNetwork>();
  /** The machine-side veth of each attachment, by host (what `docker rm` takes away). */
  private readonly ports = new Map<string, { readonly network: string; readonly veth: string }[]>();
  private vethSeq = 0;
  private readonly capture: boolean | undefined;

  constructor(opts: { readonly clock?: EventQueue; readonly capture?: boolean } = {}) {
    this.clock = opts.clock ?? new EventQueue();
    this.machine = new SimHost({ host: 'machine', seed: 'machine', clock: this.clock, capture: opts.capture });
    this.capture = opts.capture;
  }

  /** Host NAME, made on first use (its own kernel, seeded by its name, on the world's clock). */
  host(name: string): SimHost {
    let h = this.hosts.get(name);
    if (!h) {
      if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(name))
        throw new HostError(`Cannot make host "${name}": a host name is 1-63 lowercase letters, digits, '.' or '-'`, `host ${name}`, 0);
      h = new SimHost({ host: name, seed: name, clock: this.clock, capture: this.capture });
      this.hosts.set(name, h);
    }
    return h;
  }

  hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  hasHost(name: string): boolean {
    return this.hosts.has(name);
  }

  /**
   * `docker rm -f HOST`: its attachments go (the machine-side veths, and with them the host's
   * ends; the addresses are free again) and so does its kernel; a later host(NAME) starts afresh.
   */
  removeHost(name: string): void {
    const h = this.hosts.get(name);
    if (!h) return;
    const onMachine = rootOf(this.machine);
    for (const port of this.ports.get(name) ?? []) {
      const veth = onMachine.linkByName(port.veth);
      if (veth) delLink(veth);
      this.networks.get(port.network)?.attached.delete(name);
    }
    this.ports.delete(name);
    h.close();
    this.hosts.delete(name);
  }

  /** The bridge network NAME, if it was made. */
  getNetwork(name: string): BridgeNetwork | undefined {
    return this.networks.get(name);
  }

  /** `docker network create --subnet SUBNET --gateway GATEWAY NAME`: a bridge on the machine, up, with the gateway address. */
  network(name: string, spec: BridgeNetworkSpec): BridgeNetwork {
    if (this.networks.has(name)) throw new HostError(`Cannot create network "${name}": it exists`, `network create ${name}`, 0);
    const subnet = parsePrefix(spec.subnet);
    const gateway = parseIpv4(spec.gateway);
    if (!subnet || subnet.len > 30)
      throw new HostError(
        `Cannot create network "${name}": subnet "${spec.subnet}" is not an IPv4 prefix of /30 or shorter`,
        `network create ${name}`,
        0,
      );
    if (gateway === undefined || !inSubnet(gateway, subnet))
      throw new HostError(
        `Cannot create network "${name}": gateway "${spec.gateway}" is not an address of ${spec.subnet}`,
        `network create ${name}`,
        0,
      );
    const bridge = `br-${(hashString(name) >>> 0).toString(16).padStart(8, '0')}${(hashString(`${name}/id`) >>> 16).toString(16).padStart(4, '0')}`;
    const root = this.machine.at();
    root.linkAdd({ kind: 'bridge', name: bridge, mac: '02:42:00:00:00:01' });
    root.linkSet(bridge, { up: true });
    root.addrAdd(bridge, `${spec.gateway}/${subnet.len}`);
    const net: BridgeNetwork = { name, bridge, subnet, gateway, attached: new Map() };
    this.networks.set(name, net);
    return net;
  }

  /**
   * `docker network connect NET HOST` (or `docker run --network NET`): a veth from the network's
   * bridge to the host's `dev` (eth0 by default), the next free address (or `ip`), Docker's MAC,
   * and a default route through the gateway when the host has none.
   */
  connect(hostName: string, networkName: string, opts: { readonly ip?: string; readonly dev?: string } = {}): Attachment {
    const net = this.networks.get(networkName);
    if (!net)
      throw new HostError(
        `Cannot connect "${hostName}" to network "${networkName}": no such network`,
        `network connect ${networkName} ${hostName}`,
        0,
      );
    if (net.attached.has(hostName))
      throw new HostError(
        `Cannot connect "${hostName}" to network "${networkName}": it is connected already`,
        `network connect ${networkName} ${hostName}`,
        0,
      );
    const ip = opts.ip !== undefined ? parseIpv4(opts.ip) : this.nextFree(net);
    if (ip === undefined || !inSubnet(ip, net.subnet) || ip === net.gateway || [...net.attached.values()].includes(ip)) {
      throw new HostError(
        `Cannot connect "${hostName}" to network "${networkName}": address "${opts.ip}" is not a free address of the network`,
        `network connect ${networkName} ${hostName}`,
        0,
      );
    }
    const dev = opts.dev ?? 'eth0';
    const host = this.host(hostName);
    const inHost = rootOf(host);
    const onMachine = rootOf(this.machine);
    const mac = `02:42:${[24, 16, 8, 0].map((s) => ((ip >>> s) & 255).toString(16).padStart(2, '0')).join(':')}`;
    const vethName = `veth${(hashString(`${hostName}/${networkName}/${this.vethSeq++}`) >>> 0).toString(16).slice(0, 7).padStart(7, '0')}`;
    const veth = linkAdd(onMachine, vethName, { kind: 'veth', peerName: dev, peerNetns: inHost, peerMac: mac });
    linkSetMaster(veth, onMachine.linkByName(net.bridge));
    linkSetUp(veth);
    const eth = inHost.linkByName(dev)!;
    linkSetUp(eth);
    newAddr(inHost, { dev: eth, local: ip, prefixLen: net.subnet.len }, false);
    if (!inHost.table(254).routesOf(0, 0).length)
      newRoute(inHost, { dst: 0, dstLen: 0, gateway: net.gateway, dev: eth }, { create: true, excl: true });
    net.attached.set(hostName, ip);
    this.ports.set(hostName, [...(this.ports.get(hostName) ?? []), { network: networkName, veth: vethName }]);
    return { dev, ip: formatIpv4(ip), prefixLen: net.subnet.len, gateway: formatIpv4(net.gateway) };
  }

  /** A point-to-point link: one veth pair, `devA` in host A and `devB` in host B, both up. */
  link(hostA: string, devA: string, hostB: string, devB: string): void {
    const a = rootOf(this.host(hostA));
    const b = rootOf(this.host(hostB));
    const end = linkAdd(a, devA, { kind: 'veth', peerName: devB, peerNetns: b });
    linkSetUp(end);
    linkSetUp(b.linkByName(devB)!);
  }

  /** Runs virtual time forward by `ms` (traffic, timers), for every host at once. */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  private nextFree(net: BridgeNetwork): Ipv4 {
    const used = new Set([net.gateway, ...net.attached.values()]);
    const first = net.subnet.addr + 1;
    const last = net.subnet.addr + 2 ** (32 - net.subnet.len) - 2;
    for (let ip = first; ip <= last; ip++) if (!used.has(ip >>> 0)) return ip >>> 0;
    throw new HostError(
      `Cannot connect to network "${net.name}": no free address left in ${formatIpv4(net.subnet.addr)}/${net.subnet.len}`,
      `network connect ${net.name}`,
      0,
    );
  }
}

function inSubnet(ip: Ipv4, p: { readonly addr: Ipv4; readonly len: number }): boolean {
  return p.len === 0 || ip >>> (32 - p.len) === p.addr >>> (32 - p.len);
}

function rootOf(h: SimHost): Netns {
  return h.session.host.root;
}
