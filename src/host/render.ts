// The host interface's requests as iproute2 words: one line of `ip -batch -` / `bridge -batch -`
// each. The linux backend sends them; the sim backend validates with them and names them in its
// errors. Pure: every value is checked against what the tool accepts (validate.ts) before it
// becomes a word, never quoted.
import type { BridgePortChange, FdbSpec, LinkChange, LinkSpec, NeighSpec, RouteSpec } from './network.js';
import {
  LINK_KINDS,
  NEIGH_STATES,
  ROUTE_PROTOS,
  ROUTE_SCOPES,
  ROUTE_TABLES,
  ROUTE_TYPES,
  ifName,
  ipv4,
  ipv4Prefix,
  mac,
  nameOrNumber,
  netnsName,
  oneOf,
  routeDst,
  uint,
} from './validate.js';

export type Tool = 'ip' | 'bridge';

/** One iproute2 request: its words (after the tool and global options) and what it does, for errors. */
export interface Request {
  readonly tool: Tool;
  readonly words: readonly string[];
  readonly what: string;
}

/** Optional `KEY VALUE` words; `check` validates the value (see validate.ts). */
export function opt<V>(key: string, value: V | undefined, check: (v: V) => string): string[] {
  return value === undefined ? [] : [key, check(value)];
}

export const U32 = 0xffff_ffff;

/** `ip link add NAME [mtu N] [address MAC] type KIND …`. */
export function linkAddRequest(spec: LinkSpec): Request {
  const what = `add link "${spec.name}"`;
  const words = [
    'link',
    'add',
    ifName(what, 'name', spec.name),
    ...opt('mtu', spec.mtu, (v) => uint(what, 'mtu', v, 0, U32)),
    ...opt('address', spec.mac, (v) => mac(what, 'mac', v)),
    'type',
    oneOf(what, 'kind', spec.kind, LINK_KINDS),
  ];
  switch (spec.kind) {
    case 'veth':
      words.push('peer', 'name', ifName(what, 'peer', spec.peer), ...opt('netns', spec.peerNetns, (v) => netnsName(what, 'peerNetns', v)));
      break;
    case 'vxlan':
      words.push(
        'id',
        uint(what, 'vni', spec.vni, 0, 0xff_ffff),
        ...opt('local', spec.local, (v) => ipv4(what, 'local', v)),
        ...opt('dev', spec.dev, (v) => ifName(what, 'dev', v)),
        'dstport',
        uint(what, 'dstPort', spec.dstPort ?? 8472, 0, 0xffff),
      );
      if (spec.learning === false) words.push('nolearning');
      break;
    case 'ipip':
      words.push(
        ...opt('local', spec.local, (v) => ipv4(what, 'local', v)),
        ...opt('remote', spec.remote, (v) => ipv4(what, 'remote', v)),
        ...opt('dev', spec.dev, (v) => ifName(what, 'dev', v)),
      );
      break;
  }
  return { tool: 'ip', words, what };
}

/** `ip link del NAME`. */
export function linkDelRequest(name: string): Request {
  const what = `delete link "${name}"`;
  return { tool: 'ip', words: ['link', 'del', ifName(what, 'name', name)], what };
}

/** `ip link set dev NAME …`. */
export function linkSetRequest(name: string, c: LinkChange): Request {
  const what = `set link "${name}"`;
  const words = ['link', 'set', 'dev', ifName(what, 'name', name)];
  if (c.master === null) words.push('nomaster');
  else words.push(...opt('master', c.master, (v) => ifName(what, 'master', v)));
  words.push(
    ...opt('mtu', c.mtu, (v) => uint(what, 'mtu', v, 0, U32)),
    ...opt('address', c.mac, (v) => mac(what, 'mac', v)),
    ...opt('netns', c.netns, (v) => netnsName(what, 'netns', v)),
    ...opt('name', c.name, (v) => ifName(what, 'new name', v)),
  );
  if (c.promisc !== undefined) words.push('promisc', c.promisc ? 'on' : 'off');
  if (c.up !== undefined) words.push(c.up ? 'up' : 'down');
  return { tool: 'ip', words, what };
}

/** `ip addr add CIDR [brd BROADCAST] dev DEV`. */
export function addrAddRequest(dev: string, cidr: string, broadcast?: string): Request {
  const what = `add address "${cidr}" to "${dev}"`;
  return {
    tool: 'ip',
    words: [
      'addr',
      'add',
      ipv4Prefix(what, 'address', cidr, true),
      ...opt('brd', broadcast, (v) => ipv4(what, 'broadcast', v)),
      'dev',
      ifName(what, 'dev', dev),
    ],
    what,
  };
}

