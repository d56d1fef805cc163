// flanneld's configuration and its one output file (flannel pkg/subnet/config.go ParseConfig,
// pkg/backend/vxlan/vxlan.go parseVXLANConfig, pkg/subnet/subnet.go WriteSubnetFile): net-conf.json
// read as Go's encoding/json reads it into flannel's structs (keys matched case-insensitively), and
// /run/flannel/subnet.env in flannel's key order. IPv4 only.
import { formatIpv4, parsePrefix, type Prefix } from '../wire/index.js';

export class FlannelConfigError extends Error {}

export interface BackendConfig {
  /** `vxlan`, `host-gw`, `udp`…; `udp` when net-conf.json has no Backend. */
  readonly type: string;
  /** vxlan: VNI (default 1), Port (0: the kernel's default, 8472), MTU (0: the external interface's). */
  readonly vni: number;
  readonly port: number;
  readonly mtu: number;
  readonly learning: boolean;
  readonly gbp: boolean;
  readonly directRouting: boolean;
}

export interface NetConf {
  /** The cluster network, masked (`10.244.0.0/16`). */
  readonly network: Prefix;
  readonly enableNFTables: boolean;
  readonly backend: BackendConfig;
}

type Obj = Record<string, unknown>;

/** encoding/json's field match: an exact key first, else the first key equal ignoring case. */
function field(o: Obj, name: string): unknown {
  if (name in o) return o[name];
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function num(o: Obj, name: string, dflt: number, where: string): number {
  const v = field(o, name);
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new FlannelConfigError(`json: cannot unmarshal ${typeof v} into Go struct field ${where}.${name} of type int`);
  return v;
}

function bool(o: Obj, name: string, where: string): boolean {
  const v = field(o, name);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean')
    throw new FlannelConfigError(`json: cannot unmarshal ${typeof v} into Go struct field ${where}.${name} of type bool`);
  return v;
}

const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

/** Parses net-conf.json; throws FlannelConfigError with the text flanneld logs before it exits. */
export function parseNetConf(text: string): NetConf {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FlannelConfigError(`error parsing subnet config: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FlannelConfigError('error parsing subnet config: json: cannot unmarshal into Go value of type subnet.Config');
  const o = raw as Obj;
  const networkText = field(o, 'Network');
  const p = typeof networkText === 'string' ? parsePrefix(networkText) : undefined;
  if (!p || typeof networkText !== 'string' || !networkText.includes('/'))
    throw new FlannelConfigError('please define a correct Network parameter in the flannel config');
  const network = { addr: (p.addr & mask(p.len)) >>> 0, len: p.len };
  const be = field(o, 'Backend');
  let backend: BackendConfig;
  if (be === undefined || be === null) {
    backend = { type: 'udp', vni: 1, port: 0, mtu: 0, learning: false, gbp: false, directRouting: false };
  } else {
    if (typeof be !== 'object' || Array.isArray(be))
      throw new FlannelConfigError(
        'error decoding Backend property of config: json: cannot unmarshal into Go value of type struct { Type string }',
      );
    const b = be as Obj;
    const type = field(b, 'Type');
    backend = {
      type: typeof type === 'string' ? type : '',
      vni: num(b, 'VNI', 1, 'VXLANConfig'),
      port: num(b, 'Port', 0, 'VXLANConfig'),
      mtu: num(b, 'MTU', 0, 'VXLANConfig'),
      learning: bool(b, 'Learning', 'VXLANConfig'),
      gbp: bool(b, 'GBP', 'VXLANConfig'),
      directRouting: bool(b, 'DirectRouting', 'VXLANConfig'),
    };
  }
  return { network, enableNFTables: bool(o, 'EnableNFTables', 'Config'), backend };
}

export const formatCidr = (p: Prefix): string => `${formatIpv4(p.addr)}/${p.len}`;

/** WriteSubnetFile's text: the lease's first address keeps the lease's prefix length. */
export function subnetEnv(network: Prefix, lease: Prefix, mtu: number, ipMasq: boolean): string {
  const first = formatCidr({ addr: (lease.addr + 1) >>> 0, len: lease.len });
  return `FLANNEL_NETWORK=${formatCidr(network)}\nFLANNEL_SUBNET=${first}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=${ipMasq}\n`;
}

/**
 * main.go's ReadCIDRFromSubnetFile: the CIDR under `key` of a previous subnet.env, masked to its
 * network (so FLANNEL_SUBNET=10.244.1.1/24 reads as 10.244.1.0/24); undefined when absent.
 */
export function readSubnetEnvCidr(text: string | undefined, key: string): Prefix | undefined {
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq).trim() !== key) continue;
    const p = parsePrefix(line.slice(eq + 1).trim());
    return p && { addr: (p.addr & mask(p.len)) >>> 0, len: p.len };
  }
  return undefined;
}

/** Whether `inner` lies within `outer`. */
export function contains(outer: Prefix, inner: Prefix): boolean {
  return inner.len >= outer.len && (inner.addr & mask(outer.len)) >>> 0 === outer.addr;
}
