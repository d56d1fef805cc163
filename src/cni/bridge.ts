// The bridge plugin (containernetworking/plugins plugins/main/bridge): a Linux bridge on the node
// (default `cni0`, made with the configured MTU and brought up), a veth pair per container (the
// node end `veth` + 8 hex digits enslaved to the bridge with the configured hairpin flag, the
// container end `ifName`), the IPAM plugin's addresses and routes in the container, and with
// isGateway the range's gateway on the bridge (its MAC then pinned), ip_forward on; with
// isDefaultGateway a default route through it; with ipMasq a CNI-… masquerade chain. The result
// lists the bridge, the node end and the container end (the addresses' interface index 2).
// Everything goes through host/; errors keep the plugin's own words.
import type { NetHandle } from '../host/index.js';
import { formatIpv4, parsePrefix } from '../wire/index.js';
import { setupIpMasq, teardownIpMasq } from './iptables.js';
import { fieldType, goError, isExist, netlinkAddr, randomVethName, sandboxPath, type CniArgs, type PluginContext } from './plugin.js';
import { CNI_ERR, CniError, type CniResult, type PluginConf, type ResultIp, type ResultRoute } from './types.js';

const DEFAULT_BRIDGE = 'cni0';

/** The bridge's NetConf after loadNetConf (defaults applied, types checked). */
interface BridgeConf {
  readonly name: string;
  readonly cniVersion: string;
  readonly bridge: string;
  readonly isGateway: boolean;
  readonly isDefaultGateway: boolean;
  readonly forceAddress: boolean;
  readonly ipMasq: boolean;
  readonly mtu: number;
  readonly hairpinMode: boolean;
  readonly promiscMode: boolean;
  readonly ipamType: string;
  readonly dns?: Readonly<Record<string, unknown>>;
}

/** Options of the real plugin knetlab does not carry out: refused by name rather than ignored. */
const NOT_EMULATED = [
  'vlan',
  'vlanTrunk',
  'preserveDefaultVlan',
  'macspoofchk',
  'enabledad',
  'disableContainerInterface',
  'portIsolation',
] as const;

function loadConf(conf: PluginConf): BridgeConf {
  for (const [f, t] of [
    ['bridge', 'string'],
    ['isGateway', 'bool'],
    ['isDefaultGateway', 'bool'],
    ['forceAddress', 'bool'],
    ['ipMasq', 'bool'],
    ['mtu', 'int'],
    ['hairpinMode', 'bool'],
    ['promiscMode', 'bool'],
    ['vlan', 'int'],
  ] as const)
    fieldType(conf, f, t);
  const vlan = typeof conf.vlan === 'number' ? conf.vlan : 0;
  if (vlan < 0 || vlan > 4094) throw new Error(`invalid VLAN ID ${vlan} (must be between 0 and 4094)`);
  for (const f of NOT_EMULATED) {
    const v = conf[f];
    if (v !== undefined && v !== null && v !== false && v !== 0)
      throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, `bridge option "${f}" is not emulated by knetlab`);
  }
  if (conf.ipMasqBackend !== undefined && conf.ipMasqBackend !== null && conf.ipMasqBackend !== 'iptables') {
    if (conf.ipMasqBackend === 'nftables')
      throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, 'bridge option "ipMasqBackend": "nftables" is not emulated by knetlab');
    throw new Error(`unknown ipmasq backend ${JSON.stringify(conf.ipMasqBackend)}`);
  }
  const ipam = conf.ipam as Readonly<Record<string, unknown>> | undefined;
  return {
    name: String(conf.name ?? ''),
    cniVersion: String(conf.cniVersion ?? ''),
    bridge: typeof conf.bridge === 'string' && conf.bridge !== '' ? conf.bridge : DEFAULT_BRIDGE,
    isGateway: conf.isGateway === true || conf.isDefaultGateway === true, // isDefaultGateway implies isGateway
    isDefaultGateway: conf.isDefaultGateway === true,
    forceAddress: conf.forceAddress === true,
    ipMasq: conf.ipMasq === true,
    mtu: typeof conf.mtu === 'number' ? conf.mtu : 0,
    hairpinMode: conf.hairpinMode === true,
    promiscMode: conf.promiscMode === true,
    ipamType: typeof ipam?.type === 'string' ? ipam.type : '',
    ...(conf.dns && typeof conf.dns === 'object' ? { dns: conf.dns as Record<string, unknown> } : {}),
  };
}

