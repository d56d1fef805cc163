// The portmap plugin (containernetworking/plugins plugins/meta/portmap, iptables backend): a
// chained plugin turning the runtime's portMappings (a pod's hostPorts) into nat rules. Shared
// chains, made once per node: CNI-HOSTPORT-SETMARK (mark 0x2000 for masquerade), CNI-HOSTPORT-MASQ
// (jumped to first thing in POSTROUTING, masquerades the mark) and CNI-HOSTPORT-DNAT (jumped to from
// PREROUTING and OUTPUT for local destinations); per container CNI-DN-<sha512 of network + id>,
// entered from CNI-HOSTPORT-DNAT by a multiport rule per protocol, with per mapping the hairpin and
// localhost mark rules and the DNAT. Rules are written as iptables-save prints them (go-iptables
// passes them in another order; test/scenarios/cni-portmap.sh shows the real iptables printing
// them so), added only when missing, as InsertUnique does. DEL removes the container's chain and
// the jumps to it; the shared chains stay.
import type { NetHandle } from '../host/index.js';
import { cniChainName, networkOf, quoteComment, restoreLines, SavedTable } from './iptables.js';
import { fieldType, goError, type CniArgs, type PluginContext } from './plugin.js';
import { CNI_ERR, CniError, type CniResult, type PluginConf } from './types.js';

export const HOSTPORT_DNAT = 'CNI-HOSTPORT-DNAT';
export const HOSTPORT_SETMARK = 'CNI-HOSTPORT-SETMARK';
export const HOSTPORT_MASQ = 'CNI-HOSTPORT-MASQ';
const DEFAULT_MARK_BIT = 13;

/** One runtimeConfig.portMappings entry (containerd: hostPort > 0 only, protocol lower case). */
export interface PortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostIP?: string;
}

interface PortmapConf {
  readonly name: string;
  readonly snat: boolean;
  readonly markBit: number;
  readonly masqAll: boolean;
  readonly conditions: readonly string[];
  readonly mappings: readonly PortMapping[];
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** The configuration's typed fields, checked as Go's decoder would. */
const CONF_FIELDS = [
  ['snat', 'bool'],
  ['masqAll', 'bool'],
  ['markMasqBit', 'int'],
  ['backend', 'string'],
  ['externalSetMarkChain', 'string'],
] as const;

function parseConf(conf: PluginConf): PortmapConf {
  const fail = (why: string): never => {
    throw new Error(`failed to parse config: ${why}`);
  };
  try {
    for (const [f, t] of CONF_FIELDS) fieldType(conf, f, t, 'PortMapConf');
  } catch (e) {
    fail((e as Error).message.replace(/^failed to load netconf: /, ''));
  }
  if (conf.markMasqBit !== undefined && conf.externalSetMarkChain !== undefined)
    fail('Cannot specify externalSetMarkChain and markMasqBit');
  const markBit = typeof conf.markMasqBit === 'number' ? conf.markMasqBit : DEFAULT_MARK_BIT;
  if (markBit < 0 || markBit > 31) fail('MasqMarkBit must be between 0 and 31');
  if (conf.externalSetMarkChain !== undefined)
    throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, 'portmap option "externalSetMarkChain" is not emulated by knetlab');
  if (conf.backend === 'nftables')
    throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, 'portmap option "backend": "nftables" is not emulated by knetlab');
  if (conf.backend !== undefined && conf.backend !== 'iptables') fail(`unrecognized backend ${JSON.stringify(conf.backend)}`);
  const conditions = Array.isArray(conf.conditionsV4) ? conf.conditionsV4.map(String) : [];
  if (conditions.length && conditions[0] !== '')
    throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, 'portmap option "conditionsV4" is not emulated by knetlab');
  const raw = (conf.runtimeConfig as { portMappings?: unknown } | undefined)?.portMappings;
  const mappings: PortMapping[] = [];
  for (const m of Array.isArray(raw) ? raw : []) {
    const e = m as Record<string, unknown>;
    const containerPort = Number(e.containerPort ?? 0);
    const hostPort = Number(e.hostPort ?? 0);
    if (!(containerPort > 0)) fail(`Invalid container port number: ${containerPort}`);
    if (!(hostPort > 0)) fail(`Invalid host port number: ${hostPort}`);
    if (containerPort > 65535 || hostPort > 65535)
      throw new CniError(CNI_ERR.INVALID_CONFIG, `port out of range: ${hostPort}:${containerPort}`);
    const protocol = String(e.protocol ?? '');
    // iptables itself would refuse anything else (-p takes a protocol name); said here before any rule goes in
    if (!PROTOCOLS.has(protocol))
      throw new CniError(CNI_ERR.INVALID_CONFIG, `unknown protocol ${JSON.stringify(protocol)} in portMappings (tcp, udp or sctp)`);
    const hostIP = typeof e.hostIP === 'string' && e.hostIP !== '' ? e.hostIP : undefined;
    if (hostIP !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(hostIP)) {
      if (hostIP.includes(':')) continue; // an IPv6 host address maps nothing for an IPv4 pod
      throw new CniError(CNI_ERR.INVALID_CONFIG, `invalid hostIP ${JSON.stringify(hostIP)} in portMappings`);
    }
    mappings.push({ hostPort, containerPort, protocol, ...(hostIP ? { hostIP } : {}) });
  }
  return { name: String(conf.name ?? ''), snat: conf.snat !== false, markBit, masqAll: conf.masqAll === true, conditions, mappings };
}

