// The ptp plugin (containernetworking/plugins plugins/main/ptp): a veth pair per container, the
// container end `ifName` with the IPAM address and routes through the gateway (the kernel's subnet
// route replaced by `<gw> scope link` and `<subnet> via <gw>`), the host end `veth` + 8 hex digits
// carrying the gateway as a /32 and a host route to the container. Configured through host/ only.
import type { HostNetwork } from '../host/index.js';
import { parsePrefix, formatIpv4 } from '../wire/index.js';
import type { CniResult, PluginConf } from './types.js';
import { CNI_ERR, CniError } from './types.js';
import type { HostLocal, HostLocalConf } from './host-local.js';
import { netlinkAddr } from './plugin.js';

export interface PtpArgs {
  readonly containerId: string;
  /** The sandbox's network namespace on the node. */
  readonly netns: string;
  readonly ifName: string;
  readonly network: string;
  readonly cniVersion: string;
}

export function ptpAdd(host: HostNetwork, ipam: HostLocal, conf: PluginConf, a: PtpArgs, hostVeth: string): CniResult {
  const ipamConf = conf.ipam as HostLocalConf | undefined;
  if (ipamConf?.type !== 'host-local')
    throw new CniError(CNI_ERR.INVALID_CONFIG, `failed to find plugin "${String(ipamConf?.type ?? '')}" in path [/opt/cni/bin]`);
  const { ips, routes } = ipam.allocate(ipamConf, a.network, a.containerId, a.ifName);
  const mtu = typeof conf.mtu === 'number' ? conf.mtu : undefined;
  const root = host.at();
  const pod = host.at(a.netns);
  root.linkAdd({ kind: 'veth', name: hostVeth, peer: a.ifName, peerNetns: a.netns, ...(mtu ? { mtu } : {}) });
  // netlink's veth request gives the peer the same MTU (`ip link add` would need it in the peer's own section)
  if (mtu) pod.linkSet(a.ifName, { mtu });
  root.linkSet(hostVeth, { up: true });
  pod.linkSet(a.ifName, { up: true });
  for (const ip of ips) {
    const p = parsePrefix(ip.address)!;
    const mask = p.len === 0 ? 0 : (~0 << (32 - p.len)) >>> 0;
    const subnet = `${formatIpv4((p.addr & mask) >>> 0)}/${p.len}`;
    const addr = formatIpv4(p.addr);
    pod.addrAdd(a.ifName, ip.address, netlinkAddr(ip.address));
    // ptp's ConfigureIface then its own fix-up: the subnet is reached through the gateway.
    pod.routeDel({ dst: subnet, dev: a.ifName, proto: 'kernel', scope: 'link', src: addr });
    pod.routeAdd({ dst: `${ip.gateway}/32`, dev: a.ifName, scope: 'link', src: addr });
    pod.routeAdd({ dst: subnet, via: ip.gateway, dev: a.ifName, src: addr });
    root.addrAdd(hostVeth, `${ip.gateway}/32`);
    root.routeAdd({ dst: `${addr}/32`, dev: hostVeth, scope: 'host' });
  }
  for (const r of routes) pod.routeAdd({ dst: r.dst === '0.0.0.0/0' ? 'default' : r.dst, via: r.gw ?? ips[0]!.gateway, dev: a.ifName });
  if (conf.ipMasq === true) throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, 'ipMasq is not emulated yet in knetlab');
  host.at().sysctlSet('net.ipv4.ip_forward', '1');
  const hostLink = root.linkGet(hostVeth)!;
  const podLink = pod.linkGet(a.ifName)!;
  return {
    cniVersion: a.cniVersion,
    interfaces: [
      { name: hostVeth, mac: hostLink.mac },
      { name: a.ifName, mac: podLink.mac, sandbox: `/var/run/netns/${a.netns}` },
    ],
    ips: ips.map((ip) => Object.assign({}, ip, { interface: 1 })),
    routes,
    dns: {},
  };
}

/** DEL: releases the addresses and removes the pair (by its container end); a namespace already gone is no error. */
export function ptpDel(host: HostNetwork, ipam: HostLocal, conf: PluginConf, a: PtpArgs): void {
  const ipamConf = conf.ipam as HostLocalConf | undefined;
  if (ipamConf?.type === 'host-local') ipam.release(ipamConf, a.network, a.containerId, a.ifName);
  if (!host.netnsList().includes(a.netns)) return;
  const pod = host.at(a.netns);
  if (pod.linkGet(a.ifName)) pod.linkDel(a.ifName);
}
