// What a plugin is given when the runtime runs it: the node (through host/ only), its files,
// its randomness, and a way to run another plugin from /opt/cni/bin as skel's invoke package
// does (flannel's delegate, bridge's IPAM) — looked up by file like any plugin.
import { HostError, type HostNetwork } from '../host/index.js';
import type { NodeFiles, Rng } from '../sim/index.js';
import { formatIpv4, parsePrefix } from '../wire/index.js';
import type { CniResult, PluginConf } from './types.js';

export type CniOp = 'add' | 'del' | 'check';

/** CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME: the attachment an invocation is about. */
export interface CniArgs {
  readonly containerId: string;
  /** The sandbox's network namespace on the node. */
  readonly netns: string;
  readonly ifName: string;
}

export interface PluginContext {
  readonly host: HostNetwork;
  readonly files: NodeFiles;
  readonly rng: Rng;
  /** invoke.DelegateAdd/Del/Check: runs plugin `type` (found in /opt/cni/bin) with `conf` for the same attachment. */
  delegate(type: string, op: CniOp, conf: PluginConf, args: CniArgs): CniResult | undefined;
}

/** The sandbox path a result names (`/var/run/netns/<name>`, what containerd passes as CNI_NETNS). */
export function sandboxPath(netns: string): string {
  return `/var/run/netns/${netns}`;
}

/** `veth` + 8 hex digits from 4 random bytes (pkg/ip RandomVethName). */
export function randomVethName(rng: Rng): string {
  // hex(4) draws as bytes(4) would: the same name, without a byte array, a list and a string per byte
  return `veth${rng.hex(4)}`;
}

/**
 * A host refusal in the words a Go plugin prints: vishvananda/netlink returns the bare errno,
 * whose text Go spells in lower case ("file exists"); anything else keeps its message.
 */
export function goError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e instanceof HostError) {
    const m = /RTNETLINK answers: (.+)$/.exec(e.message);
    if (m) return m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1);
  }
  return e.message;
}

/** The kernel said EEXIST (both backends carry the errno on HostError). */
export function isExist(e: unknown): boolean {
  return e instanceof HostError && e.errno === 'EEXIST';
}

/** A JSON field of the wrong type, as encoding/json reports it into a plugin's NetConf. */
export function fieldType(
  conf: Readonly<Record<string, unknown>>,
  field: string,
  want: 'bool' | 'int' | 'string',
  goType = 'NetConf',
): void {
  const v = conf[field];
  if (v === undefined || v === null) return;
  const ok =
    want === 'bool' ? typeof v === 'boolean' : want === 'string' ? typeof v === 'string' : typeof v === 'number' && Number.isInteger(v);
  if (ok) return;
  const got =
    typeof v === 'boolean'
      ? 'bool'
      : typeof v === 'number'
        ? 'number'
        : typeof v === 'string'
          ? 'string'
          : Array.isArray(v)
            ? 'array'
            : 'object';
  throw new Error(
    `failed to load netconf: json: cannot unmarshal ${got === 'number' && want === 'int' ? `number ${v}` : got} into Go struct field ${goType}.${field} of type ${want}`,
  );
}

/**
 * netlink.AddrAdd's broadcast: computed from the mask for an IPv4 prefix shorter than /31 (RFC
 * 3021), none otherwise — so a plugin's addresses show `brd 10.244.1.255` where `ip addr add` alone
 * would show none.
 */
export function netlinkAddr(cidr: string): { readonly broadcast?: string } {
  // an address the plugins got from IPAM, so a valid one (anything else has no broadcast to compute)
  const p = parsePrefix(cidr);
  if (p === undefined || !(p.len < 31)) return {};
  const host = p.len === 0 ? 0xffffffff : (2 ** (32 - p.len) - 1) >>> 0;
  return { broadcast: formatIpv4((p.addr | host) >>> 0) };
}