/** The container's IPv4 address from prevResult: one on the container interface (or on no named interface). */
function containerAddress(prev: CniResult, ifName: string): string | undefined {
  for (const ip of prev.ips ?? []) {
    if (ip.address.includes(':')) continue;
    const i = ip.interface;
    if (i !== undefined && i >= 0 && i < (prev.interfaces?.length ?? 0)) {
      const intf = prev.interfaces![i]!;
      if (intf.name !== ifName || !intf.sandbox) continue;
    }
    return ip.address;
  }
  return undefined;
}

const mark = (bit: number) => {
  const v = `0x${(2 ** bit).toString(16)}`;
  return `${v}/${v}`;
};

/** The rules of one container's CNI-DN- chain and its entries, as iptables-save prints them. */
export function dnatRules(n: PortmapConf, containerId: string, cidr: string): { chain: string; entries: string[]; rules: string[] } {
  const chain = cniChainName(n.name, containerId, 'DN-');
  let comment = `dnat name: "${n.name}" id: "${containerId}"`;
  if (comment.length > 255) comment = `${comment.slice(0, 253)}...`;
  const [addr, len] = cidr.split('/') as [string, string];
  const byProto = new Map<string, number[]>();
  for (const m of n.mappings) byProto.set(m.protocol, [...(byProto.get(m.protocol) ?? []), m.hostPort]);
  const entries: string[] = [];
  for (const proto of [...byProto.keys()].sort()) {
    const ports = byProto.get(proto)!;
    for (let i = 0; i < ports.length; i += 15)
      entries.push(
        `-A ${HOSTPORT_DNAT} -p ${proto} -m comment --comment ${quoteComment(comment)} -m multiport --dports ${ports.slice(i, i + 15).join(',')} -j ${chain}`,
      );
  }
  const rules: string[] = [];
  for (const m of n.mappings) {
    const dst = m.hostIP && m.hostIP !== '0.0.0.0' ? ` -d ${m.hostIP}/32` : '';
    const match = `-p ${m.protocol} -m ${m.protocol} --dport ${m.hostPort}`;
    if (n.snat) {
      rules.push(
        `-A ${chain} -s ${n.masqAll ? '0.0.0.0/0' : `${networkOf(addr, Number(len))}/${len}`}${dst} ${match} -j ${HOSTPORT_SETMARK}`.replace(
          ' -s 0.0.0.0/0',
          '',
        ),
      );
      if (!n.masqAll) rules.push(`-A ${chain} -s 127.0.0.1/32${dst} ${match} -j ${HOSTPORT_SETMARK}`);
    }
    rules.push(`-A ${chain}${dst} ${match} -j DNAT --to-destination ${addr}:${m.containerPort}`);
  }
  return { chain, entries, rules };
}

/** utils.EnsureChain + InsertUnique for each rule (appended, or first in its chain when `prepend`). */
function ensure(saved: SavedTable, lines: string[], chain: string, rules: readonly string[], prepend = false): void {
  if (!saved.chains.has(chain) && !lines.includes(`:${chain} - [0:0]`)) lines.push(`:${chain} - [0:0]`);
  for (const r of rules) {
    if (saved.rules.has(r) || lines.includes(r)) continue;
    lines.push(prepend ? r.replace(/^-A (\S+)/, '-I $1 1') : r);
  }
}

