// The flannel CNI meta-plugin (flannel-io/cni-plugin flannel.go, flannel_linux.go): it reads the
// node's /run/flannel/subnet.env (written by flanneld), turns it into a delegate configuration —
// type bridge, the network's name, mtu = FLANNEL_MTU, ipMasq = !FLANNEL_IPMASQ, isGateway, and
// host-local IPAM over FLANNEL_SUBNET with a route to each FLANNEL_NETWORK — merged over the
// conflist's `delegate` keys, saves it as /var/lib/cni/flannel/<container id> and runs the
// delegate; DEL replays the saved configuration. Error texts are current upstream's (since
// cni-plugin v1.7.1-flannel2 a missing subnet.env reads "failed to load flannel 'subnet.env'
// file: … Check the flannel pod log for this node."; older releases said "loadFlannelSubnetEnv
// failed: …").
import { parsePrefix, formatIpv4 } from '../wire/index.js';
import type { CniArgs, PluginContext } from './plugin.js';
import { CNI_ERR, CniError, type CniResult, type PluginConf } from './types.js';

export const FLANNEL_SUBNET_FILE = '/run/flannel/subnet.env';
export const FLANNEL_DATA_DIR = '/var/lib/cni/flannel';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface SubnetEnv {
  readonly networks: string[];
  readonly subnet?: string;
  readonly mtu?: number;
  readonly ipmasq?: boolean;
}

/** net.ParseCIDR's network, or Go's error for the text. */
function parseCidr(text: string): string {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  const p = m ? parsePrefix(text) : undefined;
  if (!p || Number(m![2]) > 32) throw new Error(`invalid CIDR address: ${text}`);
  const mask = p.len === 0 ? 0 : (~0 << (32 - p.len)) >>> 0;
  return `${formatIpv4((p.addr & mask) >>> 0)}/${p.len}`;
}

/** loadFlannelSubnetEnv: KEY=VALUE lines; FLANNEL_NETWORK may list several CIDRs; every key is required. */
export function loadSubnetEnv(ctx: PluginContext, file: string): SubnetEnv {
  const st = ctx.files.stat(file);
  if (!st) throw new Error(`open ${file}: no such file or directory`);
  if (st.type !== 'file') throw new Error(`read ${file}: is a directory`);
  const networks: string[] = [];
  let subnet: string | undefined;
  let mtu: number | undefined;
  let ipmasq: boolean | undefined;
  for (const line of (ctx.files.readText(file) ?? '').split('\n')) {
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = line.slice(eq + 1);
    const known = ['FLANNEL_NETWORK', 'FLANNEL_SUBNET', 'FLANNEL_MTU', 'FLANNEL_IPMASQ', 'FLANNEL_IPV6_NETWORK', 'FLANNEL_IPV6_SUBNET'];
    // strings.SplitN(line, "=", 2)[1] on a known key without "=" is an index out of range: the Go plugin panics
    if (eq < 0 && known.includes(key))
      throw new Error('netplugin failed: "panic: runtime error: index out of range [1] with length 1": exit status 2');
    switch (key) {
      case 'FLANNEL_NETWORK':
        networks.length = 0;
        for (const c of value.split(',')) {
          const nw = parseCidr(c);
          if (!networks.includes(nw)) networks.push(nw);
        }
        break;
      case 'FLANNEL_SUBNET':
        subnet = parseCidr(value);
        break;
      case 'FLANNEL_IPV6_NETWORK':
      case 'FLANNEL_IPV6_SUBNET':
        throw new CniError(CNI_ERR.UNSUPPORTED_FIELD, `${key} in ${file}: IPv6 is not emulated by knetlab`);
      case 'FLANNEL_MTU': {
        if (!/^\d+$/.test(value) || Number(value) > 0xffffffff)
          throw new Error(
            `strconv.ParseUint: parsing ${JSON.stringify(value)}: ${/^\d+$/.test(value) ? 'value out of range' : 'invalid syntax'}`,
          );
        mtu = Number(value);
        break;
      }
      case 'FLANNEL_IPMASQ':
        ipmasq = value === 'true';
        break;
    }
  }
  const missing = [
    ...(networks.length === 0 ? ['FLANNEL_NETWORK', 'FLANNEL_IPV6_NETWORK'] : []),
    ...(subnet === undefined ? ['FLANNEL_SUBNET', 'FLANNEL_IPV6_SUBNET'] : []),
    ...(mtu === undefined ? ['FLANNEL_MTU'] : []),
    ...(ipmasq === undefined ? ['FLANNEL_IPMASQ'] : []),
  ];
  if (missing.length) throw new Error(`${file} is missing ${missing.join(', ')}`);
  return { networks, subnet, mtu, ipmasq };
}