/** ensureBridge: made if missing (EEXIST is fine), must be a bridge, brought up. */
function ensureBridge(root: NetHandle, n: BridgeConf): void {
  const fail = (why: string): never => {
    throw new Error(`failed to create bridge ${JSON.stringify(n.bridge)}: ${why}`);
  };
  try {
    root.linkAdd({ kind: 'bridge', name: n.bridge, ...(n.mtu > 0 ? { mtu: n.mtu } : {}) });
  } catch (e) {
    if (!isExist(e)) fail(`could not add ${JSON.stringify(n.bridge)}: ${goError(e)}`);
  }
  if (n.promiscMode) {
    try {
      root.linkSet(n.bridge, { promisc: true });
    } catch (e) {
      fail(`could not set promiscuous mode on ${JSON.stringify(n.bridge)}: ${goError(e)}`);
    }
  }
  const br = root.linkGet(n.bridge);
  if (!br) fail(`could not lookup ${JSON.stringify(n.bridge)}: Link not found`);
  if (br!.kind !== 'bridge') fail(`${JSON.stringify(n.bridge)} already exists but is not a bridge`);
  root.linkSet(n.bridge, { up: true });
}

/** The network address + 1 of `cidr` (calcGatewayIP). */
function gatewayOf(cidr: string): string {
  const p = parsePrefix(cidr)!;
  const mask = p.len === 0 ? 0 : (~0 << (32 - p.len)) >>> 0;
  return formatIpv4((((p.addr & mask) >>> 0) + 1) >>> 0);
}

function maskedCidr(cidr: string): string {
  const p = parsePrefix(cidr)!;
  const mask = p.len === 0 ? 0 : (~0 << (32 - p.len)) >>> 0;
  return `${formatIpv4((p.addr & mask) >>> 0)}/${p.len}`;
}

/** ipam.ConfigureIface: the addresses, the link up, then each route (through the address's gateway when it names none). */
function configureIface(pod: NetHandle, ifName: string, ips: readonly ResultIp[], routes: readonly ResultRoute[]): void {
  for (const ip of ips) {
    try {
      pod.addrAdd(ifName, ip.address, netlinkAddr(ip.address));
    } catch (e) {
      // upstream prints the IPConfig with %+v (a pointer address among it); the fields are what matter
      throw new Error(
        `failed to add IP addr {Interface:2 Address:${ip.address} Gateway:${ip.gateway ?? '<nil>'}} to ${JSON.stringify(ifName)}: ${goError(e)}`,
      );
    }
  }
  pod.linkSet(ifName, { up: true });
  const v4gw = ips.find((ip) => ip.gateway !== undefined)?.gateway;
  for (const r of routes) {
    const gw = r.gw ?? v4gw;
    try {
      pod.routeAdd({ dst: r.dst === '0.0.0.0/0' ? 'default' : r.dst, ...(gw ? { via: gw } : {}), dev: ifName });
    } catch (e) {
      throw new Error(
        `failed to add route '${r.dst} via ${gw ?? '<nil>'} dev ${ifName} metric 0 (Scope: universe, Table: 0)': ${goError(e)}`,
      );
    }
  }
}

/** ensureAddr: the gateway on the bridge (an IPv4 address already there and different fails unless forceAddress), then its MAC pinned. */
function ensureAddr(root: NetHandle, n: BridgeConf, gw: string): void {
  const have = root.addrList().filter((a) => a.dev === n.bridge);
  let present = false;
  for (const a of have) {
    if (`${a.local}/${a.prefixLen}` === gw) {
      present = true;
      break;
    }
    if (!n.forceAddress)
      throw new Error(`failed to set bridge addr: ${JSON.stringify(n.bridge)} already has an IP address different from ${gw}`);
    try {
      root.addrDel(n.bridge, `${a.local}/${a.prefixLen}`);
    } catch (e) {
      throw new Error(`failed to set bridge addr: could not remove IP address from ${JSON.stringify(n.bridge)}: ${goError(e)}`);
    }
  }
  if (present) return;
  try {
    root.addrAdd(n.bridge, gw, netlinkAddr(gw));
  } catch (e) {
    if (!isExist(e))
      throw new Error(`failed to set bridge addr: could not add IP address ${gw} to ${JSON.stringify(n.bridge)}: ${goError(e)}`);
  }
  // Set the bridge's address to itself: the kernel then stops choosing it from the ports as they come and go.
  root.linkSet(n.bridge, { mac: root.linkGet(n.bridge)!.mac });
}

