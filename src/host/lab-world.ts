// A world of many hosts inside ONE lab host: each host is a namespace of the lab (its root
// namespace is the namespace named after it; its own namespaces are `HOST.NAME`), and networks
// are bridges in the lab's root namespace. This is the linux backend's world (one real lab,
// one namespace per node, joined by a real bridge); on a SimHost it builds the same state, so a
// scenario can be checked against the real kernel. Each host is seen through NodeView, a
// HostNetwork like any other, so components run on it unchanged.
import { hashString } from '../sim/index.js';
import { formatIpv4, parseIpv4, parsePrefix, type Ipv4 } from '../wire/index.js';
import {
  HostError,
  type HostNetwork,
  type LinkChange,
  type LinkSpec,
  type ListenSpec,
  type NetHandle,
  type ProcessHandle,
} from './network.js';
import type { Attachment, BridgeNetworkSpec } from './world.js';

/** One host of a LabWorld: its namespaces are the lab's namespaces under its name. */
export class NodeView implements HostNetwork {
  readonly backend: 'sim' | 'linux';

  constructor(
    private readonly lab: HostNetwork,
    readonly name: string,
  ) {
    this.backend = lab.backend;
  }

  private nsName(netns: string | undefined): string {
    return netns === undefined ? this.name : `${this.name}.${netns}`;
  }

  netnsAdd(name: string): void {
    this.lab.netnsAdd(this.nsName(name));
  }

  netnsDel(name: string): void {
    this.lab.netnsDel(this.nsName(name));
  }

  netnsList(): string[] {
    const prefix = `${this.name}.`;
    return this.lab
      .netnsList()
      .filter((n) => n.startsWith(prefix))
      .map((n) => n.slice(prefix.length));
  }

  at(netns?: string): NetHandle {
    const inner = this.lab.at(this.nsName(netns));
    const mapNs = (n: string | undefined) => (n === undefined ? undefined : this.nsName(n));
    // Namespace names in requests are this host's; the lab knows them by their full names.
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        if (prop === 'netns') return netns;
        if (prop === 'linkAdd')
          return (spec: LinkSpec) =>
            target.linkAdd(spec.kind === 'veth' && spec.peerNetns !== undefined ? { ...spec, peerNetns: mapNs(spec.peerNetns) } : spec);
        if (prop === 'linkSet')
          return (name: string, c: LinkChange) => target.linkSet(name, c.netns !== undefined ? { ...c, netns: mapNs(c.netns) } : c);
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  sandboxAdd(name: string, opts: { readonly hostname: string }): void {
    this.lab.sandboxAdd(this.nsName(name), opts);
  }

  sandboxDel(name: string): void {
    this.lab.sandboxDel(this.nsName(name));
  }

  processStart(sandbox: string, argv: readonly string[]): ProcessHandle {
    return this.lab.processStart(this.nsName(sandbox), argv);
  }

  listen(sandbox: string | undefined, spec: ListenSpec): ProcessHandle {
    return this.lab.listen(this.nsName(sandbox), spec);
  }

  /** The lab is closed by its world, not by one of its hosts. */
  close(): void {}
}

export class LabWorld {
  private readonly hosts = new Map<string, NodeView>();
  private readonly networks = new Map<
    string,
    { subnet: { addr: Ipv4; len: number }; gateway: Ipv4; bridge: string; attached: Map<string, Ipv4> }
  >();

  /** `lab`: the one host (a LinuxHost, or a SimHost) that holds every namespace. */
  constructor(readonly lab: HostNetwork) {}

  host(name: string): NodeView {
    let h = this.hosts.get(name);
    if (!h) {
      if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(name))
        throw new HostError(`Cannot make host "${name}": a host name here is 1-31 lowercase letters, digits or '-'`, `host ${name}`, 0);
      this.lab.netnsAdd(name);
      this.lab.at(name).linkSet('lo', { up: true });
      h = new NodeView(this.lab, name);
      this.hosts.set(name, h);
    }
    return h;
  }

  /** A bridge network: a bridge in the lab's root namespace with the gateway address, as Docker makes one. */
  network(name: string, spec: BridgeNetworkSpec): void {
    const subnet = parsePrefix(spec.subnet);
    const gateway = parseIpv4(spec.gateway);
    if (!subnet || gateway === undefined)
      throw new HostError(
        `Cannot create network "${name}": subnet "${spec.subnet}" and gateway "${spec.gateway}" must be IPv4`,
        `network create ${name}`,
        0,
      );
    const bridge = `br-${(hashString(name) >>> 0).toString(16).padStart(8, '0')}${(hashString(`${name}/id`) >>> 16).toString(16).padStart(4, '0')}`;
    const root = this.lab.at();
    root.linkAdd({ kind: 'bridge', name: bridge, mac: '02:42:00:00:00:01' });
    root.linkSet(bridge, { up: true });
    root.addrAdd(bridge, `${spec.gateway}/${subnet.len}`);
    this.networks.set(name, { subnet, gateway, bridge, attached: new Map() });
  }

  /** Attaches host NAME to the network: eth0 with the next free address, Docker's MAC, a default route via the gateway. */
  connect(hostName: string, networkName: string): Attachment {
    const net = this.networks.get(networkName);
    if (!net)
      throw new HostError(
        `Cannot connect "${hostName}" to network "${networkName}": no such network`,
        `network connect ${networkName} ${hostName}`,
        0,
      );
    this.host(hostName);
    const used = new Set([net.gateway, ...net.attached.values()]);
    let ip = net.subnet.addr + 1;
    while (used.has(ip >>> 0)) ip++;
    ip >>>= 0;
    const mac = `02:42:${[24, 16, 8, 0].map((s) => ((ip >>> s) & 255).toString(16).padStart(2, '0')).join(':')}`;
    const root = this.lab.at();
    const veth = `veth${(hashString(`${hostName}/${networkName}`) >>> 0).toString(16).slice(0, 7).padStart(7, '0')}`;
    root.linkAdd({ kind: 'veth', name: veth, peer: 'eth0', peerNetns: hostName });
    root.linkSet(veth, { master: net.bridge, up: true });
    const node = this.lab.at(hostName);
    node.linkSet('eth0', { mac, up: true });
    node.addrAdd('eth0', `${formatIpv4(ip)}/${net.subnet.len}`);
    node.routeAdd({ dst: 'default', via: formatIpv4(net.gateway) });
    net.attached.set(hostName, ip);
    return { dev: 'eth0', ip: formatIpv4(ip), prefixLen: net.subnet.len, gateway: formatIpv4(net.gateway) };
  }

  close(): void {
    this.lab.close();
  }
}