/** What encoding/json writes for a map: keys sorted bytewise, at every level (the delegate is a map[string]interface{}). */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${goJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

interface FlannelConf {
  readonly subnetFile: string;
  readonly dataDir: string;
  readonly delegate: Record<string, Json>;
  readonly ipam?: Record<string, Json>;
}

function loadConf(conf: PluginConf): FlannelConf {
  const str = (k: string, dflt: string) => {
    const v = conf[k];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string')
      throw new Error(`failed to load netconf: json: cannot unmarshal ${typeof v} into Go struct field NetConf.${k} of type string`);
    return v;
  };
  const obj = (k: string) => {
    const v = conf[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v))
      throw new Error(
        `failed to load netconf: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field NetConf.${k} of type map[string]interface {}`,
      );
    return structuredClone(v) as Record<string, Json>;
  };
  const delegate = obj('delegate');
  const ipam = obj('ipam');
  const runtimeConfig = obj('runtimeConfig');
  const n = {
    subnetFile: str('subnetFile', FLANNEL_SUBNET_FILE),
    dataDir: str('dataDir', FLANNEL_DATA_DIR),
    delegate: delegate ?? {},
    ...(ipam ? { ipam } : {}),
  };
  if (runtimeConfig) n.delegate.runtimeConfig = runtimeConfig;
  return n;
}

function scratchPath(dataDir: string, containerId: string): string {
  return `${dataDir.replace(/\/+$/, '')}/${containerId}`;
}

/** The delegate's configuration as doCmdAdd builds it. */
export function delegateConf(conf: PluginConf, env: SubnetEnv, n: FlannelConf): Record<string, Json> {
  const d = n.delegate;
  d.name = String(conf.name ?? '');
  if (!('type' in d)) d.type = 'bridge';
  if (!('ipMasq' in d)) d.ipMasq = !env.ipmasq; // flanneld masquerades when told to; otherwise the bridge should
  if (!('mtu' in d)) d.mtu = env.mtu!;
  if (d.type === 'bridge' && !('isGateway' in d)) d.isGateway = true;
  if (conf.cniVersion) d.cniVersion = String(conf.cniVersion);
  const ipam: Record<string, Json> = n.ipam ?? {};
  if (!('type' in ipam)) ipam.type = 'host-local';
  ipam.ranges = env.subnet ? [[{ subnet: env.subnet }]] : [];
  const given = ipam.routes;
  if (given !== undefined && given !== null && !Array.isArray(given))
    throw new Error(
      'failed to assemble Delegate IPAM: failed to read IPAM routes: failed to parse ipam.routes: json: cannot unmarshal object into Go value of type []types.Route',
    );
  ipam.routes = [...((given as Json[] | null | undefined) ?? []), ...env.networks.map((dst) => ({ dst }))];
  d.ipam = ipam;
  return d;
}

export function flannelAdd(ctx: PluginContext, conf: PluginConf, a: CniArgs): CniResult {
  const n = loadConf(conf);
  let env: SubnetEnv;
  try {
    env = loadSubnetEnv(ctx, n.subnetFile);
  } catch (e) {
    if (e instanceof CniError) throw e;
    throw new Error(`failed to load flannel 'subnet.env' file: ${(e as Error).message}. Check the flannel pod log for this node.`);
  }
  const d = n.delegate;
  if ('type' in d && typeof d.type !== 'string') throw new Error("'delegate' dictionary, if present, must have (string) 'type' field");
  if ('name' in d) throw new Error("'delegate' dictionary must not have 'name' field, it'll be set by flannel");
  if ('ipam' in d) throw new Error("'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
  const delegate = delegateConf(conf, env, n);
  const text = goJson(delegate);
  // saved before the delegate runs, so DEL can undo even a half-done ADD
  ctx.files.mkdirp(n.dataDir, { mode: 0o700 });
  ctx.files.write(scratchPath(n.dataDir, a.containerId), text, { mode: 0o600 });
  try {
    return ctx.delegate(String(delegate.type), 'add', JSON.parse(text) as PluginConf, a)!;
  } catch (e) {
    throw new CniError(e instanceof CniError ? e.code : CNI_ERR.INTERNAL, `failed to delegate add: ${(e as Error).message}`);
  }
}

/** DEL: the saved delegate configuration run again; none saved (or unreadable) is nothing to do. */
export function flannelDel(ctx: PluginContext, conf: PluginConf, a: CniArgs): void {
  const n = loadConf(conf);
  const path = scratchPath(n.dataDir, a.containerId);
  const text = ctx.files.readText(path);
  if (text === undefined) return;
  let saved: PluginConf;
  // doCmdDel replays the saved bytes as they are (the conflist's delegate keys are not read again)
  try {
    saved = JSON.parse(text) as PluginConf;
  } catch {
    return; // upstream: the interface stays on the bridge until the node reboots
  }
  ctx.delegate(String(saved.type ?? ''), 'del', saved, a);
  ctx.files.remove(path);
}