export function bridgeAdd(ctx: PluginContext, conf: PluginConf, a: CniArgs): CniResult {
  const n = loadConf(conf);
  if (n.hairpinMode && n.promiscMode) throw new Error('cannot set hairpin mode and promiscuous mode at the same time');
  const root = ctx.host.at();
  ensureBridge(root, n);
  if (!ctx.host.netnsList().includes(a.netns))
    throw new Error(
      `failed to open netns ${JSON.stringify(sandboxPath(a.netns))}: failed to Statfs ${JSON.stringify(sandboxPath(a.netns))}: no such file or directory`,
    );
  const pod = ctx.host.at(a.netns);

  // setupVeth: the pair made from inside the container; a clash on the random name tries another.
  if (pod.linkGet(a.ifName)) throw new Error(`container veth name (${JSON.stringify(a.ifName)}) peer provided ("") already exists`);
  let hostVeth = randomVethName(ctx.rng);
  for (let i = 0; root.linkGet(hostVeth) && i < 10; i++) hostVeth = randomVethName(ctx.rng);
  try {
    root.linkAdd({ kind: 'veth', name: hostVeth, peer: a.ifName, peerNetns: a.netns, ...(n.mtu > 0 ? { mtu: n.mtu } : {}) });
  } catch (e) {
    throw new Error(`failed to make veth pair: ${goError(e)}`);
  }
  // netlink's veth request gives the peer the same MTU (`ip link add` would need it in the peer's own section)
  if (n.mtu > 0) pod.linkSet(a.ifName, { mtu: n.mtu });
  root.linkSet(hostVeth, { up: true });
  try {
    root.linkSet(hostVeth, { master: n.bridge });
  } catch (e) {
    throw new Error(`failed to connect ${JSON.stringify(hostVeth)} to bridge ${n.bridge}: ${goError(e)}`);
  }
  try {
    root.bridgeLinkSet(hostVeth, { hairpin: n.hairpinMode });
  } catch (e) {
    throw new Error(`failed to setup hairpin mode for ${hostVeth}: ${goError(e)}`);
  }
  const interfaces = [
    { name: n.bridge, mac: '' },
    { name: hostVeth, mac: '' },
    { name: a.ifName, mac: pod.linkGet(a.ifName)!.mac, sandbox: sandboxPath(a.netns) },
  ];
  let ips: ResultIp[] = [];
  let routes: ResultRoute[] = [];
  let dns: Readonly<Record<string, unknown>> = {};

  if (n.ipamType !== '') {
    const r = ctx.delegate(n.ipamType, 'add', conf, a)!;
    try {
      if (!r.ips?.length) throw new Error('IPAM plugin returned missing IP config');
      routes = [...(r.routes ?? [])];
      dns = r.dns ?? {};
      // calcGateways: every address is the container's; with isGateway the gateway defaults to network+1
      let defaultFound = false;
      ips = r.ips.map((ip) => {
        const gateway = ip.gateway ?? (n.isGateway ? gatewayOf(ip.address) : undefined);
        if (n.isDefaultGateway && !defaultFound) {
          defaultFound = routes.some((rt) => rt.gw !== undefined && rt.dst === '0.0.0.0/0');
          if (!defaultFound) routes.push({ dst: '0.0.0.0/0', ...(gateway ? { gw: gateway } : {}) });
          defaultFound = true;
        }
        return { address: ip.address, ...(gateway ? { gateway } : {}), interface: 2 };
      });
      try {
        pod.sysctlSet(`net.ipv4.conf.${a.ifName}.arp_notify`, '1');
      } catch {
        // the plugin ignores a sysctl it cannot set
      }
      configureIface(pod, a.ifName, ips, routes);
      if (n.isGateway) {
        for (const ip of ips) if (ip.gateway) ensureAddr(root, n, `${ip.gateway}/${ip.address.split('/')[1]}`);
        if (ips.some((ip) => ip.gateway)) {
          try {
            root.sysctlSet('net.ipv4.ip_forward', '1');
          } catch (e) {
            throw new Error(`failed to enable forwarding: ${goError(e)}`);
          }
        }
      }
      if (n.ipMasq)
        setupIpMasq(
          root,
          ips.map((ip) => ip.address),
          n.name,
          a.containerId,
        );
    } catch (e) {
      // the addresses go back to the pool when ADD fails after IPAM
      try {
        ctx.delegate(n.ipamType, 'del', conf, a);
      } catch {
        // as upstream: the release's own failure is not reported
      }
      throw e;
    }
  } else {
    pod.linkSet(a.ifName, { up: true });
  }
  const veth = root.linkGet(hostVeth)!;
  if (veth.operstate !== 'UP') throw new Error(`bridge port in error state: ${veth.operstate.toLowerCase()}`);
  interfaces[1]!.mac = veth.mac;
  interfaces[0]!.mac = root.linkGet(n.bridge)!.mac;
  const dnsSet = n.dns && Object.keys(n.dns).some((k) => ['nameservers', 'search', 'options', 'domain'].includes(k));
  return {
    cniVersion: n.cniVersion,
    interfaces,
    ...(ips.length ? { ips } : {}),
    ...(routes.length ? { routes } : {}),
    dns: dnsSet ? n.dns! : dns,
  };
}