function forwardPorts(root: NetHandle, n: PortmapConf, containerId: string, cidr: string): void {
  const saved = new SavedTable(root.iptablesSave('nat'));
  const lines: string[] = [];
  if (n.snat) {
    ensure(saved, lines, HOSTPORT_SETMARK, [
      `-A ${HOSTPORT_SETMARK} -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark ${mark(n.markBit)}`,
    ]);
    ensure(saved, lines, HOSTPORT_MASQ, [`-A ${HOSTPORT_MASQ} -m mark --mark ${mark(n.markBit)} -j MASQUERADE`]);
    // prepended: the masquerade chains of ptp and bridge would otherwise come first
    ensure(
      saved,
      lines,
      'POSTROUTING',
      [`-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j ${HOSTPORT_MASQ}`],
      true,
    );
  }
  ensure(saved, lines, HOSTPORT_DNAT, []);
  for (const entry of ['PREROUTING', 'OUTPUT'])
    ensure(saved, lines, entry, [`-A ${entry} -m addrtype --dst-type LOCAL -j ${HOSTPORT_DNAT}`]);
  const dn = dnatRules(n, containerId, cidr);
  ensure(saved, lines, dn.chain, dn.rules);
  ensure(saved, lines, HOSTPORT_DNAT, dn.entries);
  try {
    restoreLines(root, 'nat', lines);
  } catch (e) {
    throw new Error(`unable to setup DNAT: ${goError(e)}`);
  }
}

/** chain.teardown: the jumps to the container's chain, then the chain; none there is nothing to do. */
function unforwardPorts(root: NetHandle, n: PortmapConf, containerId: string): void {
  const saved = new SavedTable(root.iptablesSave('nat'));
  for (const chain of [cniChainName(n.name, containerId, 'DN-'), cniChainName(n.name, containerId, 'SN-')]) {
    if (!saved.chains.has(chain)) continue;
    const lines = [...saved.rules].filter((r) => r.endsWith(` -j ${chain}`)).map((r) => r.replace(/^-A /, '-D '));
    lines.push(`-F ${chain}`, `-X ${chain}`);
    try {
      restoreLines(root, 'nat', lines);
    } catch (e) {
      throw new Error(`could not teardown ipv4 dnat: ${goError(e)}`);
    }
  }
}

export function portmapAdd(ctx: PluginContext, conf: PluginConf, a: CniArgs): CniResult {
  const n = parseConf(conf);
  const prev = conf.prevResult as CniResult | undefined;
  if (!prev) throw new Error('must be called as chained plugin');
  const out = Object.assign({}, prev, { cniVersion: String(conf.cniVersion ?? prev.cniVersion) });
  if (n.mappings.length === 0) return out;
  const cidr = containerAddress(prev, a.ifName);
  if (cidr === undefined) return out;
  const root = ctx.host.at();
  forwardPorts(root, n, a.containerId, cidr);
  if (n.snat) {
    // connections from 127/8 must be routable towards the pod: route_localnet on the interface that leads to it
    const dev = root.routeGet(cidr.split('/')[0]!).dev;
    try {
      root.sysctlSet(`net.ipv4.conf.${dev}.route_localnet`, '1');
    } catch (e) {
      throw new Error(`unable to enable route_localnet: ${goError(e)}`);
    }
  }
  return out;
}

export function portmapDel(ctx: PluginContext, conf: PluginConf, a: CniArgs): void {
  const n = parseConf(conf);
  if (n.mappings.length === 0) return;
  unforwardPorts(ctx.host.at(), n, a.containerId);
}

export function portmapCheck(ctx: PluginContext, conf: PluginConf, a: CniArgs): void {
  const n = parseConf(conf);
  const prev = conf.prevResult as CniResult | undefined;
  if (!prev) throw new Error('Required prevResult missing');
  if (n.mappings.length === 0) return;
  const cidr = containerAddress(prev, a.ifName);
  if (cidr === undefined) return;
  const saved = new SavedTable(ctx.host.at().iptablesSave('nat'));
  const dn = dnatRules(n, a.containerId, cidr);
  if (!saved.chains.has(dn.chain)) throw new Error(`could not check ipv4 dnat: chain ${dn.chain} not found in iptables table nat`);
  for (const r of dn.rules)
    if (!saved.rules.has(r))
      throw new Error(`could not check ipv4 dnat: rule ${r.replace(/^-A \S+ /, '')} in chain ${dn.chain} not found in table nat`);
  for (const r of dn.entries)
    if (!saved.rules.has(r))
      throw new Error(`could not check ipv4 dnat: rule ${r.replace(/^-A \S+ /, '')} in chain ${HOSTPORT_DNAT} not found in table nat`);
}