/** `ip addr del CIDR dev DEV`. */
export function addrDelRequest(dev: string, cidr: string): Request {
  const what = `delete address "${cidr}" from "${dev}"`;
  return { tool: 'ip', words: ['addr', 'del', ipv4Prefix(what, 'address', cidr, true), 'dev', ifName(what, 'dev', dev)], what };
}

/** `ip route add|replace|del [TYPE] DST …`. */
export function routeRequest(verb: 'add' | 'replace' | 'del', r: RouteSpec): Request {
  const what = `${verb === 'del' ? 'delete' : verb} route "${r.dst}"`;
  const words = ['route', verb];
  const type = r.type === undefined ? 'unicast' : oneOf(what, 'type', r.type, ROUTE_TYPES);
  if (type !== 'unicast') words.push(type);
  words.push(routeDst(what, r.dst), ...opt('via', r.via, (v) => ipv4(what, 'via', v)), ...opt('dev', r.dev, (v) => ifName(what, 'dev', v)));
  if (r.onlink) words.push('onlink');
  words.push(
    ...opt('proto', r.proto, (v) => nameOrNumber(what, 'proto', v, ROUTE_PROTOS, 0xff)),
    ...opt('table', r.table, (v) => nameOrNumber(what, 'table', v, ROUTE_TABLES, U32)),
    ...opt('src', r.src, (v) => ipv4(what, 'src', v)),
    ...opt('metric', r.metric, (v) => uint(what, 'metric', v, 0, U32)),
    ...opt('scope', r.scope, (v) => oneOf(what, 'scope', v, ROUTE_SCOPES)),
  );
  return { tool: 'ip', words, what };
}

/** `ip neigh add|replace DST lladdr MAC dev DEV nud STATE`. */
export function neighRequest(verb: 'add' | 'replace', n: NeighSpec): Request {
  const what = `${verb} neighbour "${n.dst}" on "${n.dev}"`;
  return {
    tool: 'ip',
    words: [
      'neigh',
      verb,
      ipv4(what, 'dst', n.dst),
      'lladdr',
      mac(what, 'lladdr', n.lladdr),
      'dev',
      ifName(what, 'dev', n.dev),
      'nud',
      oneOf(what, 'state', n.state ?? 'permanent', NEIGH_STATES),
    ],
    what,
  };
}

/** `ip neigh del DST dev DEV`. */
export function neighDelRequest(dst: string, dev: string): Request {
  const what = `delete neighbour "${dst}" on "${dev}"`;
  return { tool: 'ip', words: ['neigh', 'del', ipv4(what, 'dst', dst), 'dev', ifName(what, 'dev', dev)], what };
}

/** `bridge fdb append|del MAC dev DEV [dst IP] (self|master) [permanent|static]`. */
export function fdbRequest(verb: 'append' | 'del', f: FdbSpec): Request {
  const what = `${verb === 'del' ? 'delete' : verb} fdb entry "${f.mac}" on "${f.dev}"`;
  const words = [
    'fdb',
    verb,
    mac(what, 'mac', f.mac),
    'dev',
    ifName(what, 'dev', f.dev),
    ...opt('dst', f.dst, (v) => ipv4(what, 'dst', v)),
  ];
  words.push(...(f.master ? ['master'] : ['self']));
  if (verb !== 'del') words.push(f.master ? 'static' : 'permanent');
  return { tool: 'bridge', words, what };
}

/** `bridge link set dev PORT [hairpin on|off] [learning on|off] [flood on|off]`. */
export function bridgeLinkSetRequest(port: string, c: BridgePortChange): Request {
  const what = `set bridge port "${port}"`;
  const words = ['link', 'set', 'dev', ifName(what, 'port', port)];
  if (c.hairpin !== undefined) words.push('hairpin', c.hairpin ? 'on' : 'off');
  if (c.learning !== undefined) words.push('learning', c.learning ? 'on' : 'off');
  if (c.flood !== undefined) words.push('flood', c.flood ? 'on' : 'off');
  return { tool: 'bridge', words, what };
}

/** The stdin of one `TOOL -batch -` run. */
export function batchText(requests: readonly Request[]): string {
  return requests.map((q) => `${q.words.join(' ')}\n`).join('');
}