/** DEL: the container end deleted (its addresses noted for the masquerade chain), the addresses released; what is gone already is no error. */
export function bridgeDel(ctx: PluginContext, conf: PluginConf, a: CniArgs): void {
  const n = loadConf(conf);
  const ipamDel = () => {
    if (n.ipamType !== '') ctx.delegate(n.ipamType, 'del', conf, a);
  };
  if (a.netns === '' || !ctx.host.netnsList().includes(a.netns)) return ipamDel();
  const pod = ctx.host.at(a.netns);
  let ipnets: string[] = [];
  if (pod.linkGet(a.ifName)) {
    ipnets = pod
      .addrList()
      .filter((x) => x.dev === a.ifName && x.scope === 'global')
      .map((x) => `${x.local}/${x.prefixLen}`);
    try {
      pod.linkDel(a.ifName);
    } catch (e) {
      throw new Error(`failed to delete ${JSON.stringify(a.ifName)}: ${goError(e)}`);
    }
  }
  ipamDel();
  if (n.ipamType !== '' && n.ipMasq && ipnets.length) teardownIpMasq(ctx.host.at(), ipnets, n.name, a.containerId);
}

/** CHECK: the previous result's bridge, container interface and its veth peer on the bridge, addresses and routes still there. */
export function bridgeCheck(ctx: PluginContext, conf: PluginConf, a: CniArgs): void {
  const n = loadConf(conf);
  if (n.ipamType !== '') ctx.delegate(n.ipamType, 'check', conf, a);
  const prev = conf.prevResult as CniResult | undefined;
  if (!prev) throw new Error('Required prevResult missing');
  const root = ctx.host.at();
  const br = prev.interfaces?.find((i) => i.name === n.bridge);
  const cont = prev.interfaces?.find((i) => i.name === a.ifName && i.sandbox === sandboxPath(a.netns));
  const brLink = br ? root.linkGet(br.name) : undefined;
  if (br && !brLink) throw new Error(`Interface name ${br.name} not found`);
  if (brLink && brLink.kind !== 'bridge') throw new Error(`Interface ${br!.name} does not have link type of bridge`);
  if (br?.mac && brLink && br.mac !== brLink.mac) throw new Error(`Bridge interface ${br.name} Mac doesn't match: ${br.mac}`);
  const promisc = brLink?.flags.includes('PROMISC') ?? false;
  if (brLink && promisc !== n.promiscMode)
    throw new Error(`Bridge interface ${br!.name} configured Promisc Mode ${n.promiscMode} doesn't match current state: ${promisc} `);
  if (cont?.sandbox !== sandboxPath(a.netns))
    throw new Error(`Sandbox in prevResult ${cont?.sandbox ?? ''} doesn't match configured netns: ${sandboxPath(a.netns)}`);
  const pod = ctx.host.at(a.netns);
  const contLink = pod.linkGet(cont.name);
  if (!contLink) throw new Error(`Interface name ${cont.name} not found`);
  if (contLink.kind !== 'veth') throw new Error(`Error: Container interface ${cont.name} not of type veth`);
  if (cont.mac && cont.mac !== contLink.mac)
    throw new Error(`Interface ${cont.name} Mac ${cont.mac} doesn't match container Mac: ${contLink.mac}`);
  if (!brLink) throw new Error(`CNI created bridge ${n.bridge} in host namespace was not found`);
  const veth = root
    .linkList()
    .find(
      (l) =>
        l.kind === 'veth' && l.master === n.bridge && l.linkIndex === contLink.ifindex && prev.interfaces?.some((i) => i.name === l.name),
    );
  if (!veth) throw new Error(`CNI veth created for bridge ${n.bridge} was not found`);
  const addrs = pod
    .addrList()
    .filter((x) => x.dev === a.ifName)
    .map((x) => `${x.local}/${x.prefixLen}`);
  for (const ip of prev.ips ?? [])
    if (!addrs.includes(ip.address)) throw new Error(`Failed to match addr ${ip.address} on interface ${a.ifName}`);
  const have = pod.routeList();
  for (const r of prev.routes ?? []) {
    const dst = r.dst === '0.0.0.0/0' ? 'default' : maskedCidr(r.dst);
    if (!have.some((x) => x.dst === dst && (r.gw === undefined || x.via === r.gw)))
      throw new Error(`Failed to match route: {Dst:${r.dst} GW:${r.gw ?? '<nil>'}}`);
  }
}
